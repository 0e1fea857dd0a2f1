import {randomBytes} from 'node:crypto';
import fs from 'node:fs/promises';
import {constants as fsConstants, type Stats} from 'node:fs';
import path from 'node:path';
import {StoreError} from '../errors.js';
import type {Db} from './db.js';
import {FilePool} from './file-pool.js';
import {assertKnownVersion, createMissingTables, migrateSchema, readSchemaVersion, SCHEMA_VERSION} from './schema/migrations.js';
import {installSite, siteIdentifierHash} from './site-install.js';
import {openSqliteDb} from './sqlite-db.js';
import {initPgSite, openPgSiteDb, pgSiteExists} from './pg-site.js';

export type Site = {db: Db; pool: FilePool; location: string; identifier: string; wwwroot: string; close(): Promise<void>};

export type OpenSiteOptions = {
	/** File pool directory (PostgreSQL sites; a directory site keeps its own filedir/ by default). */
	filedir?: string;
	/** Open without writing anything (site info): no migration, SQLite opened read-only. */
	readOnly?: boolean;
	/** How long to wait for another process's write lock (default 5 s). */
	busyTimeoutMs?: number;
};

export type InitSiteOptions = {
	demo?: boolean;
	filedir?: string;
	wwwroot?: string;
	busyTimeoutMs?: number;
};

export const SITE_DB = 'site.db';
export const SITE_FILEDIR = 'filedir';

export function isPostgresLocation(location: string): boolean {
	return /^postgres(ql)?:\/\//i.test(location);
}

