import {createHash, randomBytes} from 'node:crypto';
import {createReadStream, type ReadStream} from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type {Readable} from 'node:stream';
import {MbzError, StoreError} from '../errors.js';
import type {Db} from './db.js';

const SHA1 = /^[0-9a-f]{40}$/;
/** sha1 of empty content: what Moodle stores for directory rows ('.'), never written as a blob. */
export const EMPTY_SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
/** Renames in flight while staged blobs are promoted. */
const PROMOTE_CONCURRENCY = 16;

export type StagedBlob = {sha1: string; size: number};

/**
 * Reused fixed-size buffers for content on its way to disk. A buffer held while its write is in flight outlives
 * V8's young generation and, made fresh per chunk or per file, piles up as old garbage that only full collections
 * free (seconds of GC over a large archive); reused ones cost nothing. With `max`, take() waits for a free one.
 */
export class Slabs {
	private readonly free: Buffer[] = [];
	private readonly waiting: Array<(slab: Buffer) => void> = [];
	private made = 0;

	constructor(readonly size: number, private readonly max = Number.POSITIVE_INFINITY) {}

	async take(): Promise<Buffer> {
		const slab = this.free.pop();
		if (slab) return slab;
		if (this.made < this.max) {
			this.made++;
			return Buffer.allocUnsafeSlow(this.size);
		}
		return new Promise((resolve) => this.waiting.push(resolve));
	}

	give(slab: Buffer): void {
		const next = this.waiting.shift();
		if (next) next(slab);
		else this.free.push(slab);
	}
}

/** Chunk buffers of streamed blobs, shared by every area (two per copy in progress). */
const streamSlabs = new Slabs(1 << 20);

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function expectedHash(expectedSha1: string | undefined): string | undefined {
	const expected = expectedSha1?.toLowerCase();
	if (expected !== undefined && !SHA1.test(expected)) throw new StoreError(`"${expectedSha1}" is not a sha1 content hash`);
	return expected;
}

function mismatch(expected: string, sha1: string): StoreError {
	return new StoreError(`file pool: content of ${expected} does not match its hash (got ${sha1})`);
}

/** Runs `work` on every item, at most `limit` at once. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < items.length) await work(items[next++]!);
	};
	await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
}

/**
 * One staging area of a pool: its own directory `filedir/.staging/<pid>-<random>` (same filesystem as the pool,
 * so promotion is a rename). Blobs are verified against their hash when staged; a blob the pool already holds is
 * only verified, not written again. Two areas never share a directory, so two operations staging on the same
 * site (two restores opened at once) neither see nor clobber each other's blobs.
 */
export class PoolStaging {
	readonly dir: string;
	private readonly blobs = new Map<string, number>();
	/** Blobs being written (content hash → the write), so the same content is written once. */
	private readonly writing = new Map<string, Promise<void>>();
	private made: Promise<void> | undefined;
	private closed = false;

	constructor(readonly pool: FilePool, private readonly onClose: (area: PoolStaging) => void = () => undefined) {
		this.dir = path.join(pool.root, '.staging', `${process.pid}-${randomBytes(6).toString('hex')}`);
	}

	get name(): string {
		return path.basename(this.dir);
	}

	/** Whether this area holds the blob (staged, not yet promoted). */
	has(sha1: string): boolean {
		return this.blobs.has(sha1);
	}

	/** Hashes of the blobs staged here and not yet promoted. */
	hashes(): string[] {
		return [...this.blobs.keys()];
	}

	/** Where a staged blob is, before promotion. */
	location(sha1: string): string {
		return path.join(this.dir, sha1);
	}

	private open(): Promise<void> {
		if (this.closed) return Promise.reject(new StoreError('file pool: this staging area was already promoted or discarded'));
		this.made ??= fs.mkdir(this.dir, {recursive: true}).then(
			() => undefined,
			// Another area's discard may remove the shared parent between the two levels of the mkdir: once more.
			() => fs.mkdir(this.dir, {recursive: true}).then(() => undefined),
		);
		return this.made;
	}

	/** Whether the content needs no write: staged here already, being written, or in the pool. */
	private async known(sha1: string): Promise<boolean> {
		if (this.blobs.has(sha1)) return true;
		const inFlight = this.writing.get(sha1);
		if (inFlight) {
			await inFlight.catch(() => undefined);
			if (this.blobs.has(sha1)) return true;
		}
		return this.pool.has(sha1);
	}

