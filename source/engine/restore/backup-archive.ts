import {createWriteStream} from 'node:fs';
import {mkdir, writeFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {pipeline} from 'node:stream/promises';
import {missingManifestError} from '../archive/missing-manifest.js';
import {readArchive, type ArchiveProgress, type ArchiveSummary} from '../archive/read-archive.js';
import type {ExtractedBackup} from '../details/read-backup-details.js';
import {ArchiveError, CancelledError, MbzError, StoreError} from '../errors.js';
import {Slabs, type PoolStaging} from '../store/file-pool.js';

/** Entries up to this size are read whole and written with one call; larger ones are streamed. */
const SMALL_ENTRY = 1 << 20;
/** Writes in flight while the archive goes on: as many reused buffers of SMALL_ENTRY bytes. */
const MAX_PENDING_WRITES = 16;
/** files/<first two hex digits of the sha1>/<sha1>, as Moodle lays out file bodies. */
const BLOB = /^files\/([0-9a-f]{2})\/(\1[0-9a-f]{38})$/;

/** What the pass extracted: the XML entries' paths (under xmlDir), the bodies by content hash with their sizes, the archive's summary. */
export type RestoreArchiveSummary = ExtractedBackup;

/**
 * The one pass over a backup that a restore needs, as Moodle extracts the whole backup before its Confirm step:
 * every XML (non-files/) entry is written under `xmlDir`, every file body `files/xx/<sha1>` is verified against
 * its name and staged in `staging` (promoted into the pool only once the restore commits). Small entries are
 * written in the background, a bounded number at once; large bodies are streamed with a cancel check per chunk.
 * A body whose content does not match its name is an ArchiveError naming the entry. On any failure the writes
 * in flight are settled before this rejects, so the caller can remove what was written.
 */
export async function readRestoreArchive(file: string, xmlDir: string, staging: PoolStaging, signal?: AbortSignal, onProgress?: ArchiveProgress): Promise<RestoreArchiveSummary> {
	const xmlEntries: string[] = [];
	const bodies = new Map<string, number>();
	let archive: ArchiveSummary;
	let sawMain = false;
	let sawCartridgeManifest = false;
	// Backups hold tens of thousands of small XML entries: directories are made once, small entries written whole.
	const made = new Set<string>();
	const pending = new Set<Promise<void>>();
	let failure: MbzError | undefined;
	const check = (): void => {
		if (signal?.aborted) throw new CancelledError(`${file}: opening the backup was cancelled: nothing was written`);
	};
	const failed = (entry: string, what: string) => (error: unknown) => {
		failure ??= error instanceof MbzError && !(error instanceof StoreError)
			? error
			: new ArchiveError(file, `${what}: ${(error as Error).message.replace(/^file pool: /, '')}`, entry);
	};
	// Small entries are copied into reused buffers and written from there: nothing fresh per entry for the GC.
	const slabs = new Slabs(SMALL_ENTRY, MAX_PENDING_WRITES);
	const readSmall = async (entry: {path: string; content: AsyncIterable<unknown>}): Promise<{slab: Buffer; data: Buffer}> => {
		const slab = await slabs.take();
		let length = 0;
		try {
			for await (const piece of entry.content) {
				const chunk = piece as Buffer;
				if (length + chunk.length > slab.length) throw new ArchiveError(file, 'entry larger than its header says', entry.path);
				length += chunk.copy(slab, length);
			}
		} catch (error) {
			slabs.give(slab);
			throw error;
		}
		return {slab, data: slab.subarray(0, length)};
	};
	/** Writes in the background; the untar goes on, and waits only when every buffer is in use. */
	const inBackground = (slab: Buffer, write: Promise<unknown>, entry: string, what: string): void => {
		const tracked: Promise<void> = write.then(() => undefined, failed(entry, what)).finally(() => {
			slabs.give(slab);
			pending.delete(tracked);
		});
		pending.add(tracked);
	};
	try {
		archive = await readArchive(file, async (entry) => {
			check();
			if (failure) throw failure;
			if (entry.path === 'imsmanifest.xml') sawCartridgeManifest = true;
			// Like Moodle's extractor, the index is not extracted.
			if (entry.type !== 'file' || entry.path === '.ARCHIVE_INDEX') return;
			if (entry.path.startsWith('files/')) {
				const match = BLOB.exec(entry.path);
				if (!match) throw new ArchiveError(file, 'unexpected entry in files/ (expected files/xx/<sha1>)', entry.path);
				const sha1 = match[2]!;
				bodies.set(sha1, entry.size);
				if (entry.size > SMALL_ENTRY) {
					await staging.stage(entry.content, sha1, check).then(() => undefined, failed(entry.path, 'cannot store this file'));
				} else {
					const {slab, data} = await readSmall(entry);
					inBackground(slab, staging.stageBuffer(data, sha1), entry.path, 'cannot store this file');
				}
				if (failure) throw failure;
				return;
			}
			xmlEntries.push(entry.path);
			if (entry.path === 'moodle_backup.xml') sawMain = true;
			const target = join(xmlDir, entry.path);
			const directory = dirname(target);
			if (!made.has(directory)) {
				await mkdir(directory, {recursive: true});
				made.add(directory);
			}
			if (entry.size > SMALL_ENTRY) {
				await pipeline(entry.content, createWriteStream(target)).catch(failed(entry.path, 'cannot extract'));
			} else {
				const {slab, data} = await readSmall(entry);
				inBackground(slab, writeFile(target, data), entry.path, 'cannot extract');
			}
			if (failure) throw failure;
		}, onProgress);
	} catch (error) {
		// A cancel stops the copy in flight: reported as the cancel, not as the copy that broke off.
		check();
		throw failure ?? error;
	} finally {
		await Promise.allSettled(pending);
	}
	if (failure) throw failure;
	if (!sawMain) throw missingManifestError(file, sawCartridgeManifest);
	return {xmlDir, xmlEntries, bodies, archive};
}
