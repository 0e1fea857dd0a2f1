import fs from 'node:fs/promises';
import path from 'node:path';
import {readSchemaVersion} from './schema/migrations.js';
import {siteIdentifierHash} from './site-install.js';
import type {Site} from './site.js';

export type SiteInfo = {
	location: string;
	identifier: string;
	identifierHash: string;
	wwwroot: string;
	schemaVersion: number | null;
	release: string | null;
	filedir: string;
	blobs: number;
	blobBytes: number;
	/** Rows per table (without prefix), every table of the site. */
	counts: Record<string, number>;
};

/** Everything `mbz site info` shows: identity, schema version, rows per table, pool size. */
export async function describeSite(site: Site): Promise<SiteInfo> {
	const counts: Record<string, number> = {};
	for (const table of await site.db.tableNames()) {
		const row = await site.db.get<{n: number | string}>(`SELECT count(*) AS n FROM {${table}}`);
		counts[table] = Number(row?.n ?? 0);
	}
	const release = await site.db.get<{value: string}>('SELECT value FROM {config} WHERE name = ?', ['release']);
	let blobs = 0;
	let blobBytes = 0;
	for await (const sha1 of site.pool.hashes()) {
		blobs++;
		blobBytes += (await fs.stat(site.pool.blobPath(sha1))).size;
	}
	return {
		location: site.location,
		identifier: site.identifier,
		identifierHash: siteIdentifierHash(site.identifier),
		wwwroot: site.wwwroot,
		schemaVersion: (await readSchemaVersion(site.db)) ?? null,
		release: release?.value ?? null,
		filedir: path.resolve(site.pool.root),
		blobs,
		blobBytes,
		counts,
	};
}
