import {createCipheriv, createHash} from 'node:crypto';
import {Readable} from 'node:stream';

/** A file body of the synthetic backup: incompressible bytes (like images, videos, PDFs) made on demand. */
export type SyntheticBlob = {index: number; size: number; sha1: string; open: () => Readable};

const CHUNK = 1 << 20;
const ZEROS = Buffer.alloc(CHUNK);

/** Deterministic pseudo-random bytes (AES-128-CTR keystream): fast, reproducible, nothing kept on disk. */
function* keystream(seed: string, index: number, size: number): Generator<Buffer> {
	const key = createHash('sha256').update(`${seed}:${index}`).digest().subarray(0, 16);
	const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
	for (let left = size; left > 0; left -= CHUNK) yield cipher.update(left >= CHUNK ? ZEROS : ZEROS.subarray(0, left));
}

/** Makes a blob: one pass now for its sha1 (its name in files/), the bytes again whenever it is opened. */
export function makeBlob(seed: string, index: number, size: number): SyntheticBlob {
	const hash = createHash('sha1');
	for (const chunk of keystream(seed, index, size)) hash.update(chunk);
	return {index, size, sha1: hash.digest('hex'), open: () => Readable.from(keystream(seed, index, size), {objectMode: false})};
}
