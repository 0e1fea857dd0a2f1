import {createHash, randomBytes} from 'node:crypto';
import {createReadStream, createWriteStream, type ReadStream} from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {Readable, Transform} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {StoreError} from '../errors.js';
import type {Db} from './db.js';

const SHA1 = /^[0-9a-f]{40}$/;
/** sha1 of empty content: what Moodle stores for directory rows ('.'), never written as a blob. */
export const EMPTY_SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';

export type StagedBlob = {sha1: string; size: number};

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Content-addressed file storage like Moodle's moodledata/filedir: `filedir/ab/cd/<sha1>`.
 * New blobs are staged first (hashed while written) and only promoted into the pool when the
 * operation that needs them commits; discarding the staging leaves the pool untouched.
 */
export class FilePool {
	private readonly staged = new Map<string, number>();
	private stagingDir: string | undefined;

	constructor(readonly root: string) {}

	blobPath(sha1: string): string {
		if (!SHA1.test(sha1)) throw new StoreError(`"${sha1}" is not a sha1 content hash`);
		return path.join(this.root, sha1.slice(0, 2), sha1.slice(2, 4), sha1);
	}

	private async staging(): Promise<string> {
		if (!this.stagingDir) {
			const dir = path.join(this.root, '.staging', `${process.pid}-${randomBytes(6).toString('hex')}`);
			await fs.mkdir(dir, {recursive: true});
			this.stagingDir = dir;
		}
		return this.stagingDir;
	}

	/**
	 * Streams `content` into the staging area while hashing it. With `expectedSha1`, a different
	 * hash rejects the blob (nothing is kept). A blob the pool already holds is only verified.
	 */
	async stage(content: Readable, expectedSha1?: string): Promise<StagedBlob> {
		const expected = expectedSha1?.toLowerCase();
		if (expected !== undefined && !SHA1.test(expected)) throw new StoreError(`"${expectedSha1}" is not a sha1 content hash`);
		const hash = createHash('sha1');
		let size = 0;
		const hasher = new Transform({
			transform(chunk: Buffer, _encoding, callback) {
				hash.update(chunk);
				size += chunk.length;
				callback(null, chunk);
			},
		});
		const known = expected !== undefined && (this.staged.has(expected) || (await this.has(expected)));
		const dir = await this.staging();
		const temporary = path.join(dir, `.part-${randomBytes(8).toString('hex')}`);
		try {
			if (known) {
				// Already stored: verify the bytes without writing them again.
				await pipeline(content, hasher, async (source: AsyncIterable<Buffer>) => {
					for await (const _chunk of source) {
						// drained: the hasher has seen it
					}
				});
			} else {
				await pipeline(content, hasher, createWriteStream(temporary, {highWaterMark: 1 << 20}));
			}
		} catch (error) {
			await fs.rm(temporary, {force: true});
			if (error instanceof StoreError) throw error;
			throw new StoreError(`file pool: cannot store a blob: ${(error as Error).message}`);
		}
		const sha1 = hash.digest('hex');
		if (expected !== undefined && sha1 !== expected) {
			await fs.rm(temporary, {force: true});
			throw new StoreError(`file pool: content of ${expected} does not match its hash (got ${sha1})`);
		}
		if (!known) {
			if (this.staged.has(sha1) || (await this.has(sha1))) await fs.rm(temporary, {force: true});
			else {
				await fs.rename(temporary, path.join(dir, sha1));
				this.staged.set(sha1, size);
			}
		}
		return {sha1, size};
	}

	/** Stages a buffer (small content, tests, the demo). */
	async stageBuffer(content: Buffer | string, expectedSha1?: string): Promise<StagedBlob> {
		return this.stage(Readable.from([Buffer.from(content)]), expectedSha1);
	}

	/** Hashes of the blobs staged and not yet promoted. */
	stagedHashes(): string[] {
		return [...this.staged.keys()];
	}

