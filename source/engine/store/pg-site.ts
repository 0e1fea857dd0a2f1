import fs from 'node:fs/promises';
import path from 'node:path';
import {StoreError, UsageError} from '../errors.js';
import type {Db, Row, SqlValue} from './db.js';
import {FilePool} from './file-pool.js';
import {openPgDb, PgDb} from './pg-db.js';
import {readSchemaVersion} from './schema/migrations.js';
import {installSite} from './site-install.js';
import {parseSiteLocation, type PostgresSiteLocation} from './site-location.js';

/**
 * PostgreSQL sites: the database holds the tables, the file pool stays a directory. Its path is given
 * with --filedir or recorded in the site's config at init (this key), so later commands find it alone.
 */
export const FILEDIR_CONFIG_KEY = 'mbz_filedir';

function postgresLocation(location: string): PostgresSiteLocation {
	const parsed = parseSiteLocation(location);
	if (parsed.kind !== 'postgres') throw new StoreError(`${location}: not a PostgreSQL location`);
	return parsed;
}

/**
 * Opens a PostgreSQL site's database and finds its file pool: `filedir` if given, else the one recorded
 * at init. A database without our config table is returned as is (the caller reports "not an mbz site").
 */
export async function openPgSiteDb(location: string, options: {filedir?: string; readOnly?: boolean} = {}): Promise<{db: PgDb; filedir: string}> {
	const parsed = postgresLocation(location);
	const db = await openPgDb(parsed, {readOnly: options.readOnly ?? false});
	try {
		if (options.filedir !== undefined) return {db, filedir: path.resolve(options.filedir)};
		const tables = await db.tableNames();
		const recorded = tables.includes('config')
			? (await db.get<{value: string}>('SELECT value FROM {config} WHERE name = ?', [FILEDIR_CONFIG_KEY]))?.value
			: undefined;
		if (recorded) return {db, filedir: recorded};
		if (!tables.includes('config')) return {db, filedir: ''};
		throw new UsageError(`${parsed.display}: this PostgreSQL site has no file pool directory recorded; give one with --filedir DIR`);
	} catch (error) {
		await db.close();
		throw error;
	}
}

/** Whether the location's database already holds an mbz site (our config table with a schema version). */
export async function pgSiteExists(location: string): Promise<boolean> {
	const db = await openPgDb(postgresLocation(location), {readOnly: true});
	try {
		return (await readSchemaVersion(db)) !== undefined;
	} finally {
		await db.close();
	}
}

/**
 * Creates a site in a PostgreSQL database (the schema named in the URL is created if needed). Refuses a
 * database that already has tables with the prefix: an existing site, or someone else's tables.
 * The tables are created in chunks of statements, each chunk committed at once: one transaction creating some
 * 800 tables, indexes and sequences holds a lock on each, and a few such inits at a time exhaust the server's
 * lock table ("out of shared memory" with the default max_locks_per_transaction). The base records and the
 * demo go in one transaction; if anything fails, the tables this init created are dropped again, so a
 * failure leaves the database as it was. The caller opens the site afterwards.
 */
export async function initPgSite(location: string, options: {demo?: boolean; filedir?: string; wwwroot?: string} = {}): Promise<void> {
	const parsed = postgresLocation(location);
	if (options.filedir === undefined) {
		throw new UsageError(`${parsed.display}: a PostgreSQL site keeps its files in a directory; give one with --filedir DIR`);
	}
	const filedir = path.resolve(options.filedir);
	await checkFiledir(filedir);

	const db = await openPgDb(parsed, {createSchema: true});
	// A handle of its own for the DDL: inside the install transaction the site handle would join it.
	let ddl: Db | undefined;
	let pool: FilePool | undefined;
	const created: string[] = [];
	try {
		const existing = await db.tableNames();
		if (existing.length > 0) {
			const isSite = existing.includes('config') && (await readSchemaVersion(db)) !== undefined;
			throw new StoreError(isSite
				? `${parsed.display}: a site already exists here`
				: `${parsed.display}: the database already holds ${existing.length} table(s) with the prefix "${parsed.prefix}" that are not an mbz site (e.g. ${parsed.prefix}${existing[0]}); refusing to create a site over them`);
		}
		pool = new FilePool(filedir);
		const activePool = pool;
		await db.transaction(async tx => {
			ddl = await openPgDb(parsed, {maxConnections: 1});
			const install = new DdlCommittedAtOnce(tx, ddl, created);
			const identity = await installSite(install, options.wwwroot === undefined ? {} : {wwwroot: options.wwwroot});
			await install.insert('config', {name: FILEDIR_CONFIG_KEY, value: filedir});
			if (options.demo) {
				const {seedDemoSite} = await import('../demo/seed-demo-site.js');
				await seedDemoSite(install, activePool, {wwwroot: identity.wwwroot});
			}
			await install.close();
		});
		await pool.promoteStaged();
	} catch (error) {
		await pool?.discardStaged().catch(() => undefined);
		await dropTables(db, created).catch(() => undefined);
		throw error;
	} finally {
		await ddl?.close();
		await db.close();
	}
}

