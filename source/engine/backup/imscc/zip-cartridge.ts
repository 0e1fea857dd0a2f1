import fs from 'node:fs';
import {pipeline} from 'node:stream/promises';
import yazl from 'yazl';
import {ArchiveError} from '../../errors.js';
import type {CartridgeEntry} from './cartridge.js';

/**
 * Zips the cartridge, streaming: imsmanifest.xml first, then every entry (file bodies read from the moodle2
 * pool as the zip is written). Answers the size of the written file.
 */
export async function zipCartridge(outFile: string, manifest: string, entries: readonly CartridgeEntry[]): Promise<number> {
	const zip = new yazl.ZipFile();
	const mtime = new Date();
	zip.addBuffer(Buffer.from(manifest, 'utf8'), 'imsmanifest.xml', {mtime});
	const seen = new Set<string>(['imsmanifest.xml']);
	for (const entry of entries) {
		if (seen.has(entry.path)) continue;
		seen.add(entry.path);
		if ('text' in entry) zip.addBuffer(Buffer.from(entry.text, 'utf8'), entry.path, {mtime});
		else {
			if (!fs.existsSync(entry.source)) throw new ArchiveError(outFile, `its content ${entry.source} is missing from the backup`, entry.path);
			zip.addFile(entry.source, entry.path, {mtime});
		}
	}
	zip.end();
	// Written under a temporary name and renamed when complete: a failure leaves nothing behind.
	const partial = `${outFile}.part`;
	try {
		await pipeline(zip.outputStream, fs.createWriteStream(partial));
		await fs.promises.rename(partial, outFile);
	} catch (error) {
		await fs.promises.rm(partial, {force: true});
		throw error;
	}
	return (await fs.promises.stat(outFile)).size;
}
