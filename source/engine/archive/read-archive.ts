import {stat} from 'node:fs/promises';
import {finished, pipeline} from 'node:stream/promises';
import {Readable, Transform} from 'node:stream';
import {crc32, createGunzip} from 'node:zlib';
import tar from 'tar-stream';
import yauzl from 'yauzl';
import {ArchiveError, MbzError} from '../errors.js';
import {detectContainer, type Container} from './detect-container.js';
import {safeEntryPath} from './entry-path.js';
import {guardStreamingMemory} from '../memory-guard.js';
import {pumpFile} from './file-pump.js';
import {notice} from '../notices.js';

export type ArchiveEntry = {path: string; type: 'file' | 'directory'; size: number; mtime?: Date; content: Readable};
export type ArchiveSummary = {container: Container; entries: number; bytes: number};
export type EntryHandler = (entry: ArchiveEntry) => Promise<void> | void;
/** How far a pass has gone: bytes of the archive file read so far, of its size (told once per whole percent). */
export type ArchiveProgress = (bytesRead: number, bytesTotal: number) => void;

// Large chunks: gunzip + tar parsing runs about twice as fast as with Node's default 64 KiB.
const CHUNK = 1 << 20;

/**
 * One streaming pass over a backup archive, container told by magic bytes (gzip'd ustar or zip). Each entry is
 * handed to `onEntry`; content the handler leaves unread is drained once it resolves. Paths are validated and
 * normalised. Nothing is held in memory beyond the entry being read.
 */
export async function readArchive(file: string, onEntry: EntryHandler, onProgress?: ArchiveProgress): Promise<ArchiveSummary> {
	const {container} = await detectContainer(file);
	const stopGuard = guardStreamingMemory();
	try {
		const size = onProgress ? (await stat(file)).size : 0;
		// Once per whole percent: the readers report every megabyte, a screen needs no more.
		let percent = -1;
		const progress = onProgress && ((bytesRead: number) => {
			const done = Math.min(bytesRead, size);
			const now = size > 0 ? Math.floor((done / size) * 100) : 100;
			if (now === percent) return;
			percent = now;
			onProgress(done, size);
		});
		return container === 'tgz' ? await readTgz(file, onEntry, progress) : await readZip(file, onEntry, progress);
	} finally {
		stopGuard();
	}
}

/** A Moodle 1.9 backup is a zip with moodle.xml at its root; its layout is not Moodle 2's. */
function refuseMoodle19(file: string, path: string): void {
	if (path === 'moodle.xml') {
		throw new ArchiveError(file, notice('archiveMoodle19'));
	}
}

async function drain(content: Readable): Promise<void> {
	if (content.readableEnded || content.destroyed) return;
	content.resume();
	await finished(content);
}

type StreamxReadable = {resume(): unknown; on(event: string, listener: (...args: any[]) => void): unknown; destroyed: boolean; readableEnded?: boolean};

/** Reads a tar-stream (streamx) entry to its end without looking at it. */
function drainStreamx(content: StreamxReadable): Promise<void> {
	return new Promise((resolve, reject) => {
		if (content.destroyed) return resolve();
		content.on('end', () => resolve());
		content.on('close', () => resolve());
		content.on('error', reject);
		content.resume();
	});
}

async function readTgz(file: string, onEntry: EntryHandler, onRead?: (bytesRead: number) => void): Promise<ArchiveSummary> {
	const summary: ArchiveSummary = {container: 'tgz', entries: 0, bytes: 0};
	const extract = tar.extract();
	let handlerError: unknown;
	let lastEntry: string | undefined;

	extract.on('entry', (header, content, next) => {
		// Destroying the extract on failure destroys the entry too; its error is reported through the pipeline.
		content.on('error', () => undefined);
		const handle = async (): Promise<void> => {
			const type = header.type === 'directory' ? 'directory' : header.type === 'file' || header.type === 'contiguous-file' ? 'file' : undefined;
			if (type === undefined) return drainStreamx(content); // links, devices, fifos: never part of a backup
			const path = safeEntryPath(file, header.name);
			lastEntry = path;
			refuseMoodle19(file, path);
			const size = type === 'file' ? header.size ?? 0 : 0;
			summary.entries++;
			summary.bytes += size;
			// tar-stream hands out streamx streams: wrap as a Node Readable only when the handler reads it,
			// so skipped blobs cost nothing beyond the gunzip.
			let wrapped: Readable | undefined;
			const entry = {path, type, size, mtime: header.mtime} as ArchiveEntry;
			Object.defineProperty(entry, 'content', {
				enumerable: true,
				get: () => (wrapped ??= Readable.from(content, {objectMode: false})),
			});
			await onEntry(entry);
			if (wrapped) await drain(wrapped);
			else await drainStreamx(content);
		};
		handle().then(
			() => next(),
			(error: unknown) => {
				handlerError = error instanceof Error ? error : new Error(String(error));
				extract.destroy(handlerError as Error);
			},
		);
	});

	// The archive's own failures (truncated, corrupt), told apart from the stop a failing handler causes:
	// a handler reading an entry sees them as stream errors, and the archive problem is the one to report.
	let archiveError: unknown;
	const gunzip = createGunzip({chunkSize: CHUNK});
	for (const stream of [gunzip, extract] as NodeJS.EventEmitter[]) {
		stream.on('error', (error: unknown) => {
			if (error !== handlerError) archiveError ??= error;
		});
	}
	const [pumped, extracted] = await Promise.allSettled([
		pumpFile(file, gunzip, CHUNK, onRead).catch((error: unknown) => {
			gunzip.destroy(error instanceof Error ? error : new Error(String(error)));
			throw error;
		}),
		pipeline(gunzip, extract),
	]);
	const failure = extracted.status === 'rejected' ? extracted.reason : pumped.status === 'rejected' ? pumped.reason : undefined;
	if (failure !== undefined) {
		if (archiveError !== undefined) throw tgzError(file, archiveError, lastEntry);
		if (handlerError !== undefined) throw handlerError;
		throw tgzError(file, failure, lastEntry);
	}
	if (handlerError !== undefined) throw handlerError;
	return summary;
}

