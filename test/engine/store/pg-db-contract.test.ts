/**
 * The Db contract (source/engine/store/db.ts), run against every adapter: SQLite always, PostgreSQL when
 * MBZ_TEST_PG is set. The same SQL text runs on both; only the DDL comes from the dialect-aware generator.
 */
import {StoreError} from '../../../source/engine/errors.js';
import type {Db} from '../../../source/engine/store/db.js';
import {tableDdl} from '../../../source/engine/store/schema/ddl.js';
import type {TableDefinition} from '../../../source/engine/store/schema/tables.js';
import {forEachDbAdapter} from '../../helpers/site-adapters.js';

const WIDGET: TableDefinition = {
	source: 'test',
	columns: [
		{name: 'id', type: 'int', length: '10', notnull: true, sequence: true},
		{name: 'name', type: 'char', length: '100', notnull: true, default: ''},
		{name: 'grade', type: 'number', length: '10', decimals: '5'},
		{name: 'big', type: 'int', length: '10'},
		{name: 'data', type: 'binary'},
		{name: 'note', type: 'text'},
	],
	keys: [{name: 'primary', type: 'primary', fields: 'id'}],
	indexes: [{name: 'name', fields: 'name', unique: false}],
};

async function createWidgets(db: Db): Promise<void> {
	for (const statement of tableDdl('widget', WIDGET, {prefix: db.prefix, dialect: db.dialect})) await db.exec(statement);
}

type Widget = {id: number; name: string; grade: number | null; big: number | null; data: Buffer | null; note: string | null};

forEachDbAdapter('run, get and all substitute {table} and bind ? parameters', async (t, db) => {
	await createWidgets(db);
	const first = await db.insert('widget', {name: 'alpha', grade: 1.5, big: null, data: null, note: 'it?s here'});
	const second = await db.insert('widget', {name: 'beta', grade: 2, big: 7, data: null, note: null});
	t.true(second > first);

	const found = await db.get<Widget>('SELECT id, name, note FROM {widget} WHERE name = ? AND id = ?', ['alpha', first]);
	t.deepEqual(found, {id: first, name: 'alpha', note: 'it?s here'} as Partial<Widget>);
	t.is(await db.get('SELECT id FROM {widget} WHERE name = ?', ['nobody']), undefined);

	// A literal question mark is not a parameter.
	const literal = await db.all<{name: string}>("SELECT name FROM {widget} WHERE note = 'it?s here' OR name = ? ORDER BY id", ['beta']);
	t.deepEqual(literal.map(row => row.name), ['alpha', 'beta']);

	const updated = await db.run('UPDATE {widget} SET note = ? WHERE grade >= ?', ['graded', 1]);
	t.is(updated.changes, 2);
	const deleted = await db.run('DELETE FROM {widget} WHERE name = ?', ['nobody']);
	t.is(deleted.changes, 0);
});

forEachDbAdapter('values come back with the same JavaScript types', async (t, db) => {
	await createWidgets(db);
	const blob = Buffer.from([0, 1, 2, 250, 255]);
	const id = await db.insert('widget', {name: 'typed', grade: 100, big: 2 ** 40, data: blob, note: null});
	const row = await db.get<Widget>('SELECT id, name, grade, big, data, note FROM {widget} WHERE id = ?', [id]);
	t.is(typeof row!.id, 'number');
	t.is(row!.grade, 100);
	t.is(row!.big, 2 ** 40);
	t.true(Buffer.isBuffer(row!.data));
	t.deepEqual(row!.data, blob);
	t.is(row!.note, null);

	await db.insert('widget', {name: 'half', grade: 12.34567, big: 1, data: null, note: null});
	const totals = await db.get<{n: number; total: number}>('SELECT COUNT(*) AS n, SUM(grade) AS total FROM {widget}');
	t.is(totals!.n, 2);
	t.is(typeof totals!.total, 'number');
	t.true(Math.abs(totals!.total - 112.34567) < 1e-9);
});

forEachDbAdapter('insertMany returns fresh ids in input order across several statements', async (t, db) => {
	await createWidgets(db);
	const rows = Array.from({length: 2500}, (_, index) => ({name: `w${index}`, grade: index, big: null, data: null, note: null}));
	const ids = await db.insertMany('widget', rows);
	t.is(ids.length, rows.length);
	t.is(new Set(ids).size, rows.length);
	const stored = await db.all<{id: number; name: string}>('SELECT id, name FROM {widget}');
	const nameById = new Map(stored.map(row => [row.id, row.name]));
	t.true(ids.every((id, index) => nameById.get(id) === `w${index}`));
	t.deepEqual(await db.insertMany('widget', []), []);
});

