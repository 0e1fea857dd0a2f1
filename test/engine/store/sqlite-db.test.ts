import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import sqlite3 from 'sqlite3';
import {StoreError} from '../../../source/engine/errors.js';
import type {Row} from '../../../source/engine/store/db.js';
import {openSqliteDb, type SqliteDb} from '../../../source/engine/store/sqlite-db.js';
import {tempDir} from './temp.js';

async function scratch(t: {teardown(fn: () => Promise<void>): void}, prefix = 'mdl_'): Promise<{db: SqliteDb; file: string}> {
	const {dir, cleanup} = await tempDir('sqlite');
	const file = path.join(dir, 'test.db');
	const db = await openSqliteDb(file, {create: true, prefix});
	await db.exec(`CREATE TABLE "${prefix}thing" (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(50) NOT NULL, value INTEGER)`);
	t.teardown(async () => {
		await db.close();
		await cleanup();
	});
	return {db, file};
}

test('{table} is replaced by the prefixed table name', async t => {
	const {db} = await scratch(t, 'zz_');
	await db.run('INSERT INTO {thing} (name, value) VALUES (?, ?)', ['a', 1]);
	t.deepEqual(await db.all('SELECT name, value FROM {thing}'), [{name: 'a', value: 1}]);
	t.deepEqual(await db.tableNames(), ['thing']);
	t.is(db.prefix, 'zz_');
});

test('insertMany returns ids in input order across batches and keeps every value', async t => {
	const {db} = await scratch(t);
	const rows = Array.from({length: 2345}, (_, index) => ({name: `n${index}`, value: index * 3}));
	const ids = await db.insertMany('thing', rows);
	t.is(ids.length, rows.length);
	const stored = await db.all<{id: number; name: string; value: number}>('SELECT id, name, value FROM {thing}');
	const byId = new Map(stored.map(row => [row.id, row]));
	ids.forEach((id, index) => t.is(byId.get(id)?.name, `n${index}`));
	t.is(new Set(ids).size, ids.length);
	t.is(await db.insert('thing', {name: 'last', value: null}), Math.max(...ids) + 1);
});

test('insertMany respects the bound-parameter limit with wide rows', async t => {
	const {db} = await scratch(t);
	const columns = Array.from({length: 120}, (_, index) => `c${index}`);
	await db.exec(`CREATE TABLE "mdl_wide" (id INTEGER PRIMARY KEY AUTOINCREMENT, ${columns.map(column => `${column} INTEGER`).join(', ')})`);
	const rows = Array.from({length: 1000}, (_, row) => Object.fromEntries(columns.map((column, index) => [column, row + index])));
	const ids = await db.insertMany('wide', rows);
	t.is(ids.length, 1000);
	const last = await db.get<Record<string, number>>('SELECT * FROM {wide} WHERE id = ?', [ids[999]!]);
	t.is(last?.['c119'], 999 + 119);
});

test('insertMany rejects rows with different columns', async t => {
	const {db} = await scratch(t);
	await t.throwsAsync(db.insertMany('thing', [{name: 'a', value: 1}, {name: 'b'}]), {instanceOf: StoreError, message: /row 2/});
});

test('a transaction rolls back everything when its work throws', async t => {
	const {db} = await scratch(t);
	await t.throwsAsync(
		db.transaction(async tx => {
			await tx.insertMany('thing', [{name: 'a', value: 1}, {name: 'b', value: 2}]);
			throw new Error('boom');
		}),
		{message: 'boom'},
	);
	t.deepEqual(await db.all('SELECT * FROM {thing}'), []);
});

test('nested transactions join the outer one, and an inner failure rolls back the whole', async t => {
	const {db} = await scratch(t);
	await db.transaction(async tx => {
		await tx.insert('thing', {name: 'outer', value: 1});
		await tx.transaction(async inner => {
			await inner.insert('thing', {name: 'inner', value: 2});
		});
	});
	t.is((await db.all('SELECT * FROM {thing}')).length, 2);
	await t.throwsAsync(
		db.transaction(async tx => {
			await tx.insert('thing', {name: 'outer2', value: 3});
			await tx.transaction(async () => {
				throw new Error('inner failed');
			});
		}),
	);
	t.is((await db.all('SELECT * FROM {thing}')).length, 2);
});

