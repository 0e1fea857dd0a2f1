/**
 * Two writers on one site, at the Db level (two connections, two transactions), as two mbz processes
 * would be. PostgreSQL: both succeed, with distinct ids, and an observer never sees half of either.
 * SQLite: the second writer waits for the busy timeout, then fails with a clear StoreError and changes nothing.
 *
 * The same at restore level (two restores of a fixture into one PostgreSQL site at once) belongs with the
 * restore engine's tests, using forEachSiteAdapter from test/helpers/site-adapters.ts.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {StoreError} from '../../../source/engine/errors.js';
import type {Db} from '../../../source/engine/store/db.js';
import {openPgDb} from '../../../source/engine/store/pg-db.js';
import {tableDdl} from '../../../source/engine/store/schema/ddl.js';
import type {TableDefinition} from '../../../source/engine/store/schema/tables.js';
import {SqliteDb} from '../../../source/engine/store/sqlite-db.js';
import {createPgSchemaLocation, testPgUrl} from '../../helpers/site-adapters.js';

const PARENT: TableDefinition = {
	source: 'test',
	columns: [
		{name: 'id', type: 'int', length: '10', notnull: true, sequence: true},
		{name: 'name', type: 'char', length: '100', notnull: true},
	],
	keys: [{name: 'primary', type: 'primary', fields: 'id'}],
	indexes: [],
};
const CHILD: TableDefinition = {
	source: 'test',
	columns: [
		{name: 'id', type: 'int', length: '10', notnull: true, sequence: true},
		{name: 'parent', type: 'int', length: '10', notnull: true},
		{name: 'position', type: 'int', length: '10', notnull: true},
	],
	keys: [{name: 'primary', type: 'primary', fields: 'id'}],
	indexes: [{name: 'parent', fields: 'parent', unique: false}],
};

async function createTables(db: Db): Promise<void> {
	for (const [name, definition] of [['parent', PARENT], ['child', CHILD]] as const) {
		for (const statement of tableDdl(name, definition, {prefix: db.prefix, dialect: db.dialect})) await db.exec(statement);
	}
}

const BATCHES = 20;
const PER_BATCH = 100;

/** A restore-shaped write: one parent, then its children in batches, yielding between statements. */
async function writeFamily(db: Db, name: string): Promise<{parent: number; children: number[]}> {
	return db.transaction(async tx => {
		const parent = await tx.insert('parent', {name});
		const children: number[] = [];
		for (let batch = 0; batch < BATCHES; batch++) {
			const rows = Array.from({length: PER_BATCH}, (_, index) => ({parent, position: batch * PER_BATCH + index}));
			children.push(...await tx.insertMany('child', rows));
			await new Promise(resolve => setTimeout(resolve, 2));
		}
		return {parent, children};
	});
}

if (testPgUrl) {
	test('PostgreSQL: two concurrent writers both commit, with distinct ids and no half-states visible', async t => {
		const site = await createPgSchemaLocation();
		const first = await openPgDb(site.location);
		const second = await openPgDb(site.location);
		const observer = await openPgDb(site.location);
		try {
			await createTables(first);
			let writing = true;
			const partial: string[] = [];
			let observations = 0;
			const watch = (async () => {
				while (writing) {
					const families = await observer.all<{id: number; n: number}>(
						'SELECT p.id, COUNT(c.id) AS n FROM {parent} p LEFT JOIN {child} c ON c.parent = p.id GROUP BY p.id',
					);
					for (const family of families) if (family.n !== BATCHES * PER_BATCH) partial.push(`parent ${family.id} with ${family.n} children`);
					observations++;
				}
			})();
			const [a, b] = await Promise.all([writeFamily(first, 'first'), writeFamily(second, 'second')]);
			writing = false;
			await watch;

			t.deepEqual(partial, []);
			t.true(observations > 1);
			t.not(a.parent, b.parent);
			const all = [...a.children, ...b.children];
			t.is(new Set(all).size, 2 * BATCHES * PER_BATCH);
			// Both transactions really ran at the same time: their id ranges overlap.
			t.true(Math.min(...a.children) < Math.max(...b.children) && Math.min(...b.children) < Math.max(...a.children));
			// The sequences interleaved the two writers' ids, yet each child belongs to its own parent.
			const rows = await observer.all<{parent: number; n: number; lowest: number; highest: number}>(
				'SELECT parent, COUNT(*) AS n, MIN(position) AS lowest, MAX(position) AS highest FROM {child} GROUP BY parent ORDER BY parent',
			);
			t.deepEqual(rows, [a.parent, b.parent].sort((x, y) => x - y).map(parent => ({parent, n: BATCHES * PER_BATCH, lowest: 0, highest: BATCHES * PER_BATCH - 1})));
		} finally {
			await Promise.all([first.close(), second.close(), observer.close()]);
			await site.cleanup();
		}
	});
}

async function withSqliteFile(work: (file: string) => Promise<void>): Promise<void> {
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mbz-concurrency-'));
	try {
		await work(path.join(dir, 'site.sqlite'));
	} finally {
		await fs.rm(dir, {recursive: true, force: true});
	}
}

test('SQLite: a second writer waits for the busy timeout, then fails clearly and changes nothing', async t => {
	await withSqliteFile(async file => {
		const first = await SqliteDb.open(file, {create: true});
		const second = await SqliteDb.open(file, {busyTimeoutMs: 400});
		try {
			await createTables(first);
			let finishFirst!: () => void;
			const firstMayFinish = new Promise<void>(resolve => {
				finishFirst = resolve;
			});
			let started!: () => void;
			const firstStarted = new Promise<void>(resolve => {
				started = resolve;
			});
			const firstWriter = first.transaction(async tx => {
				await tx.insert('parent', {name: 'first'});
				started();
				await firstMayFinish;
				await tx.insertMany('child', [{parent: 1, position: 0}]);
			});
			await firstStarted;

			// Readers are not blocked, and do not see the uncommitted row.
			t.is((await second.get<{n: number}>('SELECT COUNT(*) AS n FROM {parent}'))!.n, 0);

			const began = Date.now();
			const error = await t.throwsAsync(writeFamily(second, 'second'), {instanceOf: StoreError});
			const waited = Date.now() - began;
			t.regex(error!.message, /busy/);
			t.false(error!.message.includes('\n'));
			t.true(waited >= 350, `gave up after ${waited} ms, before the busy timeout`);

			finishFirst();
			await firstWriter;
			t.deepEqual(await second.all('SELECT name FROM {parent}'), [{name: 'first'}]);

			// Once the first writer is done, the second one goes through.
			const retried = await writeFamily(second, 'second');
			t.is(retried.children.length, BATCHES * PER_BATCH);
			t.is((await first.get<{n: number}>('SELECT COUNT(*) AS n FROM {child}'))!.n, BATCHES * PER_BATCH + 1);
		} finally {
			await first.close();
			await second.close();
		}
	});
});

test('SQLite: one connection runs concurrent transactions one after the other, never interleaved', async t => {
	await withSqliteFile(async file => {
		const db = await SqliteDb.open(file, {create: true});
		try {
			await createTables(db);
			const [a, b] = await Promise.all([writeFamily(db, 'first'), writeFamily(db, 'second')]);
			// Serialised: each family's children got one contiguous run of ids.
			for (const family of [a, b]) t.is(family.children.at(-1)! - family.children[0]!, BATCHES * PER_BATCH - 1);
			t.is(new Set([...a.children, ...b.children]).size, 2 * BATCHES * PER_BATCH);
		} finally {
			await db.close();
		}
	});
});
