/**
 * The schema as PostgreSQL actually created it, checked column by column against the Moodle 4.1
 * definitions with Moodle's own PostgreSQL type mapping (lib/ddl/postgres_sql_generator.php).
 * Runs when MBZ_TEST_PG is set.
 */
import test from 'ava';
import {openPgDb} from '../../../source/engine/store/pg-db.js';
import {tableDdl} from '../../../source/engine/store/schema/ddl.js';
import {installSchema, readSchemaVersion, SCHEMA_VERSION} from '../../../source/engine/store/schema/migrations.js';
import {TABLES, type ColumnDefinition} from '../../../source/engine/store/schema/tables.js';
import {createPgSchemaLocation, testPgUrl} from '../../helpers/site-adapters.js';

/** information_schema's name for the type Moodle's generator gives the column. */
function moodlePgType(column: ColumnDefinition): string {
	const length = Number(column.length ?? 0);
	switch (column.type) {
		case 'int':
			if (column.sequence) return 'bigint';
			return length <= 4 ? 'smallint' : length <= 9 ? 'integer' : 'bigint';
		case 'char':
			return `character varying(${length})`;
		case 'text':
			return 'text';
		case 'number':
			return `numeric(${length},${Number(column.decimals ?? 0)})`;
		case 'float':
			return 'double precision';
		case 'binary':
			return 'bytea';
	}
}

/** `'abc'::character varying` -> abc, `'-1'::integer` -> -1, `0` -> 0. */
function plainDefault(expression: string | null): string | null {
	if (expression === null) return null;
	const match = /^\(?'?(.*?)'?\)?(::[a-z ]+)?$/s.exec(expression);
	return match ? match[1]!.replaceAll("''", "'") : expression;
}

if (testPgUrl) {
	test('every table has Moodle\'s columns, PostgreSQL types, nullability, defaults, sequences and unique indexes', async t => {
		const site = await createPgSchemaLocation();
		const db = await openPgDb(site.location);
		t.teardown(async () => {
			await db.close();
			await site.cleanup();
		});
		// Statement by statement, as site init does: one transaction would hold ~800 locks.
		await installSchema(db);
		t.is(await readSchemaVersion(db), SCHEMA_VERSION);
		t.deepEqual(await db.tableNames(), Object.keys(TABLES).sort());

		type ColumnInfo = {table_name: string; column_name: string; type: string; is_nullable: string; column_default: string | null};
		const columns = await db.all<ColumnInfo>(
			`WITH mine AS MATERIALIZED (
			   SELECT table_schema, table_name, column_name, is_nullable, column_default, ordinal_position
			     FROM information_schema.columns WHERE table_schema = current_schema())
			 SELECT c.table_name, c.column_name, c.is_nullable, c.column_default,
			        format_type(a.atttypid, a.atttypmod) AS type
			   FROM mine c
			   JOIN pg_catalog.pg_attribute a ON a.attrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass AND a.attname = c.column_name
			  ORDER BY c.table_name, c.ordinal_position`,
		);
		const byTable = new Map<string, ColumnInfo[]>();
		for (const column of columns) byTable.set(column.table_name, [...(byTable.get(column.table_name) ?? []), column]);

		type IndexInfo = {tablename: string; indexdef: string};
		// Only this schema's indexes reach pg_get_indexdef: other tests drop their schemas meanwhile, and the
		// function fails on an index dropped under it ("could not open relation with OID").
		const indexes = await db.all<IndexInfo>(
			`WITH mine AS MATERIALIZED (
			   SELECT t.relname AS tablename, i.indexrelid
			     FROM pg_catalog.pg_index i
			     JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
			     JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
			    WHERE n.nspname = current_schema() AND i.indisunique)
			 SELECT tablename, pg_get_indexdef(indexrelid) AS indexdef FROM mine`,
		);
		const uniqueColumns = new Map<string, Set<string>>();
		for (const index of indexes) {
			const fields = /\((.*)\)$/.exec(index.indexdef)![1]!.replaceAll('"', '').split(',').map(field => field.trim()).join(',');
			uniqueColumns.set(index.tablename, (uniqueColumns.get(index.tablename) ?? new Set()).add(fields));
		}

		let checked = 0;
		for (const [table, definition] of Object.entries(TABLES)) {
			const actual = byTable.get(`mdl_${table}`) ?? [];
			t.deepEqual(actual.map(column => column.column_name), definition.columns.map(column => column.name), `${table} columns`);
			for (const [index, column] of definition.columns.entries()) {
				const info = actual[index];
				if (!info) continue;
				t.is(info.type, moodlePgType(column), `${table}.${column.name} type`);
				if (column.sequence) {
					t.regex(info.column_default ?? '', /^nextval\('mdl_\w+_seq'::regclass\)$/, `${table}.${column.name} sequence`);
					continue;
				}
				t.is(info.is_nullable, column.notnull ? 'NO' : 'YES', `${table}.${column.name} nullability`);
				const expected = column.default === undefined ? null : column.type === 'char' || column.type === 'text' ? column.default : String(Number(column.default));
				const given = plainDefault(info.column_default);
				t.is(column.type === 'number' && given !== null ? String(Number(given)) : given, expected, `${table}.${column.name} default`);
				checked++;
			}
			for (const key of [...definition.keys.filter(key => key.type === 'unique'), ...definition.indexes.filter(index => index.unique)]) {
				const fields = key.fields.split(',').map(field => field.trim()).join(',');
				t.true(uniqueColumns.get(`mdl_${table}`)?.has(fields) ?? false, `${table} unique ${fields}`);
			}
			t.true(uniqueColumns.get(`mdl_${table}`)?.has('id') ?? false, `${table} primary key on id`);
		}
		t.true(checked > 1000);
	});
}

test('the PostgreSQL DDL declares every column with Moodle\'s PostgreSQL type', t => {
	let checked = 0;
	for (const [table, definition] of Object.entries(TABLES)) {
		const create = tableDdl(table, definition, {prefix: 'mdl_', dialect: 'postgres'})[0]!;
		for (const column of definition.columns) {
			const declared = new RegExp(`\\n\\t"${column.name}" ([A-Z]+(?: PRECISION)?(?:\\(\\d+(?:,\\d+)?\\))?)`).exec(create)?.[1];
			const expected = column.sequence ? 'BIGSERIAL' : moodlePgType(column).toUpperCase().replace('CHARACTER VARYING', 'VARCHAR');
			t.is(declared, expected, `${table}.${column.name}`);
			checked++;
		}
	}
	t.true(checked > 1500);
});