test('work outside an open transaction waits for it instead of joining it', async t => {
	const {db} = await scratch(t);
	let release!: () => void;
	const hold = new Promise<void>(resolve => {
		release = resolve;
	});
	const transaction = db.transaction(async tx => {
		await tx.insert('thing', {name: 'in-tx', value: 1});
		await hold;
		throw new Error('rolled back');
	});
	await new Promise(resolve => setTimeout(resolve, 20));
	const outside = db.insert('thing', {name: 'outside', value: 2});
	await new Promise(resolve => setTimeout(resolve, 20));
	release();
	await t.throwsAsync(transaction);
	await outside;
	t.deepEqual(await db.all('SELECT name FROM {thing}'), [{name: 'outside'}]);
});

test('each streams every row in order', async t => {
	const {db} = await scratch(t);
	await db.insertMany('thing', Array.from({length: 5000}, (_, index) => ({name: `n${index}`, value: index})));
	let count = 0;
	let sum = 0;
	for await (const row of db.each<{value: number}>('SELECT value FROM {thing} WHERE value >= ? ORDER BY id', [0])) {
		t.is(row.value, count);
		count++;
		sum += row.value;
		if (count % 1000 === 0) await new Promise(resolve => setImmediate(resolve));
	}
	t.is(count, 5000);
	t.is(sum, (4999 * 5000) / 2);
});

test('each reports SQL errors as StoreError', async t => {
	const {db} = await scratch(t);
	await t.throwsAsync(
		(async () => {
			for await (const _row of db.each('SELECT nope FROM {thing}')) {
				// never reached
			}
		})(),
		{instanceOf: StoreError, message: /no such column/},
	);
});

test('a file that is not a database is refused in one line', async t => {
	const {dir, cleanup} = await tempDir('notadb');
	t.teardown(cleanup);
	const file = path.join(dir, 'site.db');
	await fs.writeFile(file, 'this is certainly not an SQLite database file, just text that is long enough to matter');
	const error = await t.throwsAsync(openSqliteDb(file), {instanceOf: StoreError});
	t.regex(error.message, /not an SQLite database/);
	t.false(error.message.includes('\n'));
});

test('a database locked by another writer fails with "site is busy" after the timeout', async t => {
	const {db, file} = await scratch(t);
	const other = new sqlite3.Database(file);
	await new Promise<void>((resolve, reject) => other.exec('BEGIN EXCLUSIVE; INSERT INTO mdl_thing (name) VALUES (\'x\');', error => (error ? reject(error) : resolve())));
	t.teardown(() => new Promise<void>(resolve => other.exec('ROLLBACK', () => other.close(() => resolve()))));
	const waiting = await openSqliteDb(file, {busyTimeoutMs: 200}).catch(error => error as Error);
	t.true(waiting instanceof StoreError);
	t.regex((waiting as Error).message, /site is busy/);
	await new Promise<void>((resolve, reject) => other.exec('ROLLBACK; BEGIN IMMEDIATE', error => (error ? reject(error) : resolve())));
	// A writer that opened before the lock: its transaction waits, then fails with the same message.
	const writer = await openSqliteDb(file, {busyTimeoutMs: 200});
	t.teardown(() => writer.close());
	await t.throwsAsync(writer.transaction(async tx => tx.insert('thing', {name: 'y', value: 1})), {instanceOf: StoreError, message: /site is busy/});
	void db;
});