	/**
	 * Stages content held in memory: hashed in one go, then written with one writeFile (nothing when the area or
	 * the pool holds it already). With `expectedSha1`, different content is refused and nothing is kept.
	 */
	async stageBuffer(content: Buffer | string, expectedSha1?: string): Promise<StagedBlob> {
		const expected = expectedHash(expectedSha1);
		const buffer = typeof content === 'string' ? Buffer.from(content) : content;
		const sha1 = createHash('sha1').update(buffer).digest('hex');
		if (expected !== undefined && sha1 !== expected) throw mismatch(expected, sha1);
		await this.open();
		if (this.blobs.has(sha1)) return {sha1, size: buffer.length};
		const inFlight = this.writing.get(sha1);
		if (inFlight) {
			await inFlight;
			return {sha1, size: buffer.length};
		}
		const target = this.location(sha1);
		const write = (async (): Promise<void> => {
			try {
				if (await this.pool.has(sha1)) return;
				await fs.writeFile(target, buffer);
			} catch (error) {
				await fs.rm(target, {force: true});
				throw new StoreError(`file pool: cannot store blob ${sha1}: ${(error as Error).message}`);
			} finally {
				this.writing.delete(sha1);
			}
			if (this.closed) await fs.rm(target, {force: true});
			else this.blobs.set(sha1, buffer.length);
		})();
		this.writing.set(sha1, write);
		await write;
		return {sha1, size: buffer.length};
	}

	/**
	 * Streams content into the area while hashing it, one write in flight while the next chunk is read.
	 * `check` is called before each chunk (a cancel: it throws, the copy stops there, nothing is kept).
	 * With `expectedSha1`, different content is refused and nothing is kept; content the pool holds is only verified.
	 */
	async stage(content: AsyncIterable<Buffer | string> | Readable, expectedSha1?: string, check?: () => void): Promise<StagedBlob> {
		const expected = expectedHash(expectedSha1);
		await this.open();
		const verifyOnly = expected !== undefined && (await this.known(expected));
		const temporary = path.join(this.dir, `.part-${randomBytes(8).toString('hex')}`);
		const hash = createHash('sha1');
		let size = 0;
		let handle: fs.FileHandle | undefined;
		const slabs: Buffer[] = [];
		let pending: Promise<unknown> = Promise.resolve();
		try {
			if (!verifyOnly) {
				handle = await fs.open(temporary, 'w');
				slabs.push(await streamSlabs.take(), await streamSlabs.take());
			}
			let turn = 0;
			for await (const piece of content) {
				check?.();
				const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
				hash.update(chunk);
				size += chunk.length;
				if (handle) {
					await pending;
					// Copied into a reused buffer: the chunk itself dies young.
					const slab = slabs[turn++ & 1]!;
					const data = chunk.length <= slab.length ? slab.subarray(0, chunk.copy(slab)) : chunk;
					pending = handle.write(data).then(({bytesWritten}) => {
						if (bytesWritten !== data.length) throw new Error(`short write (${bytesWritten} of ${data.length} bytes)`);
					});
					pending.catch(() => undefined); // awaited with the next chunk or at the end
				}
			}
			await pending;
			await handle?.close();
			handle = undefined;
		} catch (error) {
			await pending.catch(() => undefined); // its buffer is reused once it is done
			await handle?.close().catch(() => undefined);
			await fs.rm(temporary, {force: true});
			if (error instanceof MbzError) throw error;
			throw new StoreError(`file pool: cannot store a blob: ${(error as Error).message}`);
		} finally {
			for (const slab of slabs) streamSlabs.give(slab);
		}
		const sha1 = hash.digest('hex');
		if (expected !== undefined && sha1 !== expected) {
			await fs.rm(temporary, {force: true});
			throw mismatch(expected, sha1);
		}
		if (!verifyOnly) {
			if (this.closed || this.blobs.has(sha1) || (await this.pool.has(sha1))) await fs.rm(temporary, {force: true});
			else {
				await fs.rename(temporary, this.location(sha1));
				this.blobs.set(sha1, size);
			}
		}
		return {sha1, size};
	}

	/**
	 * Moves the staged blobs (only those in `only` when given) into the pool; a blob the pool already holds is
	 * dropped. The area is then discarded (blobs not promoted included). Returns how many blobs were moved.
	 */
	async promote(only?: ReadonlySet<string>): Promise<number> {
		await Promise.allSettled(this.writing.values());
		const chosen = [...this.blobs.keys()].filter((sha1) => !only || only.has(sha1));
		let moved = 0;
		// Each directory level is made once; a directory made here cannot hold the blob yet (no stat needed).
		const made = new Map<string, Promise<boolean>>();
		const makeDir = (directory: string, parent?: Promise<boolean>): Promise<boolean> => {
			let making = made.get(directory);
			if (!making) {
				making = (async () => {
					await parent;
					try {
						await fs.mkdir(directory);
						return true;
					} catch (error) {
						if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
						if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
						await fs.mkdir(directory, {recursive: true});
						return true;
					}
				})();
				made.set(directory, making);
			}
			return making;
		};
		await eachLimited(chosen, PROMOTE_CONCURRENCY, async (sha1) => {
			const target = this.pool.blobPath(sha1);
			const directory = path.dirname(target);
			const fresh = await makeDir(directory, makeDir(path.dirname(directory)));
			if (!fresh && (await this.pool.has(sha1))) return; // held already: dropped with the area
			await fs.rename(this.location(sha1), target);
			this.blobs.delete(sha1);
			moved++;
		});
		await this.discard();
		return moved;
	}

