/**
 * PostgreSQL site creation: `mbz site init` on an empty database (schema), the refusals, and how later
 * opens find the file pool. Runs when MBZ_TEST_PG is set; the location parsing is in pg-site-location.test.ts.
 */
import fs from 'node:fs/promises';
import test from 'ava';
import {StoreError, UsageError} from '../../../source/engine/errors.js';
import {openPgDb} from '../../../source/engine/store/pg-db.js';
import {describePgServer, FILEDIR_CONFIG_KEY, initPgSite, openPgSiteDb, pgSiteExists} from '../../../source/engine/store/pg-site.js';
import {completeRow} from '../../../source/engine/store/schema/rows.js';
import {SCHEMA_VERSION} from '../../../source/engine/store/schema/migrations.js';
import {schemaDdl} from '../../../source/engine/store/schema/ddl.js';
import {TABLES} from '../../../source/engine/store/schema/tables.js';
import {createPgSchemaLocation, testPgUrl, withPgAdmin, type TestSiteLocation} from '../../helpers/site-adapters.js';

const pgTest = testPgUrl ? test : undefined;

async function withPgLocation(work: (site: TestSiteLocation & {schema: string}) => Promise<void>): Promise<void> {
	const site = await createPgSchemaLocation();
	try {
		await work(site);
	} finally {
		await site.cleanup();
	}
}

pgTest?.('init creates every table and the base records in an empty schema, and records the file pool', async t => {
	await withPgLocation(async site => {
		t.false(await pgSiteExists(site.location));
		await initPgSite(site.location, {filedir: site.filedir!, wwwroot: 'https://pg.example'});
		t.true(await pgSiteExists(site.location));

		const {db, filedir} = await openPgSiteDb(site.location);
		try {
			t.is(filedir, site.filedir!);
			t.deepEqual(await db.tableNames(), Object.keys(TABLES).sort());
			const config = new Map((await db.all<{name: string; value: string}>('SELECT name, value FROM {config}')).map(row => [row.name, row.value]));
			t.is(config.get('wwwroot'), 'https://pg.example');
			t.is(config.get(FILEDIR_CONFIG_KEY), site.filedir);
			t.is(config.get('mbz_schema_version'), String(SCHEMA_VERSION));
			// Moodle's fixed ids come from the sequences: guest 1, admin 2, site course 1, system context 1.
			t.deepEqual(await db.all('SELECT id, username FROM {user} ORDER BY id'), [{id: 1, username: 'guest'}, {id: 2, username: 'admin'}]);
			t.deepEqual(await db.get('SELECT id, format FROM {course} WHERE id = ?', [1]), {id: 1, format: 'site'});
			t.deepEqual(await db.get('SELECT path, depth FROM {context} WHERE id = ?', [1]), {path: '/1', depth: 1});
			t.regex((await describePgServer(db))!, /^PostgreSQL \d+.* at .*, database .*, schema mbz_t_\w+, prefix mdl_$/);
			// The next id comes after what install used: nothing was inserted with explicit ids behind a sequence's back.
			const nextUser = await db.insert('user', completeRow('user', {username: 'next', auth: 'manual', mnethostid: 1, firstname: 'N', lastname: 'X', email: 'n@x'}));
			t.is(nextUser, 3);
		} finally {
			await db.close();
		}
	});
});

pgTest?.('init refuses a second site, and unrelated tables with the prefix, without touching them', async t => {
	await withPgLocation(async site => {
		await initPgSite(site.location, {filedir: site.filedir!});
		await t.throwsAsync(initPgSite(site.location, {filedir: site.filedir!}), {instanceOf: StoreError, message: /a site already exists here/});
	});
	await withPgLocation(async site => {
		await withPgAdmin(client => client.query(`CREATE TABLE ${site.schema}.mdl_course (id INTEGER, other TEXT); INSERT INTO ${site.schema}.mdl_course VALUES (42, 'theirs')`));
		const error = await t.throwsAsync(initPgSite(site.location, {filedir: site.filedir!}), {instanceOf: StoreError});
		t.regex(error!.message, /already holds 1 table\(s\) with the prefix "mdl_" that are not an mbz site \(e\.g\. mdl_course\)/);
		const rows = await withPgAdmin(client => client.query(`SELECT * FROM ${site.schema}.mdl_course`));
		t.deepEqual(rows.rows, [{id: 42, other: 'theirs'}]);
		// Another prefix in the same schema is a separate site.
		const other = new URL(site.location);
		other.searchParams.set('prefix', 'mbz_');
		await initPgSite(other.href, {filedir: site.filedir!});
		t.true(await pgSiteExists(other.href));
	});
});