test('each pages through large results as a snapshot, and rows look exactly like all()', async t => {
	const {db} = await scratch(t);
	await db.insertMany('thing', Array.from({length: 2500}, (_, index) => ({name: `n${index}`, value: index % 7})));
	await db.exec('CREATE TABLE "mdl_other" (id INTEGER PRIMARY KEY AUTOINCREMENT, thingid INTEGER, label VARCHAR(20))');
	await db.insertMany('other', [{thingid: 1, label: '007'}, {thingid: 2, label: 'x'}]);
	const sql = 'SELECT t.id, o.id, t.name, o.label, t.value * 2 AS doubled FROM {thing} t LEFT JOIN {other} o ON o.thingid = t.id ORDER BY t.value DESC, t.id';
	const expected = await db.all(sql);
	const streamed: unknown[] = [];
	for await (const row of db.each(sql)) {
		streamed.push(row);
		// Writing to the table being read does not disturb the iteration (it reads a snapshot).
		if (streamed.length === 10) await db.insert('thing', {name: 'late', value: 100});
	}
	t.is(streamed.length, 2500);
	t.deepEqual(streamed, expected);
	t.deepEqual(Object.keys(streamed[0] as object).sort(), ['doubled', 'id', 'label', 'name']);
	// Stopping early drops the snapshot.
	for await (const _row of db.each('SELECT * FROM {thing}')) break;
	const leftovers = await db.all("SELECT name FROM sqlite_temp_master WHERE type = 'table'");
	t.deepEqual(leftovers, []);
	// Statements other than SELECT stream too.
	const pragma: unknown[] = [];
	for await (const row of db.each('PRAGMA table_info("mdl_thing")')) pragma.push(row);
	t.is(pragma.length, 3);
});

test('insertMany stores every kind of value exactly as a bound INSERT does, whichever way the rows travel', async t => {
	const {db} = await scratch(t);
	await db.exec(`CREATE TABLE "mdl_kinds" (id INTEGER PRIMARY KEY AUTOINCREMENT, t TEXT, i INTEGER, r REAL, n NUMERIC, v VARCHAR(10))`);
	const values = [
		{t: 'quote " backslash \\ newline \n tab \t', i: 9_007_199_254_740_991, r: 85.5, n: '12.50000', v: '007'},
		{t: 'Élodie – ☃ 😀 <p>&amp;</p>', i: -42, r: -0.000001, n: 3, v: ''},
		{t: '', i: 0, r: 1e21, n: null, v: null},
		{t: null, i: '17', r: '2.5', n: 'abc', v: 'x'},
		{t: '[1,2]', i: true, r: false, n: 1.25, v: '{"a":1}'},
	] as const;
	// A lone surrogate and a Buffer cannot travel as JSON: their batches are bound value by value.
	const odd = [{t: 'lone \ud800 half', i: 1, r: 1, n: 1, v: 'a'}];
	const blob = [{t: 'blob', i: 2, r: 2, n: Buffer.from([1, 2, 3]), v: 'b'}];
	const ids = [...await db.insertMany('kinds', values.map(row => ({...row}) as unknown as Row)), ...await db.insertMany('kinds', odd as unknown as Row[]), ...await db.insertMany('kinds', blob as unknown as Row[])];
	const stored = await db.all('SELECT id, t, typeof(t) AS tt, i, typeof(i) AS ti, r, typeof(r) AS tr, n, typeof(n) AS tn, v, typeof(v) AS tv FROM {kinds} ORDER BY id');
	t.deepEqual(stored.map(row => row['id']), ids);
	// The reference: the same rows bound one by one in a plain INSERT.
	await db.exec(`CREATE TABLE "mdl_reference" (id INTEGER PRIMARY KEY AUTOINCREMENT, t TEXT, i INTEGER, r REAL, n NUMERIC, v VARCHAR(10))`);
	for (const row of [...values, ...odd, ...blob]) {
		await db.run('INSERT INTO {reference} (t, i, r, n, v) VALUES (?, ?, ?, ?, ?)', [row.t, row.i, row.r, row.n, row.v] as never);
	}
	const reference = await db.all('SELECT id, t, typeof(t) AS tt, i, typeof(i) AS ti, r, typeof(r) AS tr, n, typeof(n) AS tn, v, typeof(v) AS tv FROM {reference} ORDER BY id');
	t.deepEqual(stored.map(({id: _id, ...rest}) => rest), reference.map(({id: _id, ...rest}) => rest));
	t.is(stored[0]!['t'], values[0].t);
	t.is(stored[1]!['t'], values[1].t);
});
