import fs from 'node:fs';
import path from 'node:path';
import type {MbzEntry} from '../archive/write-mbz.js';
import {CancelledError} from '../errors.js';
import {BACKUP_LOG} from './backup-log.js';

/**
 * The entries of the temp directory in Moodle's archive order (backup_zip_contents + tgz_packer): the top-level
 * items sorted by name, each directory expanded recursively with the directory before its children, and
 * moodle_backup.log last (backup_zip_contents adds it after the rest).
 * Each file is opened only when the packer reaches it; an abort destroys the open stream.
 */
export async function listArchiveEntries(root: string, signal?: AbortSignal, onOpen?: (path: string, done: number, total: number) => void): Promise<MbzEntry[]> {
	const entries: MbzEntry[] = [];
	const names = await fs.promises.readdir(root);
	const top = [...names.filter(name => name !== BACKUP_LOG).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), ...names.filter(name => name === BACKUP_LOG)];
	for (const name of top) await addEntry(root, name, entries, signal);
	if (onOpen) {
		// Packing progress: one report per file as the packer reaches it.
		const files = entries.filter(entry => entry.type === 'file');
		files.forEach((entry, index) => {
			const open = entry.open!;
			entry.open = () => {
				onOpen(entry.path, index, files.length);
				return open();
			};
		});
	}
	return entries;
}

async function addEntry(root: string, relative: string, entries: MbzEntry[], signal: AbortSignal | undefined): Promise<void> {
	const absolute = path.join(root, relative);
	const stat = await fs.promises.stat(absolute);
	if (stat.isDirectory()) {
		entries.push({path: `${relative}/`, type: 'directory', size: 0});
		for (const child of await fs.promises.readdir(absolute)) await addEntry(root, `${relative}/${child}`, entries, signal);
		return;
	}
	entries.push({
		path: relative,
		type: 'file',
		size: stat.size,
		mtime: Math.floor(stat.mtimeMs / 1000),
		open: () => {
			const stream = fs.createReadStream(absolute);
			if (signal) {
				if (signal.aborted) stream.destroy(new CancelledError('backup cancelled: nothing was written'));
				else {
					const onAbort = () => stream.destroy(new CancelledError('backup cancelled: nothing was written'));
					signal.addEventListener('abort', onAbort, {once: true});
					stream.once('close', () => signal.removeEventListener('abort', onAbort));
				}
			}
			return stream;
		},
	});
}
