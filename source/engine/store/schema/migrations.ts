import {StoreError} from '../../errors.js';
import type {Db} from '../db.js';
import {schemaDdl} from './ddl.js';
import {TABLES, type TableDefinition} from './tables.js';

/** The config row that records which schema version a site has. */
export const SCHEMA_VERSION_KEY = 'mbz_schema_version';

export type Migration = {version: number; summary: string; up(db: Db): Promise<void>};

async function createTables(db: Db, tables: Readonly<Record<string, TableDefinition>>): Promise<void> {
	for (const statement of schemaDdl(tables, {prefix: db.prefix, dialect: db.dialect})) await db.exec(statement);
}

/**
 * Forward migrations, oldest first. A new version appends one entry; it never edits an old one.
 * Version 1 creates every table the program knows.
 */
const MIGRATIONS: readonly Migration[] = [
	{version: 1, summary: 'Moodle 4.1 tables', up: db => createTables(db, TABLES)},
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/** The site's schema version, or undefined when the config table or the row is absent. */
export async function readSchemaVersion(db: Db): Promise<number | undefined> {
	const tables = await db.tableNames();
	if (!tables.includes('config')) return undefined;
	const row = await db.get<{value: string}>('SELECT value FROM {config} WHERE name = ?', [SCHEMA_VERSION_KEY]);
	if (!row) return undefined;
	const version = Number(row.value);
	if (!Number.isInteger(version) || version < 1) throw new StoreError(`site schema version "${row.value}" is not a version number`);
	return version;
}

/** Refuses a site written by a newer program before anything is changed. */
export function assertKnownVersion(version: number, location: string): void {
	if (version > SCHEMA_VERSION) {
		throw new StoreError(`${location}: the site's schema version ${version} is newer than this program knows (${SCHEMA_VERSION}); upgrade mbz-wizard`);
	}
}

/** Creates the schema on an empty database (inside the caller's transaction). */
export async function installSchema(db: Db): Promise<void> {
	for (const migration of MIGRATIONS) await migration.up(db);
	await db.insert('config', {name: SCHEMA_VERSION_KEY, value: String(SCHEMA_VERSION)});
}

/** Applies the migrations newer than `from`, in one transaction. Returns the versions applied. */
export async function migrateSchema(db: Db, from: number, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
	const pending = migrations.filter(migration => migration.version > from);
	if (pending.length === 0) return [];
	await db.transaction(async tx => {
		for (const migration of pending) await migration.up(tx);
		await tx.run('UPDATE {config} SET value = ? WHERE name = ?', [String(pending.at(-1)!.version), SCHEMA_VERSION_KEY]);
	});
	return pending.map(migration => migration.version);
}

/**
 * Creates the known tables a site lacks (a table definition added to the program since the site
 * was made). Additive only: existing tables are never altered. Returns the tables created.
 */
export async function createMissingTables(db: Db): Promise<string[]> {
	const existing = new Set(await db.tableNames());
	const missing = Object.keys(TABLES).filter(table => !existing.has(table));
	if (missing.length === 0) return [];
	await db.transaction(async tx => createTables(tx, Object.fromEntries(missing.map(table => [table, TABLES[table]!]))));
	return missing;
}