/** Drops the given (prefixed) tables, a few per statement to keep each one's locks few. */
async function dropTables(db: Db, tables: readonly string[]): Promise<void> {
	for (let start = 0; start < tables.length; start += 20) {
		await db.exec(`DROP TABLE IF EXISTS ${tables.slice(start, start + 20).map(name => `"${name}"`).join(', ')} CASCADE`);
	}
}

/** DDL statements sent (and committed) together: few commits, yet few locks held at once. */
const DDL_CHUNK = 50;

/**
 * The install's view of the database: everything in its transaction, except DDL, which runs (and commits)
 * in chunks on another pooled connection, flushed before any other statement, so the transaction sees
 * the tables it needs. Records the tables it created, so a failed init can drop exactly those.
 */
class DdlCommittedAtOnce implements Db {
	readonly dialect;
	readonly prefix;
	private pending: string[] = [];

	constructor(private readonly tx: Db, private readonly autocommit: Db, private readonly created: string[]) {
		this.dialect = tx.dialect;
		this.prefix = tx.prefix;
	}

	private async flush(): Promise<void> {
		if (this.pending.length === 0) return;
		const chunk = this.pending;
		this.pending = [];
		// One simple query: its statements run as one implicit transaction, committed together.
		await this.autocommit.exec(chunk.join(';\n'));
		for (const ddl of chunk) {
			const table = /^\s*CREATE TABLE (?:IF NOT EXISTS )?"?([a-z0-9_]+)"?/i.exec(ddl)?.[1];
			if (table) this.created.push(table);
		}
	}

	async run(sql: string, params?: readonly SqlValue[]) {
		await this.flush();
		return this.tx.run(sql, params);
	}

	async get<T extends object = Row>(sql: string, params?: readonly SqlValue[]) {
		await this.flush();
		return this.tx.get<T>(sql, params);
	}

	async all<T extends object = Row>(sql: string, params?: readonly SqlValue[]) {
		await this.flush();
		return this.tx.all<T>(sql, params);
	}

	async *each<T extends object = Row>(sql: string, params?: readonly SqlValue[]) {
		await this.flush();
		yield* this.tx.each<T>(sql, params);
	}

	async insert(table: string, row: Row) {
		await this.flush();
		return this.tx.insert(table, row);
	}

	async insertMany(table: string, rows: readonly Row[]) {
		await this.flush();
		return this.tx.insertMany(table, rows);
	}

	async reserveIds(table: string, count: number) {
		await this.flush();
		return this.tx.reserveIds(table, count);
	}

	async releaseIds(table: string, ids: readonly number[]) {
		await this.flush();
		return this.tx.releaseIds(table, ids);
	}

	transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
		return this.tx.transaction(() => work(this));
	}

	async tableNames() {
		await this.flush();
		return this.tx.tableNames();
	}

	async exec(ddl: string): Promise<void> {
		this.pending.push(ddl.trim().replace(/;$/, ''));
		if (this.pending.length >= DDL_CHUNK) await this.flush();
	}

	async close(): Promise<void> {
		await this.flush();
	}
}

async function checkFiledir(filedir: string): Promise<void> {
	try {
		await fs.mkdir(filedir, {recursive: true});
		await fs.access(filedir, fs.constants.W_OK);
	} catch (error) {
		throw new StoreError(`${filedir}: cannot use as the file pool directory (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
	}
}

/** For `mbz site info`: the server, database and schema of a PostgreSQL site; undefined for SQLite. */
export async function describePgServer(db: Db): Promise<string | undefined> {
	if (!(db instanceof PgDb)) return undefined;
	const info = await db.serverInfo();
	return `${info.version} at ${db.location.host}:${db.location.port}, database ${info.database}, schema ${info.schema}, prefix ${db.prefix}`;
}