forEachDbAdapter('insertMany refuses rows whose columns differ', async (t, db) => {
	await createWidgets(db);
	const error = await t.throwsAsync(db.insertMany('widget', [{name: 'a', note: null}, {name: 'b', grade: 1}]), {instanceOf: StoreError});
	t.regex(error!.message, /row 2/);
	t.is((await db.get<{n: number}>('SELECT COUNT(*) AS n FROM {widget}'))!.n, 0);
});

forEachDbAdapter('each streams every row in order and can stop early', async (t, db) => {
	await createWidgets(db);
	await db.insertMany('widget', Array.from({length: 5000}, (_, index) => ({name: `w${index}`, big: index})));
	let count = 0;
	let ordered = true;
	for await (const row of db.each<{big: number}>('SELECT big FROM {widget} WHERE big >= ? ORDER BY big', [0])) {
		if (row.big !== count) ordered = false;
		count++;
	}
	t.is(count, 5000);
	t.true(ordered);

	let seen = 0;
	for await (const _row of db.each('SELECT id FROM {widget} ORDER BY id')) {
		if (++seen === 10) break;
	}
	t.is(seen, 10);
	// The handle is still usable after an abandoned stream.
	t.is((await db.get<{n: number}>('SELECT COUNT(*) AS n FROM {widget}'))!.n, 5000);
});

forEachDbAdapter('each inside a transaction lets the work write between rows', async (t, db) => {
	await createWidgets(db);
	await db.insertMany('widget', Array.from({length: 2500}, (_, index) => ({name: `w${index}`, big: index})));
	const updated = await db.transaction(async tx => {
		let changes = 0;
		for await (const row of tx.each<{id: number; big: number}>('SELECT id, big FROM {widget} ORDER BY id')) {
			changes += (await tx.run('UPDATE {widget} SET note = ? WHERE id = ?', [`seen ${row.big}`, row.id])).changes;
		}
		return changes;
	});
	t.is(updated, 2500);
	t.is((await db.get<{n: number}>("SELECT COUNT(*) AS n FROM {widget} WHERE note LIKE 'seen %'"))!.n, 2500);
});

forEachDbAdapter('a transaction commits its work, or rolls all of it back when the work throws', async (t, db) => {
	await createWidgets(db);
	const committed = await db.transaction(async tx => {
		await tx.insert('widget', {name: 'kept'});
		await tx.insertMany('widget', [{name: 'kept too'}, {name: 'kept three'}]);
		return 'done';
	});
	t.is(committed, 'done');

	await t.throwsAsync(
		db.transaction(async tx => {
			await tx.insert('widget', {name: 'lost'});
			await tx.run('UPDATE {widget} SET note = ?', ['changed']);
			throw new Error('work failed');
		}),
		{message: 'work failed'},
	);
	const rows = await db.all<{name: string; note: string | null}>('SELECT name, note FROM {widget} ORDER BY id');
	t.deepEqual(rows, [
		{name: 'kept', note: null},
		{name: 'kept too', note: null},
		{name: 'kept three', note: null},
	]);
});

forEachDbAdapter('a nested transaction joins the open one and shares its fate', async (t, db) => {
	await createWidgets(db);
	await t.throwsAsync(
		db.transaction(async tx => {
			await tx.insert('widget', {name: 'outer'});
			const inner = await tx.transaction(async nested => {
				await nested.insert('widget', {name: 'inner'});
				// Inside the transaction its own writes are visible.
				return (await nested.get<{n: number}>('SELECT COUNT(*) AS n FROM {widget}'))!.n;
			});
			t.is(inner, 2);
			throw new Error('outer failed after the inner work finished');
		}),
	);
	t.is((await db.get<{n: number}>('SELECT COUNT(*) AS n FROM {widget}'))!.n, 0);

	await db.transaction(async tx => {
		await tx.transaction(async nested => {
			await nested.insert('widget', {name: 'both kept'});
		});
		await tx.insert('widget', {name: 'outer kept'});
	});
	t.is((await db.get<{n: number}>('SELECT COUNT(*) AS n FROM {widget}'))!.n, 2);
});