	/** Forgets every staged blob and removes the area's directory. Idempotent. */
	async discard(): Promise<void> {
		this.closed = true;
		await Promise.allSettled(this.writing.values());
		this.blobs.clear();
		this.onClose(this);
		if (this.made) {
			await this.made.catch(() => undefined);
			await fs.rm(this.dir, {recursive: true, force: true});
			// Remove the shared parent too when no other operation is staging.
			await fs.rmdir(path.dirname(this.dir)).catch(() => undefined);
		}
	}
}

/**
 * Content-addressed file storage like Moodle's moodledata/filedir: `filedir/ab/cd/<sha1>`.
 * New blobs are staged first (hashed while written) and only promoted into the pool when the
 * operation that needs them commits; discarding the staging leaves the pool untouched. Each operation can have
 * its own staging area (`openStaging()`); `stage`/`promoteStaged`/`discardStaged` use the pool's default one.
 */
export class FilePool {
	/** Areas opened and not yet promoted or discarded. */
	private readonly areas: Set<PoolStaging> = new Set();
	private defaultArea: PoolStaging | undefined;

	constructor(readonly root: string) {}

	blobPath(sha1: string): string {
		if (!SHA1.test(sha1)) throw new StoreError(`"${sha1}" is not a sha1 content hash`);
		return path.join(this.root, sha1.slice(0, 2), sha1.slice(2, 4), sha1);
	}

	/** A new, independent staging area (its directory is made on the first blob). */
	openStaging(): PoolStaging {
		const area = new PoolStaging(this, (closed) => this.areas.delete(closed));
		this.areas.add(area);
		return area;
	}

	private area(): PoolStaging {
		if (!this.defaultArea || !this.areas.has(this.defaultArea)) this.defaultArea = this.openStaging();
		return this.defaultArea;
	}

	/**
	 * Streams `content` into the default staging area while hashing it. With `expectedSha1`, a different
	 * hash rejects the blob (nothing is kept). A blob the pool already holds is only verified.
	 */
	async stage(content: Readable, expectedSha1?: string): Promise<StagedBlob> {
		return this.area().stage(content, expectedSha1);
	}

	/** Stages a buffer (small content, tests, the demo) in the default staging area. */
	async stageBuffer(content: Buffer | string, expectedSha1?: string): Promise<StagedBlob> {
		return this.area().stageBuffer(content, expectedSha1);
	}

	/** Hashes of the blobs staged in the default area and not yet promoted. */
	stagedHashes(): string[] {
		return this.defaultArea?.hashes() ?? [];
	}

	/** Moves every blob of the default area into the pool. Idempotent: a blob that is already there is kept as is. */
	async promoteStaged(): Promise<number> {
		const area = this.defaultArea;
		this.defaultArea = undefined;
		return area ? area.promote() : 0;
	}

	/** Forgets every blob of the default area and removes its directory. */
	async discardStaged(): Promise<void> {
		const area = this.defaultArea;
		this.defaultArea = undefined;
		await area?.discard();
	}

	/**
	 * Removes staging directories left by processes that died mid-operation (named `<pid>-<random>`;
	 * a directory whose process is still running is kept). Returns how many were removed.
	 */
	async removeStaleStaging(): Promise<number> {
		const parent = path.join(this.root, '.staging');
		const names = await fs.readdir(parent).catch(() => [] as string[]);
		const mine = new Set([...this.areas].map((area) => area.name));
		let removed = 0;
		for (const name of names) {
			const pid = Number(name.split('-')[0]);
			if (mine.has(name) || (Number.isInteger(pid) && pid > 0 && processAlive(pid))) continue;
			await fs.rm(path.join(parent, name), {recursive: true, force: true});
			removed++;
		}
		await fs.rmdir(parent).catch(() => undefined);
		return removed;
	}

	/** Whether the pool (not a staging area) holds the blob. */
	async has(sha1: string): Promise<boolean> {
		try {
			return (await fs.stat(this.blobPath(sha1))).isFile();
		} catch {
			return false;
		}
	}

	private location(sha1: string): string {
		return this.defaultArea?.has(sha1) ? this.defaultArea.location(sha1) : this.blobPath(sha1);
	}

	/** Reads a blob, from the pool or, before promotion, from the default staging area. */
	open(sha1: string): ReadStream {
		const stream = createReadStream(this.location(sha1), {highWaterMark: 1 << 20});
		stream.on('error', () => undefined);
		return stream;
	}

	async read(sha1: string): Promise<Buffer> {
		try {
			return await fs.readFile(this.location(sha1));
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
			if (referenced.has(sha1) || [...this.areas].some((area) => area.has(sha1))) continue;
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
