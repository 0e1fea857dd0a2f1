/**
 * What is particular to the PostgreSQL adapter: SQL rewriting, value parsing, cursor streaming, the pool
 * and connection errors. The server tests run when MBZ_TEST_PG is set, each in a fresh schema.
 */
import {randomBytes} from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import test from 'ava';
import {StoreError} from '../../../source/engine/errors.js';
import {openPgDb, PG_POOL_SIZE, type PgDb} from '../../../source/engine/store/pg-db.js';
import {toPgSql} from '../../../source/engine/store/pg-sql.js';
import {createPgSchemaLocation, testPgUrl, withPgAdmin} from '../../helpers/site-adapters.js';

test('? becomes $n and {table} the prefixed name', t => {
	t.deepEqual(toPgSql('SELECT * FROM {course} c JOIN {course_modules} cm ON cm.course = c.id WHERE c.id = ? AND cm.module IN (?, ?)', 'mdl_'), {
		text: 'SELECT * FROM mdl_course c JOIN mdl_course_modules cm ON cm.course = c.id WHERE c.id = $1 AND cm.module IN ($2, $3)',
		parameterCount: 3,
	});
});

test('question marks inside literals, quoted names and comments are not parameters', t => {
	const sql = [
		"SELECT 'why?' AS a, 'it''s ? here' AS b, E'back\\' ?' AS c, \"odd?name\", $$dollar ? $$, $tag$ ? $ ? $tag$",
		'-- a comment? yes',
		'/* block ? /* nested ? */ still ? */',
		'FROM {t} WHERE x = ? AND y = ?',
	].join('\n');
	const {text, parameterCount} = toPgSql(sql, 'p_');
	t.is(parameterCount, 2);
	t.true(text.endsWith('FROM p_t WHERE x = $1 AND y = $2'));
	t.true(text.includes("'why?'") && text.includes("'it''s ? here'") && text.includes("E'back\\' ?'"));
	t.true(text.includes('"odd?name"') && text.includes('$$dollar ? $$') && text.includes('$tag$ ? $ ? $tag$'));
	t.true(text.includes('-- a comment? yes') && text.includes('/* block ? /* nested ? */ still ? */'));
});

test('a word ending in E before a quote is not an escape string; $1 is not a dollar quote', t => {
	// In a plain literal a backslash is an ordinary character.
	t.is(toPgSql("SELECT 'a\\' = ?, ? FROM {t} WHERE a = $1", 'm_').text, "SELECT 'a\\' = $1, $2 FROM m_t WHERE a = $1");
	// ELSE'...' is the keyword ELSE and a plain literal, not an E'...' escape string.
	t.is(toPgSql("SELECT CASE WHEN ? THEN 'y' ELSE'a\\' END, ?", '').text, "SELECT CASE WHEN $1 THEN 'y' ELSE'a\\' END, $2");
});

const pgTest = testPgUrl ? test : undefined;
async function withSchemaDb(work: (db: PgDb, schema: string) => Promise<void>, extra: Record<string, string> = {}): Promise<void> {
	const site = await createPgSchemaLocation(extra);
	const db = await openPgDb(site.location);
	try {
		await work(db, site.schema);
	} finally {
		await db.close();
		await site.cleanup();
	}
}

pgTest?.('int8 and numeric come back as numbers', async t => {
	await withSchemaDb(async db => {
		const row = await db.get<Record<string, unknown>>(
			"SELECT 9007199254740991::bigint AS big, count(*) AS n, '100.00000'::numeric(10,5) AS grade, sum(x) AS total, 1.5::float8 AS f FROM generate_series(1, 3) x",
		);
		t.deepEqual(row, {big: 9007199254740991, n: 3, grade: 100, total: 6, f: 1.5});
	});
});

pgTest?.('a parameter count that does not match the values is refused before it reaches the server', async t => {
	await withSchemaDb(async db => {
		await t.throwsAsync(db.get('SELECT ? AS a, ? AS b', [1]), {instanceOf: StoreError, message: /2 parameter\(s\) but 1 value/});
		t.deepEqual(await db.get("SELECT ? AS a, 'x?' AS b", ['one']), {a: 'one', b: 'x?'});
	});
});