function tgzError(file: string, error: unknown, lastEntry: string | undefined): MbzError {
	if (error instanceof MbzError) return error;
	const message = error instanceof Error ? error.message : String(error);
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	const after = lastEntry ? notice('archiveAfterEntry', {entry: lastEntry}) : notice('archiveInFirstEntry');
	if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message)) return new ArchiveError(file, notice('archiveGzipTruncated'));
	if (/incorrect data check/i.test(message)) return new ArchiveError(file, notice('archiveGzipCorrupt'));
	if (/incorrect length check/i.test(message)) return new ArchiveError(file, notice('archiveGzipLength'));
	if (code?.startsWith('Z_') || /incorrect header check|invalid (block type|distance|code|stored)/i.test(message)) {
		return new ArchiveError(file, `corrupt gzip data (${message})`);
	}
	if (/Invalid tar header|Invalid header|unknown format/i.test(message)) return new ArchiveError(file, notice('archiveTarHeader', {after}));
	if (/Unexpected end of data/i.test(message)) return new ArchiveError(file, notice('archiveTarTruncated', {after}));
	return new ArchiveError(file, message);
}

async function readZip(file: string, onEntry: EntryHandler, onRead?: (bytesRead: number) => void): Promise<ArchiveSummary> {
	const summary: ArchiveSummary = {container: 'zip', entries: 0, bytes: 0};
	const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
		yauzl.open(file, {lazyEntries: true, autoClose: true, decodeStrings: true, validateEntrySizes: true}, (error, opened) => {
			if (error || !opened) reject(zipError(file, error));
			else resolve(opened);
		});
	});
	const openEntry = (entry: yauzl.Entry): Promise<Readable> =>
		new Promise((resolve, reject) => {
			zip.openReadStream(entry, (error, stream) => {
				if (error || !stream) reject(zipError(file, error, entry.fileName));
				else {
					const checked = checkCrc32(file, entry);
					stream.on('error', (streamError: Error) => checked.destroy(streamError));
					resolve(stream.pipe(checked));
				}
			});
		});

	await new Promise<void>((resolve, reject) => {
		let failed = false;
		const fail = (error: unknown): void => {
			if (failed) return;
			failed = true;
			zip.close();
			reject(error);
		};
		zip.on('error', (error: unknown) => fail(zipError(file, error)));
		zip.on('end', () => {
			if (failed) return;
			onRead?.(Number.POSITIVE_INFINITY); // the central directory after the last entry
			resolve();
		});
		zip.on('entry', (entry: yauzl.Entry) => {
			const handle = async (): Promise<void> => {
				const isDirectory = entry.fileName.endsWith('/');
				const path = safeEntryPath(file, entry.fileName);
				refuseMoodle19(file, path);
				const size = isDirectory ? 0 : entry.uncompressedSize;
				summary.entries++;
				summary.bytes += size;
				const content = isDirectory ? emptyStream() : await openEntry(entry);
				try {
					await onEntry({path, type: isDirectory ? 'directory' : 'file', size, mtime: entry.getLastModDate(), content});
					await drain(content);
				} catch (error) {
					content.destroy();
					throw error instanceof MbzError ? error : zipError(file, error, path);
				}
			};
			handle().then(() => {
				// Entries follow each other in the file: the end of this one's data is how far the pass has read.
				onRead?.(entry.relativeOffsetOfLocalHeader + 30 + entry.fileNameLength + entry.extraFieldLength + entry.compressedSize);
				zip.readEntry();
			}, fail);
		});
		zip.readEntry();
	});
	return summary;
}

/**
 * The entry's data, checked against the CRC-32 of the zip's central directory once it has all gone through: yauzl
 * does not check it, and a damaged deflate stream can inflate without error into different bytes.
 */
function checkCrc32(file: string, entry: yauzl.Entry): Transform {
	let crc = 0;
	return new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			crc = crc32(chunk, crc);
			callback(null, chunk);
		},
		flush(callback) {
			if (crc >>> 0 === entry.crc32 >>> 0) callback();
			else callback(new ArchiveError(file, notice('archiveZipCrc'), entry.fileName));
		},
	});
}

function emptyStream(): Readable {
	return Readable.from([], {objectMode: false});
}

function zipError(file: string, error: unknown, entry?: string): MbzError {
	if (error instanceof MbzError) return error;
	const message = error instanceof Error ? error.message : String(error);
	const unsafe = /^(absolute path|invalid relative path): (.*)$/.exec(message);
	if (unsafe) return new ArchiveError(file, notice(unsafe[1] === 'absolute path' ? 'archiveUnsafeAbsolute' : 'archiveUnsafeParent'), unsafe[2]);
	if (/central directory|end of central directory|signature/i.test(message)) return new ArchiveError(file, `corrupt zip (bad central directory: ${message})`);
	return new ArchiveError(file, `corrupt zip (${message})`, entry);
}