	/** Moves every staged blob into the pool. Idempotent: a blob that is already there is kept as is. */
	async promoteStaged(): Promise<number> {
		let moved = 0;
		for (const sha1 of this.staged.keys()) {
			const target = this.blobPath(sha1);
			const source = path.join(this.stagingDir!, sha1);
			if (await this.has(sha1)) {
				await fs.rm(source, {force: true});
				continue;
			}
			await fs.mkdir(path.dirname(target), {recursive: true});
			await fs.rename(source, target);
			moved++;
		}
		await this.discardStaged();
		return moved;
	}

	/** Forgets every staged blob and removes the staging directory. */
	async discardStaged(): Promise<void> {
		this.staged.clear();
		if (this.stagingDir) {
			await fs.rm(this.stagingDir, {recursive: true, force: true});
			this.stagingDir = undefined;
			// Remove the shared parent too when no other operation is staging.
			await fs.rmdir(path.join(this.root, '.staging')).catch(() => undefined);
		}
	}

	/**
	 * Removes staging directories left by processes that died mid-operation (named `<pid>-<random>`;
	 * a directory whose process is still running is kept). Returns how many were removed.
	 */
	async removeStaleStaging(): Promise<number> {
		const parent = path.join(this.root, '.staging');
		const names = await fs.readdir(parent).catch(() => [] as string[]);
		let removed = 0;
		for (const name of names) {
			const pid = Number(name.split('-')[0]);
			const mine = this.stagingDir !== undefined && path.basename(this.stagingDir) === name;
			if (mine || (Number.isInteger(pid) && pid > 0 && processAlive(pid))) continue;
			await fs.rm(path.join(parent, name), {recursive: true, force: true});
			removed++;
		}
		await fs.rmdir(parent).catch(() => undefined);
		return removed;
	}

	/** Whether the pool (not the staging area) holds the blob. */
	async has(sha1: string): Promise<boolean> {
		try {
			return (await fs.stat(this.blobPath(sha1))).isFile();
		} catch {
			return false;
		}
	}

	/** Reads a blob, from the pool or, before promotion, from the staging area. */
	open(sha1: string): ReadStream {
		const location = this.staged.has(sha1) && this.stagingDir ? path.join(this.stagingDir, sha1) : this.blobPath(sha1);
		const stream = createReadStream(location, {highWaterMark: 1 << 20});
		stream.on('error', () => undefined);
		return stream;
	}

	async read(sha1: string): Promise<Buffer> {
		const location = this.staged.has(sha1) && this.stagingDir ? path.join(this.stagingDir, sha1) : this.blobPath(sha1);
		try {
			return await fs.readFile(location);
		} catch {
			throw new StoreError(`file pool: blob ${sha1} is missing`);
		}
	}

	/** Every blob hash in the pool. */
	async *hashes(): AsyncGenerator<string> {
		const level1 = await fs.readdir(this.root).catch(() => [] as string[]);
		for (const first of level1.filter(name => /^[0-9a-f]{2}$/.test(name)).sort()) {
			const level2 = await fs.readdir(path.join(this.root, first)).catch(() => [] as string[]);
			for (const second of level2.filter(name => /^[0-9a-f]{2}$/.test(name)).sort()) {
				const names = await fs.readdir(path.join(this.root, first, second)).catch(() => [] as string[]);
				for (const name of names.sort()) if (SHA1.test(name) && name.startsWith(first + second)) yield name;
			}
		}
	}

	/** Garbage collection: deletes blobs no `files` row references. Returns how many and their bytes. */
	async removeUnreferenced(db: Db): Promise<{removed: number; bytes: number}> {
		const referenced = new Set<string>();
		for await (const row of db.each<{contenthash: string}>('SELECT DISTINCT contenthash FROM {files}')) referenced.add(row.contenthash);
		let removed = 0;
		let bytes = 0;
		for await (const sha1 of this.hashes()) {
			if (referenced.has(sha1) || this.staged.has(sha1)) continue;
			const file = this.blobPath(sha1);
			const stat = await fs.stat(file);
			await fs.rm(file);
			removed++;
			bytes += stat.size;
			await fs.rmdir(path.dirname(file)).catch(() => undefined);
			await fs.rmdir(path.dirname(path.dirname(file))).catch(() => undefined);
		}
		return {removed, bytes};
	}
}