// A full collection before each sample, so the samples measure what is retained, not garbage.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

function liveHeap(): number {
	collectGarbage();
	return process.memoryUsage().heapUsed;
}

/** Reads a 100k-row result with ~1 KB per row (over 100 MB if it were held), sampling the live heap. */
async function streamedHeapGrowth(rows: AsyncIterable<{n: number; pad: string}>): Promise<{count: number; sum: number; growth: number}> {
	const before = liveHeap();
	let peak = before;
	let count = 0;
	let sum = 0;
	for await (const row of rows) {
		count++;
		sum += row.n;
		if (row.pad.length !== 1000) throw new Error('short row');
		if (count % 10_000 === 0) peak = Math.max(peak, liveHeap());
	}
	return {count, sum, growth: peak - before};
}

const BIG_RESULT = 'SELECT n, repeat(md5(n::text), 32)::varchar(1000) AS pad FROM generate_series(1, ?) n ORDER BY n';
const EXPECTED_SUM = (100_000 * 100_001) / 2;

pgTest?.('each streams 100k rows through a cursor with bounded memory', async t => {
	await withSchemaDb(async db => {
		const result = await streamedHeapGrowth(db.each<{n: number; pad: string}>(BIG_RESULT, [100_000]));
		t.is(result.count, 100_000);
		t.is(result.sum, EXPECTED_SUM);
		t.log(`heap growth while streaming 100k rows (~100 MB): ${(result.growth / 1e6).toFixed(1)} MB`);
		t.true(result.growth < 20e6);
	});
});

pgTest?.('each inside a transaction streams 100k rows with bounded memory too', async t => {
	await withSchemaDb(async db => {
		const result = await db.transaction(async tx => streamedHeapGrowth(tx.each<{n: number; pad: string}>(BIG_RESULT, [100_000])));
		t.is(result.count, 100_000);
		t.is(result.sum, EXPECTED_SUM);
		t.log(`heap growth in a transaction: ${(result.growth / 1e6).toFixed(1)} MB`);
		t.true(result.growth < 20e6);
	});
});

async function serverConnections(applicationName: string): Promise<number> {
	return withPgAdmin(async client => {
		const result = await client.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
		return (result.rows[0] as {n: number}).n;
	});
}

pgTest?.('the pool never opens more than its size, and close() ends every connection', async t => {
	const applicationName = `mbz_pool_${randomBytes(4).toString('hex')}`;
	await withSchemaDb(async db => {
		let peak = 0;
		const busy = Array.from({length: 10}, async () => {
			await db.get('SELECT pg_sleep(0.1)');
			peak = Math.max(peak, db.openConnections);
		});
		await Promise.all(busy);
		t.true(peak <= PG_POOL_SIZE);
		t.true(await serverConnections(applicationName) >= 1);
		t.true(await serverConnections(applicationName) <= PG_POOL_SIZE);
		await db.close();
		t.is(db.openConnections, 0);
		// The server ends a backend a moment after its client has said goodbye: allow it two seconds.
		let remaining = await serverConnections(applicationName);
		for (let attempt = 0; remaining > 0 && attempt < 40; attempt++) {
			await new Promise(resolve => setTimeout(resolve, 50));
			remaining = await serverConnections(applicationName);
		}
		t.is(remaining, 0);
		await t.throwsAsync(db.get('SELECT 1'), {instanceOf: StoreError, message: /closed/});
		await t.throwsAsync(db.transaction(async () => {}), {instanceOf: StoreError, message: /closed/});
	}, {application_name: applicationName});
});

pgTest?.('an unreachable server, a missing database or schema fail on open with one line', async t => {
	const refused = await t.throwsAsync(openPgDb('postgres://postgres@127.0.0.1:1/test'), {instanceOf: StoreError});
	t.regex(refused!.message, /^cannot reach PostgreSQL at 127\.0\.0\.1:1: /);
	t.false(refused!.message.includes('\n'));

	const url = new URL(testPgUrl!);
	const noDatabase = new URL(url.href);
	noDatabase.pathname = '/mbz_no_such_database';
	await t.throwsAsync(openPgDb(noDatabase.href), {instanceOf: StoreError, message: /database "mbz_no_such_database" does not exist/});

	const noSchema = new URL(url.href);
	noSchema.searchParams.set('schema', 'mbz_no_such_schema');
	await t.throwsAsync(openPgDb(noSchema.href), {instanceOf: StoreError, message: /schema "mbz_no_such_schema" does not exist/});
});