forEachDbAdapter('tableNames lists the tables with the prefix, without it', async (t, db) => {
	t.deepEqual(await db.tableNames(), []);
	await createWidgets(db);
	await db.exec('CREATE TABLE other_thing (id INTEGER)');
	const names = await db.tableNames();
	t.true(names.includes('widget'));
	t.false(names.some(name => name.includes('other')));
});

forEachDbAdapter('a failing statement is a one-line StoreError', async (t, db) => {
	await createWidgets(db);
	const error = await t.throwsAsync(db.all('SELECT nothing FROM {widget}'), {instanceOf: StoreError});
	t.false(error!.message.includes('\n'));
	t.regex(error!.message, /nothing/);
	const missing = await t.throwsAsync(db.run('INSERT INTO {missing_table} (a) VALUES (?)', [1]), {instanceOf: StoreError});
	t.regex(missing!.message, /missing_table/);
});

forEachDbAdapter('inside a transaction, the site handle itself joins it: sees its writes, shares its fate', async (t, db) => {
	await createWidgets(db);
	await t.throwsAsync(
		db.transaction(async tx => {
			await tx.insert('widget', {name: 'through tx'});
			// Code that only knows the site's handle (db), called from inside the work.
			t.is((await db.get<{n: number}>('SELECT COUNT(*) AS n FROM {widget}'))!.n, 1);
			await db.insert('widget', {name: 'through the site handle'});
			await db.insertMany('widget', Array.from({length: 1500}, (_, index) => ({name: `bulk ${index}`})));
			let streamed = 0;
			for await (const _row of db.each('SELECT id FROM {widget}')) streamed++;
			t.is(streamed, 1502);
			throw new Error('roll back all of it');
		}),
		{message: 'roll back all of it'},
	);
	t.is((await db.get<{n: number}>('SELECT COUNT(*) AS n FROM {widget}'))!.n, 0);
});

forEachDbAdapter('reserveIds: ids no other insert takes, written later with their rows; only inside a transaction', async (t, db) => {
	await createWidgets(db);
	const before = await db.insert('widget', {name: 'before', grade: null, big: null, data: null, note: null});
	await t.throwsAsync(db.reserveIds('widget', 2), {instanceOf: StoreError, message: /only inside a transaction/});
	const written = await db.transaction(async tx => {
		const reserved = await tx.reserveIds('widget', 3);
		t.is(new Set(reserved).size, 3);
		for (const id of reserved) t.true(id > before);
		// An insert without an id meanwhile never takes a reserved one.
		const other = await tx.insert('widget', {name: 'meanwhile', grade: null, big: null, data: null, note: null});
		t.false(reserved.includes(other));
		// Rows name each other before they exist: the child points at its parent's reserved id.
		const [parent, child, unused] = reserved as [number, number, number];
		await tx.insertMany('widget', [
			{id: child, name: 'child', grade: null, big: parent, data: null, note: null},
			{id: parent, name: 'parent', grade: null, big: null, data: null, note: null},
		]);
		await tx.releaseIds('widget', [unused]);
		return {parent, child, other};
	});
	const rows = await db.all<{id: number; name: string; big: number | null}>('SELECT id, name, big FROM {widget} ORDER BY id');
	t.deepEqual(rows.find(row => row.name === 'child'), {id: written.child, name: 'child', big: written.parent});
	// Later inserts, in a new transaction or outside one, go past every id written.
	const after = await db.insert('widget', {name: 'after', grade: null, big: null, data: null, note: null});
	t.true(after > Math.max(written.parent, written.child, written.other));
});

forEachDbAdapter('reserveIds after a rollback: nothing written, and the next ids never collide', async (t, db) => {
	await createWidgets(db);
	await t.throwsAsync(db.transaction(async tx => {
		const [id] = await tx.reserveIds('widget', 1);
		await tx.insertMany('widget', [{id: id!, name: 'lost', grade: null, big: null, data: null, note: null}]);
		throw new Error('cancelled');
	}), {message: 'cancelled'});
	t.is(await db.get('SELECT id FROM {widget} WHERE name = ?', ['lost']), undefined);
	const ids = await db.transaction(async tx => {
		const reserved = await tx.reserveIds('widget', 2);
		await tx.insertMany('widget', reserved.map(id => ({id, name: `kept ${id}`, grade: null, big: null, data: null, note: null})));
		return reserved;
	});
	t.is((await db.all('SELECT id FROM {widget}')).length, 2);
	t.is(new Set(ids).size, 2);
});
