/**
 * One place that says which site back ends the suites run against, so a suite is written once and runs on
 * each: SQLite always, PostgreSQL when MBZ_TEST_PG holds a connection URL (each test in a fresh schema,
 * dropped afterwards). Without MBZ_TEST_PG the PostgreSQL variants are not registered, and the run says so.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test, {type ExecutionContext} from 'ava';
import pg from 'pg';
import type {Db} from '../../source/engine/store/db.js';
import {openPgDb} from '../../source/engine/store/pg-db.js';
import {initSite, openSite, type InitSiteOptions, type OpenSiteOptions, type Site} from '../../source/engine/store/site.js';
import {SqliteDb} from '../../source/engine/store/sqlite-db.js';

export type SiteAdapterName = 'sqlite' | 'postgres';

export type TestSiteLocation = {
	adapter: SiteAdapterName;
	/** What `--site` / openSite take: a directory or a postgres:// URL with `schema=`. */
	location: string;
	/** File pool directory (PostgreSQL sites keep their files outside the database). */
	filedir?: string;
	cleanup(): Promise<void>;
};

export type SiteAdapter = {
	name: SiteAdapterName;
	createLocation(): Promise<TestSiteLocation>;
	/** A bare Db at the location (no site schema): for tests of the Db contract itself. */
	openDb(location: TestSiteLocation): Promise<Db>;
};

/** The PostgreSQL URL the suites use, or undefined when they are not to run. */
export const testPgUrl: string | undefined = process.env['MBZ_TEST_PG']?.trim() || undefined;

async function makeTempDir(label: string): Promise<string> {
	return fs.mkdtemp(path.join(os.tmpdir(), `mbz-${label}-`));
}

const sqliteAdapter: SiteAdapter = {
	name: 'sqlite',
	async createLocation() {
		const root = await makeTempDir('site');
		const location = path.join(root, 'site');
		return {
			adapter: 'sqlite',
			location,
			cleanup: () => fs.rm(root, {recursive: true, force: true}),
		};
	},
	async openDb(site) {
		await fs.mkdir(site.location, {recursive: true});
		return SqliteDb.open(path.join(site.location, 'contract.sqlite'), {create: true});
	},
};

/** Runs `work` on one plain connection to the test server (schema housekeeping). */
export async function withPgAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
	if (!testPgUrl) throw new Error('MBZ_TEST_PG is not set');
	const client = new pg.Client({connectionString: testPgUrl});
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}

/** A location URL on the test server in `schema`, with optional extra query parameters. */
export function pgLocationUrl(schema: string, extra: Record<string, string> = {}): string {
	const url = new URL(testPgUrl!);
	url.searchParams.set('schema', schema);
	for (const [key, value] of Object.entries(extra)) url.searchParams.set(key, value);
	return url.href;
}

/**
 * Drops a test schema a few tables at a time. One DROP SCHEMA CASCADE over a whole site (~800 tables and
 * indexes) takes a lock per object in one transaction; several at once exhaust the server's shared lock table
 * ("out of shared memory"), so the tables go in small auto-committed batches first.
 */
export async function dropPgSchema(client: pg.Client, schema: string): Promise<void> {
	const {rows} = await client.query<{tablename: string}>('SELECT tablename FROM pg_tables WHERE schemaname = $1', [schema]);
	for (let start = 0; start < rows.length; start += 25) {
		const names = rows.slice(start, start + 25).map(row => `${schema}."${row.tablename}"`).join(', ');
		await client.query(`DROP TABLE IF EXISTS ${names} CASCADE`);
	}
	await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

/** A fresh, empty schema on the test server and a location pointing into it. */
export async function createPgSchemaLocation(extra: Record<string, string> = {}): Promise<TestSiteLocation & {schema: string}> {
	const schema = `mbz_t_${randomBytes(6).toString('hex')}`;
	await withPgAdmin(client => client.query(`CREATE SCHEMA ${schema}`));
	const filedir = await makeTempDir('filedir');
	return {
		adapter: 'postgres',
		schema,
		location: pgLocationUrl(schema, extra),
		filedir,
		async cleanup() {
			await withPgAdmin(client => dropPgSchema(client, schema));
			await fs.rm(filedir, {recursive: true, force: true});
		},
	};
}

const postgresAdapter: SiteAdapter = {
	name: 'postgres',
	createLocation: () => createPgSchemaLocation(),
	openDb: site => openPgDb(site.location),
};

/** The adapters this run covers. */
export const siteAdapters: readonly SiteAdapter[] = testPgUrl ? [sqliteAdapter, postgresAdapter] : [sqliteAdapter];

let noticeShown = false;

/** Says once per run (not once per test file) that the PostgreSQL variants were left out. */
function noticePostgresNotRun(): void {
	if (testPgUrl || noticeShown) return;
	noticeShown = true;
	// ava runs each file in its own process under one parent: a marker keyed on the parent prints it once.
	const marker = path.join(os.tmpdir(), `mbz-pg-notice-${process.ppid}`);
	fs.writeFile(marker, '', {flag: 'wx'}).then(
		() => console.error('PostgreSQL suites were not run: set MBZ_TEST_PG=postgres://user@host:port/db to run them.'),
		() => {},
	);
}

export type SiteAdapterTest = (t: ExecutionContext, site: TestSiteLocation, adapter: SiteAdapter) => Promise<void> | void;

/**
 * Registers one ava test per adapter, titled `<title> [sqlite]`, `<title> [postgres]`. Each gets a fresh
 * location, removed whatever the outcome: as the first teardown, so it runs after the test's own
 * teardowns (ava runs them last-registered first), e.g. after a site opened in the test is closed.
 */
export function forEachSiteAdapter(title: string, impl: SiteAdapterTest, options: {serial?: boolean} = {}): void {
	noticePostgresNotRun();
	for (const adapter of siteAdapters) {
		const register = options.serial ? test.serial : test;
		register(`${title} [${adapter.name}]`, async t => {
			const site = await adapter.createLocation();
			t.teardown(() => site.cleanup());
			await impl(t, site, adapter);
		});
	}
}

/** Same, for tests of the bare Db: opens it at a fresh location and closes it afterwards. */
export function forEachDbAdapter(title: string, impl: (t: ExecutionContext, db: Db, site: TestSiteLocation) => Promise<void> | void): void {
	forEachSiteAdapter(title, async (t, site, adapter) => {
		const db = await adapter.openDb(site);
		t.teardown(() => db.close());
		await impl(t, db, site);
	});
}

/** initSite at a test location: the PostgreSQL variant passes its file pool directory. */
export async function initTestSite(site: TestSiteLocation, options: Omit<InitSiteOptions, 'filedir'> = {}): Promise<Site> {
	return initSite(site.location, {...options, ...(site.filedir === undefined ? {} : {filedir: site.filedir})});
}

/** openSite at a test location (a PostgreSQL site finds its file pool in its config). */
export async function openTestSite(site: TestSiteLocation, options: Omit<OpenSiteOptions, 'filedir'> = {}): Promise<Site> {
	return openSite(site.location, options);
}
