import {readFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {createMissingTables, installSchema, migrateSchema, readSchemaVersion, SCHEMA_VERSION} from '../../../source/engine/store/schema/migrations.js';
import {schemaDdl} from '../../../source/engine/store/schema/ddl.js';
import {completeRow} from '../../../source/engine/store/schema/rows.js';
import {TABLES, type TableDefinition} from '../../../source/engine/store/schema/tables.js';
import {openSqliteDb} from '../../../source/engine/store/sqlite-db.js';
import {tempDir} from './temp.js';

// A verbatim copy of the Moodle 4.1 reference definitions (derived from its install.xml files).
const reference = JSON.parse(readFileSync(new URL('./reference/moodle-4.1-tables.json', import.meta.url), 'utf8')) as {
	tables: Record<string, TableDefinition>;
};

const REQUIRED = `config course_categories course course_sections course_modules course_format_options modules context
user user_info_field user_info_data role role_assignments role_names enrol user_enrolments cohort
cohort_members groups groups_members groupings groupings_groups grade_categories grade_items
grade_grades grade_grades_history grade_items_history grade_letters grade_settings scale files
block_instances filter_active filter_config comments badge badge_criteria badge_criteria_param
badge_issued event course_completions course_completion_criteria course_modules_completion
course_modules_viewed logstore_standard_log question_categories question question_answers
question_bank_entries question_versions question_references question_set_references tag tag_instance
customfield_category customfield_field customfield_data competency_coursecomp competency_modulecomp
forum forum_discussions forum_posts label page url resource folder assign assign_submission assign_grades
assignsubmission_onlinetext assignsubmission_file assignfeedback_comments assignfeedback_file
quiz quiz_slots quiz_attempts question_usages question_attempts question_attempt_steps question_attempt_step_data
chat chat_messages choice choice_options choice_answers glossary glossary_entries book book_chapters`.split(/\s+/);

test('every table the engine needs is defined', t => {
	const missing = REQUIRED.filter(table => !(table in TABLES));
	t.deepEqual(missing, []);
});

test('the project definitions are exactly Moodle 4.1 reference definitions', t => {
	for (const [table, definition] of Object.entries(TABLES)) {
		t.deepEqual(definition, reference.tables[table], table);
	}
});

function sqliteType(column: TableDefinition['columns'][number]): string {
	switch (column.type) {
		case 'int':
			return 'INTEGER';
		case 'char':
			return `VARCHAR(${column.length})`;
		case 'text':
			return 'TEXT';
		case 'number':
			return `NUMERIC(${column.length},${column.decimals ?? 0})`;
		case 'float':
			return 'REAL';
		case 'binary':
			return 'BLOB';
	}
}

test('the created tables have Moodle\'s columns, types, nullability, defaults and indexes', async t => {
	const {dir, cleanup} = await tempDir('schema');
	t.teardown(cleanup);
	const db = await openSqliteDb(path.join(dir, 'site.db'), {create: true});
	t.teardown(() => db.close());
	await db.transaction(async tx => installSchema(tx));
	t.is(await readSchemaVersion(db), SCHEMA_VERSION);
	const created = await db.tableNames();
	t.deepEqual(created.sort(), Object.keys(TABLES).sort());
	for (const table of created) {
		const expected = reference.tables[table]!;
		const info = await db.all<{name: string; type: string; notnull: number; dflt_value: string | null; pk: number}>(`PRAGMA table_info("mdl_${table}")`);
		t.deepEqual(
			info.map(column => column.name),
			expected.columns.map(column => column.name),
			`${table} columns`,
		);
		for (const [index, column] of expected.columns.entries()) {
			const actual = info[index]!;
			if (column.sequence) {
				t.is(actual.pk, 1, `${table}.${column.name} is the primary key`);
				continue;
			}
			t.is(actual.type, sqliteType(column), `${table}.${column.name} type`);
			t.is(actual.notnull, column.notnull ? 1 : 0, `${table}.${column.name} notnull`);
			const expectedDefault =
				column.default === undefined ? null : column.type === 'char' || column.type === 'text' ? `'${column.default}'` : String(Number(column.default));
			t.is(actual.dflt_value, expectedDefault, `${table}.${column.name} default`);
		}
		const indexes = await db.all<{name: string; unique: number}>(`PRAGMA index_list("mdl_${table}")`);
		const uniqueColumns = new Set<string>();
		for (const index of indexes.filter(entry => entry.unique === 1 && !entry.name.startsWith('sqlite_autoindex'))) {
			const columns = await db.all<{name: string}>(`PRAGMA index_info("${index.name}")`);
			uniqueColumns.add(columns.map(column => column.name).join(','));
		}
		for (const key of [...expected.keys.filter(key => key.type === 'unique'), ...expected.indexes.filter(index => index.unique)]) {
			t.true(uniqueColumns.has(key.fields.split(',').map(field => field.trim()).join(',')), `${table} unique ${key.fields}`);
		}
	}
});

test('PostgreSQL DDL uses Moodle\'s PostgreSQL types', t => {
	const ddl = schemaDdl({context: TABLES['context']!, files: TABLES['files']!, grade_grades: TABLES['grade_grades']!}, {prefix: 'mdl_', dialect: 'postgres'}).join('\n');
	t.regex(ddl, /"id" BIGSERIAL PRIMARY KEY/);
	t.regex(ddl, /"contextlevel" BIGINT NOT NULL DEFAULT 0/);
	t.regex(ddl, /"depth" SMALLINT NOT NULL DEFAULT 0/);
	t.regex(ddl, /"contenthash" VARCHAR\(40\) NOT NULL/);
	t.regex(ddl, /"rawgrade" NUMERIC\(10,5\)/);
	t.regex(ddl, /"feedback" TEXT/);
	t.regex(ddl, /CREATE UNIQUE INDEX "mdl_files_pathnamehash_uix" ON "mdl_files" \("pathnamehash"\)/);
	for (const match of ddl.matchAll(/INDEX "([^"]+)"/g)) t.true(match[1]!.length <= 63, match[1]);
});

test('completeRow fills Moodle defaults and rejects unknown columns', t => {
	const row = completeRow('user', {username: 'x'});
	t.is(row['auth'], 'manual');
	t.is(row['idnumber'], '');
	t.is(row['timezone'], '99');
	t.is(row['description'], null);
	t.false('id' in row);
	t.throws(() => completeRow('user', {usernme: 'x'}), {message: /no column "usernme"/});
});

test('forward migrations run in order, once, and record the new version', async t => {
	const {dir, cleanup} = await tempDir('migrate');
	t.teardown(cleanup);
	const db = await openSqliteDb(path.join(dir, 'site.db'), {create: true});
	t.teardown(() => db.close());
	await db.transaction(async tx => installSchema(tx));
	const applied: number[] = [];
	const migrations = [
		{version: 1, summary: 'base', up: async () => void applied.push(1)},
		{version: 2, summary: 'add a table', up: async (tx: typeof db) => {
			applied.push(2);
			await tx.exec('CREATE TABLE "mdl_mbz_extra" (id INTEGER PRIMARY KEY AUTOINCREMENT)');
		}},
		{version: 3, summary: 'fill it', up: async (tx: typeof db) => {
			applied.push(3);
			await tx.insert('mbz_extra', {});
		}},
	];
	t.deepEqual(await migrateSchema(db, 1, migrations), [2, 3]);
	t.deepEqual(applied, [2, 3]);
	t.is(await readSchemaVersion(db), 3);
	t.deepEqual(await migrateSchema(db, 3, migrations), []);
	t.is((await db.all('SELECT id FROM {mbz_extra}')).length, 1);
});

test('a failing migration changes nothing', async t => {
	const {dir, cleanup} = await tempDir('migrate-fail');
	t.teardown(cleanup);
	const db = await openSqliteDb(path.join(dir, 'site.db'), {create: true});
	t.teardown(() => db.close());
	await db.transaction(async tx => installSchema(tx));
	const tables = await db.tableNames();
	await t.throwsAsync(
		migrateSchema(db, 1, [{version: 2, summary: 'broken', up: async tx => {
			await tx.exec('CREATE TABLE "mdl_mbz_half" (id INTEGER PRIMARY KEY)');
			throw new Error('broken migration');
		}}]),
		{message: 'broken migration'},
	);
	t.deepEqual(await db.tableNames(), tables);
	t.is(await readSchemaVersion(db), SCHEMA_VERSION);
});

test('tables added to the program since a site was made are created when it is opened', async t => {
	const {dir, cleanup} = await tempDir('missing-tables');
	t.teardown(cleanup);
	const db = await openSqliteDb(path.join(dir, 'site.db'), {create: true});
	t.teardown(() => db.close());
	await db.transaction(async tx => installSchema(tx));
	await db.exec('DROP TABLE "mdl_glossary_alias"');
	t.deepEqual(await createMissingTables(db), ['glossary_alias']);
	t.true((await db.tableNames()).includes('glossary_alias'));
	t.deepEqual(await createMissingTables(db), []);
});
