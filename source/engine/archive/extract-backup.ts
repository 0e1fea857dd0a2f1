import {createWriteStream, promises as fs} from 'node:fs';
import {dirname, join} from 'node:path';
import type {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {ArchiveError} from '../errors.js';
import {readArchive, type ArchiveSummary} from './read-archive.js';
import {missingManifestError} from './missing-manifest.js';

export type ExtractOptions = {
	/** Every entry outside files/ (the XML) is written under this directory. */
	xmlDir: string;
	/** Receives each files/xx/<sha1> blob (for the file pool); without it blobs are skipped unread. */
	onBlob?: (sha1: string, size: number, content: Readable) => Promise<void>;
};

const BLOB_PATH = /^files\/([0-9a-f]{2})\/([0-9a-f]{40})$/;

/**
 * For restore: one pass that writes the backup's XML under xmlDir and hands file blobs to onBlob.
 * Like Moodle's extractor, .ARCHIVE_INDEX is never extracted. Fails when moodle_backup.xml is absent.
 */
export async function extractBackup(file: string, options: ExtractOptions): Promise<ArchiveSummary> {
	await fs.mkdir(options.xmlDir, {recursive: true});
	const made = new Set<string>([options.xmlDir]);
	const ensureDir = async (dir: string): Promise<void> => {
		if (made.has(dir)) return;
		await fs.mkdir(dir, {recursive: true});
		made.add(dir);
	};
	let sawManifest = false;
	let sawCartridgeManifest = false;
	const summary = await readArchive(file, async (entry) => {
		if (entry.path === 'imsmanifest.xml') sawCartridgeManifest = true;
		if (entry.path === '.ARCHIVE_INDEX') return;
		if (entry.path === 'files' || entry.path.startsWith('files/')) {
			if (entry.type !== 'file') return;
			const blob = BLOB_PATH.exec(entry.path);
			if (!blob || blob[1] !== blob[2]!.slice(0, 2)) throw new ArchiveError(file, 'unexpected entry in files/ (expected files/xx/<sha1>)', entry.path);
			if (options.onBlob) await options.onBlob(blob[2]!, entry.size, entry.content);
			return;
		}
		const target = join(options.xmlDir, entry.path);
		if (entry.type === 'directory') {
			await ensureDir(target);
			return;
		}
		if (entry.path === 'moodle_backup.xml') sawManifest = true;
		await ensureDir(dirname(target));
		await pipeline(entry.content, createWriteStream(target));
	});
	if (!sawManifest) throw missingManifestError(file, sawCartridgeManifest);
	return summary;
}
