import {createWriteStream, promises as fs} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {createGzip} from 'node:zlib';
import {ArchiveError} from '../errors.js';
import {DEFAULT_TAR_MTIME, TAR_BLOCK, tarHeader, tarPadding} from './tar-header.js';

export type MbzEntry = {
	path: string;
	type: 'file' | 'directory';
	size: number;
	/** Unix seconds; unknown -> Moodle's default timestamp (2013-01-01). */
	mtime?: number;
	/** Opens the content of a file entry; it must yield exactly `size` bytes. */
	open?: () => Readable;
};

const INDEX_FILE = '.ARCHIVE_INDEX';

/** Moodle's archive index: `Moodle archive file index. Count: N`, then `path\ttype\tsize\tmtime` per entry. */
export function archiveIndex(entries: readonly MbzEntry[]): string {
	let list = '';
	for (const entry of entries) {
		if (entry.type === 'directory') list += `${withSlash(entry.path)}\td\t0\t?\n`;
		else list += `${entry.path}\tf\t${entry.size}\t${entry.mtime ?? '?'}\n`;
	}
	return `Moodle archive file index. Count: ${entries.length}\n${list}`;
}

function withSlash(path: string): string {
	return path.endsWith('/') ? path : `${path}/`;
}

async function* tarStream(entries: readonly MbzEntry[]): AsyncGenerator<Buffer> {
	const index = Buffer.from(archiveIndex(entries), 'utf8');
	yield tarHeader(INDEX_FILE, false, index.length, DEFAULT_TAR_MTIME);
	yield index;
	yield tarPadding(index.length);
	for (const entry of entries) {
		if (entry.type === 'directory') {
			yield tarHeader(entry.path, true, 0, DEFAULT_TAR_MTIME);
			continue;
		}
		yield tarHeader(entry.path, false, entry.size, entry.mtime);
		let written = 0;
		if (entry.size > 0 || entry.open) {
			if (!entry.open) throw new Error(`writeMbz: no content for ${entry.path}`);
			for await (const chunk of entry.open()) {
				const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
				written += buffer.length;
				if (written > entry.size) break;
				yield buffer;
			}
		}
		if (written !== entry.size) throw new Error(`Mismatch between provided sizes: ${entry.path} (was ${written}, expected ${entry.size})`);
		yield tarPadding(entry.size);
	}
	yield Buffer.alloc(2 * TAR_BLOCK, 0);
}

/**
 * Writes a Moodle .mbz (gzip'd ustar exactly as tgz_packer does): .ARCHIVE_INDEX first, then the entries in
 * the given order. Written under a temporary name beside outFile and renamed only when complete.
 */
export async function writeMbz(outFile: string, entries: readonly MbzEntry[]): Promise<{bytes: number}> {
	const temporary = join(dirname(outFile), `.${basename(outFile)}.${process.pid}.${Date.now().toString(36)}.part`);
	try {
		await pipeline(Readable.from(tarStream(entries)), createGzip(), createWriteStream(temporary));
		await fs.rename(temporary, outFile);
	} catch (error) {
		await fs.rm(temporary, {force: true});
		if (error instanceof ArchiveError) throw error;
		throw new ArchiveError(outFile, `cannot write the backup: ${error instanceof Error ? error.message : String(error)}`);
	}
	const {size} = await fs.stat(outFile);
	return {bytes: size};
}