async function statOrUndefined(file: string): Promise<Stats | undefined> {
	try {
		return await fs.stat(file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw new StoreError(`${file}: ${(error as Error).message}`);
	}
}

async function writable(file: string): Promise<boolean> {
	try {
		await fs.access(file, fsConstants.W_OK);
		return true;
	} catch {
		return false;
	}
}

/** The database of a site location, and where its file pool lives. Extended for postgres:// URLs. */
export async function openDb(location: string, options: {create?: boolean; readOnly?: boolean; busyTimeoutMs?: number; file?: string; filedir?: string} = {}): Promise<{db: Db; filedir: string}> {
	if (isPostgresLocation(location)) {
		return openPgSiteDb(location, {readOnly: options.readOnly ?? false, ...(options.filedir === undefined ? {} : {filedir: options.filedir})});
	}
	const file = options.file ?? path.join(location, SITE_DB);
	const db = await openSqliteDb(file, {
		create: options.create ?? false,
		readOnly: options.readOnly ?? false,
		...(options.busyTimeoutMs === undefined ? {} : {busyTimeoutMs: options.busyTimeoutMs}),
	});
	return {db, filedir: path.join(location, SITE_FILEDIR)};
}

/** Checks a site directory before anything opens it for writing. */
async function checkSiteDirectory(location: string, readOnly: boolean): Promise<void> {
	const stat = await statOrUndefined(location);
	if (!stat) throw new StoreError(`${location}: no site here (create one with: mbz site init --site ${location})`);
	if (!stat.isDirectory()) throw new StoreError(`${location}: is a file, not a site directory`);
	const dbFile = path.join(location, SITE_DB);
	const dbStat = await statOrUndefined(dbFile);
	if (!dbStat) throw new StoreError(`${location}: not a site (no ${SITE_DB}; create one with: mbz site init --site ${location})`);
	if (!dbStat.isFile()) throw new StoreError(`${dbFile}: is not a file`);
	if (!readOnly && (!(await writable(location)) || !(await writable(dbFile)))) {
		throw new StoreError(`${location}: the site directory is read-only (mbz needs to write ${SITE_DB} and its journal)`);
	}
}

async function readConfig(db: Db, name: string): Promise<string | undefined> {
	const row = await db.get<{value: string}>('SELECT value FROM {config} WHERE name = ?', [name]);
	return row?.value;
}

/** Opens an existing site: checks it, refuses a newer schema untouched, applies forward migrations. */
export async function openSite(location: string, options: OpenSiteOptions = {}): Promise<Site> {
	const readOnly = options.readOnly ?? false;
	if (!isPostgresLocation(location)) await checkSiteDirectory(location, readOnly);
	const {db, filedir} = await openDb(location, {
		readOnly,
		...(options.filedir === undefined ? {} : {filedir: options.filedir}),
		...(options.busyTimeoutMs === undefined ? {} : {busyTimeoutMs: options.busyTimeoutMs}),
	});
	try {
		const version = await readSchemaVersion(db);
		if (version === undefined) throw new StoreError(`${location}: not an mbz site (its database has no ${db.prefix}config schema version)`);
		assertKnownVersion(version, location);
		if (version < SCHEMA_VERSION) {
			if (readOnly) throw new StoreError(`${location}: the site's schema (version ${version}) needs an upgrade; open it once for writing`);
			await migrateSchema(db, version);
		}
		if (!readOnly) await createMissingTables(db);
		const identifier = await readConfig(db, 'siteidentifier');
		const wwwroot = await readConfig(db, 'wwwroot');
		if (!identifier || !wwwroot) throw new StoreError(`${location}: the site has no siteidentifier or wwwroot in its config`);
		const pool = new FilePool(options.filedir ?? filedir);
		if (!readOnly) await pool.removeStaleStaging();
		return {
			db,
			pool,
			location,
			identifier,
			wwwroot,
			async close() {
				await pool.discardStaged();
				await db.close();
			},
		};
	} catch (error) {
		await db.close().catch(() => undefined);
		throw error;
	}
}

/** Whether a site already exists at the location (a directory holding site.db). */
export async function siteExists(location: string): Promise<boolean> {
	if (isPostgresLocation(location)) return pgSiteExists(location);
	const stat = await statOrUndefined(path.join(location, SITE_DB));
	return stat !== undefined;
}

const INIT_LEFTOVER = new RegExp(`^\\.${SITE_DB.replace('.', '\\.')}\\.init-(\\d+)-[0-9a-f]+(-journal)?$`);

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * What an init interrupted by a crash leaves: its temporary database (named after its process) and
 * a filedir/ holding nothing but staging. Removed so the directory can be initialised again; an init
 * still running in another process is reported instead. Returns the entries that remain.
 */
async function removeInitLeftovers(location: string, entries: string[]): Promise<string[]> {
	const leftovers = entries.filter(name => INIT_LEFTOVER.test(name));
	if (leftovers.length === 0) return entries;
	for (const name of leftovers) {
		const pid = Number(INIT_LEFTOVER.exec(name)![1]);
		if (processAlive(pid) && pid !== process.pid) throw new StoreError(`${location}: another mbz process (pid ${pid}) is creating a site here`);
	}
	let remaining = entries.filter(name => !leftovers.includes(name));
	let stagingOnlyFiledir = false;
	if (remaining.includes(SITE_FILEDIR)) {
		const inside = await fs.readdir(path.join(location, SITE_FILEDIR)).catch(() => ['?']);
		stagingOnlyFiledir = inside.every(name => name === '.staging');
		if (stagingOnlyFiledir) remaining = remaining.filter(name => name !== SITE_FILEDIR);
	}
	// Anything else in the directory: leave everything as it is and let the caller refuse.
	if (remaining.length > 0) return entries;
	if (stagingOnlyFiledir) await fs.rm(path.join(location, SITE_FILEDIR), {recursive: true, force: true});
	for (const name of leftovers) await fs.rm(path.join(location, name), {force: true});
	return [];
}

/**
 * Creates a site in an empty or absent directory: the schema, Moodle's base records, and with
 * `demo` the demo courses. Built under a temporary name and renamed to site.db only when complete,
 * so a failure leaves the directory as it was.
 */
export async function initSite(location: string, options: InitSiteOptions = {}): Promise<Site> {
	if (isPostgresLocation(location)) {
		await initPgSite(location, options);
		return openSite(location, options.filedir === undefined ? {} : {filedir: options.filedir});
	}
	const stat = await statOrUndefined(location);
	let createdDirectory = false;
	if (stat) {
		if (!stat.isDirectory()) throw new StoreError(`${location}: is a file, not a site directory`);
		let entries = await fs.readdir(location).catch(error => {
			throw new StoreError(`${location}: cannot read the directory (${(error as Error).message})`);
		});
		if (entries.includes(SITE_DB)) throw new StoreError(`${location}: a site already exists here`);
		entries = await removeInitLeftovers(location, entries);
		if (entries.length > 0) {
			throw new StoreError(`${location}: the directory is not empty and is not a site; refusing to create a site over its ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`);
		}
		if (!(await writable(location))) throw new StoreError(`${location}: the directory is read-only`);
	} else {
		try {
			await fs.mkdir(location, {recursive: true});
			createdDirectory = true;
		} catch (error) {
			throw new StoreError(`${location}: cannot create the site directory (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
		}
	}

	const temporary = path.join(location, `.${SITE_DB}.init-${process.pid}-${randomBytes(6).toString('hex')}`);
	const filedir = options.filedir ?? path.join(location, SITE_FILEDIR);
	let db: Db | undefined;
	let pool: FilePool | undefined;
	try {
		({db} = await openDb(location, {create: true, file: temporary, ...(options.busyTimeoutMs === undefined ? {} : {busyTimeoutMs: options.busyTimeoutMs})}));
		await fs.mkdir(filedir, {recursive: true});
		pool = new FilePool(filedir);
		const activePool = pool;
		await db.transaction(async tx => {
			const identity = await installSite(tx, options.wwwroot === undefined ? {} : {wwwroot: options.wwwroot});
			if (options.demo) {
				const {seedDemoSite} = await import('../demo/seed-demo-site.js');
				await seedDemoSite(tx, activePool, {wwwroot: identity.wwwroot});
			}
		});
		await pool.promoteStaged();
		await db.close();
		db = undefined;
		await fs.rename(temporary, path.join(location, SITE_DB));
	} catch (error) {
		await db?.close().catch(() => undefined);
		await pool?.discardStaged().catch(() => undefined);
		await fs.rm(temporary, {force: true});
		await fs.rm(`${temporary}-journal`, {force: true});
		if (!options.filedir) await fs.rm(filedir, {recursive: true, force: true});
		if (createdDirectory) await fs.rm(location, {recursive: true, force: true});
		if (error instanceof StoreError) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') throw new StoreError(`${location}: the directory is read-only`);
		throw error;
	}
	return openSite(location, {
		...(options.filedir === undefined ? {} : {filedir: options.filedir}),
		...(options.busyTimeoutMs === undefined ? {} : {busyTimeoutMs: options.busyTimeoutMs}),
	});
}

export {siteIdentifierHash};
