import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import {readArchive} from '../../../source/engine/archive/read-archive.js';
import {initSite, type Site} from '../../../source/engine/store/site.js';

/** Every entry of an archive, decompressed, by path (directories end with '/'). */
export async function readAllEntries(file: string): Promise<Map<string, Buffer>> {
	const entries = new Map<string, Buffer>();
	await readArchive(file, async entry => {
		const chunks: Buffer[] = [];
		for await (const chunk of entry.content) chunks.push(chunk as Buffer);
		entries.set(entry.type === 'directory' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path, Buffer.concat(chunks));
	});
	return entries;
}

/** The names of the tar headers in order, straight from the gunzipped bytes (ustar: name at 0, prefix at 345). */
export function tarEntryNames(file: string): string[] {
	const tar = zlib.gunzipSync(fs.readFileSync(file));
	const names: string[] = [];
	let offset = 0;
	while (offset + 512 <= tar.length) {
		const header = tar.subarray(offset, offset + 512);
		if (header.every(byte => byte === 0)) break;
		const text = (start: number, length: number) => header.subarray(start, start + length).toString('latin1').replace(/\0.*$/s, '');
		const name = text(0, 100);
		const prefix = text(345, 155);
		const size = Number.parseInt(text(124, 12).trim() || '0', 8);
		names.push(prefix ? `${prefix}/${name}` : name);
		offset += 512 + Math.ceil(size / 512) * 512;
	}
	return names;
}

export async function tempDir(prefix: string): Promise<string> {
	return fs.promises.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** A new empty site in its own temp dir; given the test, it is closed and removed when the test ends. */
export async function freshSite(t?: {teardown(fn: () => Promise<void>): void}): Promise<{site: Site; dir: string}> {
	const dir = await tempDir('mbz-backup-test-');
	const site = await initSite(path.join(dir, 'site'));
	t?.teardown(async () => {
		await site.close();
		await fs.promises.rm(dir, {recursive: true, force: true});
	});
	return {site, dir};
}