pgTest?.('createSchema makes the schema on open; tables then land in it', async t => {
	const schema = `mbz_t_${randomBytes(6).toString('hex')}`;
	const url = new URL(testPgUrl!);
	url.searchParams.set('schema', schema);
	const db = await openPgDb(url.href, {createSchema: true});
	try {
		await db.exec('CREATE TABLE {thing} (id BIGSERIAL PRIMARY KEY, name TEXT)');
		t.deepEqual(await db.tableNames(), ['thing']);
		const info = await db.serverInfo();
		t.is(info.schema, schema);
		t.regex(info.version, /^PostgreSQL \d+/);
		const located = await withPgAdmin(client => client.query('SELECT table_schema FROM information_schema.tables WHERE table_name = $1 AND table_schema = $2', ['mdl_thing', schema]));
		t.is(located.rowCount, 1);
	} finally {
		await db.close();
		await withPgAdmin(client => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
	}
});

pgTest?.('insertMany splits rows to stay under the 65535-parameter limit', async t => {
	await withSchemaDb(async db => {
		const columns = Array.from({length: 100}, (_, index) => `c${index}`);
		await db.exec(`CREATE TABLE {wide} (id BIGSERIAL PRIMARY KEY, ${columns.map(column => `${column} INTEGER`).join(', ')})`);
		// 1000 rows x 100 columns = 100k parameters: at most 655 rows per statement.
		const rows = Array.from({length: 1000}, (_, row) => Object.fromEntries(columns.map((column, index) => [column, row * 100 + index])));
		const ids = await db.insertMany('wide', rows);
		t.is(ids.length, 1000);
		t.is(new Set(ids).size, 1000);
		const last = await db.get<{c99: number}>('SELECT c99 FROM {wide} WHERE id = ?', [ids[999]!]);
		t.is(last!.c99, 999 * 100 + 99);
	});
});

pgTest?.('explicit ids move the sequence past them', async t => {
	await withSchemaDb(async db => {
		await db.exec('CREATE TABLE {role} (id BIGSERIAL PRIMARY KEY, shortname VARCHAR(100))');
		t.deepEqual(await db.insertMany('role', [{id: 1, shortname: 'manager'}, {id: 5, shortname: 'student'}]), [1, 5]);
		const next = await db.insert('role', {shortname: 'custom'});
		t.true(next > 5);
	});
});

pgTest?.('after a failed statement the transaction rolls back and the pool stays healthy', async t => {
	await withSchemaDb(async db => {
		await db.exec('CREATE TABLE {item} (id BIGSERIAL PRIMARY KEY, name VARCHAR(10) NOT NULL)');
		const error = await t.throwsAsync(
			db.transaction(async tx => {
				await tx.insert('item', {name: 'fits'});
				await tx.insert('item', {name: 'far too long for ten'});
			}),
			{instanceOf: StoreError},
		);
		t.regex(error!.message, /^PostgreSQL: value too long .* \(in: INSERT INTO \{item\} \(name\) \(1 rows\)\)$/);
		t.is((await db.get<{n: number}>('SELECT COUNT(*) AS n FROM {item}'))!.n, 0);
		// Every pooled connection still works (none was left inside an aborted transaction).
		const counts = await Promise.all(Array.from({length: PG_POOL_SIZE * 2}, () => db.transaction(async tx => (await tx.get<{n: number}>('SELECT COUNT(*) AS n FROM {item}'))!.n)));
		t.deepEqual(counts, Array.from({length: PG_POOL_SIZE * 2}, () => 0));
	});
});

pgTest?.('a transaction handle refuses work after its transaction ended', async t => {
	await withSchemaDb(async db => {
		let kept: {get(sql: string): Promise<unknown>} | undefined;
		await db.transaction(async tx => {
			kept = tx;
		});
		await t.throwsAsync(kept!.get('SELECT 1'), {instanceOf: StoreError, message: /after its transaction ended/});
	});
});