pgTest?.('init needs a file pool directory; a site opened without --filedir uses the recorded one', async t => {
	await withPgLocation(async site => {
		await t.throwsAsync(initPgSite(site.location), {instanceOf: UsageError, message: /--filedir DIR/});
		t.false(await pgSiteExists(site.location));
		await initPgSite(site.location, {filedir: site.filedir!});
		const elsewhere = `${site.filedir}-other`;
		const {db, filedir} = await openPgSiteDb(site.location, {filedir: elsewhere});
		await db.close();
		t.is(filedir, elsewhere);
		await fs.rm(elsewhere, {recursive: true, force: true});
	});
});

pgTest?.('a failed init leaves the schema as it was: records rolled back, the tables it created dropped', async t => {
	await withPgLocation(async site => {
		await t.throwsAsync(initPgSite(site.location, {filedir: site.filedir!, wwwroot: 'not a url'}), {instanceOf: StoreError});
		// Someone else's table (no prefix) holding an index with the name of the last index the install creates:
		// the install fails near its end, after creating almost every table.
		const statements = schemaDdl(TABLES, {prefix: 'mdl_', dialect: 'postgres'});
		const lastIndex = /INDEX "([^"]+)"/.exec(statements.filter(statement => statement.includes(' INDEX ')).at(-1)!)![1]!;
		await withPgAdmin(client => client.query(`CREATE TABLE ${site.schema}.unrelated (a INTEGER); CREATE INDEX "${lastIndex}" ON ${site.schema}.unrelated (a)`));
		const error = await t.throwsAsync(initPgSite(site.location, {filedir: site.filedir!}), {instanceOf: StoreError});
		t.regex(error!.message, new RegExp(`"${lastIndex}" already exists`));
		const db = await openPgDb(site.location);
		try {
			t.deepEqual(await db.tableNames(), []);
			const left = await db.all<{name: string}>('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()');
			t.deepEqual(left, [{name: 'unrelated'}]);
		} finally {
			await db.close();
		}
	});
});

pgTest?.('init commits its tables in chunks as it goes, not in one lock-hungry transaction', async t => {
	await withPgLocation(async site => {
		let finished = false;
		const init = initPgSite(site.location, {filedir: site.filedir!}).finally(() => {
			finished = true;
		});
		// Watched from another connection: committed tables show up while the init is still running.
		let seenWhileRunning = 0;
		await withPgAdmin(async client => {
			while (!finished) {
				const result = await client.query('SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1', [site.schema]);
				if (!finished) seenWhileRunning = Math.max(seenWhileRunning, (result.rows[0] as {n: number}).n);
				await new Promise(resolve => setTimeout(resolve, 10));
			}
		});
		await init;
		t.true(seenWhileRunning > 0, 'no table was visible before the init ended');
	});
});

pgTest?.('init creates the schema named in the location when it does not exist', async t => {
	const site = await createPgSchemaLocation();
	await withPgAdmin(client => client.query(`DROP SCHEMA ${site.schema}`));
	try {
		await initPgSite(site.location, {filedir: site.filedir!});
		t.true(await pgSiteExists(site.location));
	} finally {
		await site.cleanup();
	}
});

test('PostgreSQL site init refuses a directory location', async t => {
	await t.throwsAsync(initPgSite('/tmp/not-a-database', {filedir: '/tmp/x'}), {instanceOf: StoreError, message: /not a PostgreSQL location/});
});
