import {createWriteStream} from 'node:fs';
import {mkdir, writeFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {Transform, type Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {readArchive} from '../archive/read-archive.js';
import {ArchiveError} from '../errors.js';
import type {FilePool} from '../store/file-pool.js';

const SMALL_ENTRY = 1 << 20;
const MAX_PENDING_WRITES = 32;
const BLOB = /^files\/[0-9a-f]{2}\/([0-9a-f]{40})$/;
/** How often a long body copy looks for a cancel. */
const CHECK_EVERY_MS = 50;

/** A large body passed through with a cancel check every CHECK_EVERY_MS, so a Ctrl-C does not wait for the whole copy. */
function checkedWhileCopied(content: Readable, check: () => void): Readable {
	let last = Date.now();
	const guard = new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			const now = Date.now();
			if (now - last >= CHECK_EVERY_MS) {
				last = now;
				try {
					check();
				} catch (error) {
					callback(error as Error);
					return;
				}
			}
			callback(null, chunk);
		},
	});
	content.once('error', (error) => guard.destroy(error));
	return content.pipe(guard);
}

/** Writes every XML (non-files/) entry of the backup under `xmlDir`; file bodies are skipped. */
export async function extractRestoreXml(file: string, xmlDir: string): Promise<void> {
	let sawMain = false;
	// Backups hold tens of thousands of small XML entries: directories are made once, small entries written whole.
	const made = new Set<string>();
	const pending = new Set<Promise<void>>();
	let failure: ArchiveError | undefined;
	await readArchive(file, async (entry) => {
		if (entry.type !== 'file' || entry.path.startsWith('files/')) return;
		if (entry.path === 'moodle_backup.xml') sawMain = true;
		const target = join(xmlDir, entry.path);
		const directory = dirname(target);
		if (!made.has(directory)) {
			await mkdir(directory, {recursive: true});
			made.add(directory);
		}
		if (entry.size > SMALL_ENTRY) {
			await pipeline(entry.content, createWriteStream(target));
			return;
		}
		const chunks: Buffer[] = [];
		for await (const chunk of entry.content) chunks.push(chunk as Buffer);
		// Written in the background (a bounded number at once) while the archive goes on.
		const write: Promise<void> = writeFile(target, Buffer.concat(chunks))
			.catch((error: unknown) => {
				failure ??= new ArchiveError(file, `cannot extract: ${(error as Error).message}`, entry.path);
			})
			.finally(() => pending.delete(write));
		pending.add(write);
		if (pending.size >= MAX_PENDING_WRITES) await Promise.race(pending);
		if (failure) throw failure;
	});
	await Promise.all(pending);
	if (failure) throw failure;
	if (!sawMain) throw new ArchiveError(file, 'no moodle_backup.xml: not a Moodle backup');
}

/**
 * Stages the file bodies (files/xx/<sha1>) into the pool's staging area, each verified against its name.
 * `wanted` limits it to the hashes the restore will reference. Promoted only after the database commits.
 */
export async function stageBackupBlobs(file: string, pool: FilePool, wanted: ReadonlySet<string>, check: () => void): Promise<number> {
	let staged = 0;
	// Small bodies are read whole and staged from memory (no stream plumbing per blob); large ones streamed.
	let failure: ArchiveError | undefined;
	const failed = (path: string) => (error: unknown) => {
		failure ??= new ArchiveError(file, `cannot store this file: ${(error as Error).message}`, path);
	};
	await readArchive(file, async (entry) => {
		check();
		if (failure) throw failure;
		const match = BLOB.exec(entry.path);
		if (entry.type !== 'file' || !match || !wanted.has(match[1]!)) return;
		staged++;
		if (entry.size > SMALL_ENTRY) {
			await pool.stage(checkedWhileCopied(entry.content, check), match[1]).catch(failed(entry.path));
			if (failure) {
				check(); // a copy stopped by a cancel is reported as the cancel
				throw failure;
			}
			return;
		}
		const chunks: Buffer[] = [];
		for await (const chunk of entry.content) chunks.push(chunk as Buffer);
		// One at a time: the pool's staging is not made for concurrent writers.
		await pool.stageBuffer(Buffer.concat(chunks), match[1]).catch(failed(entry.path));
		if (failure) throw failure;
	});
	if (failure) throw failure;
	return staged;
}
