import {createHash} from 'node:crypto';
import path from 'node:path';
import test from 'ava';
import type {Db} from '../../../source/engine/store/db.js';
import {FilePool} from '../../../source/engine/store/file-pool.js';
import {installSite} from '../../../source/engine/store/site-install.js';
import {initSite} from '../../../source/engine/store/site.js';
import {openSqliteDb} from '../../../source/engine/store/sqlite-db.js';
import {seedDemoSite} from '../../../source/engine/demo/seed-demo-site.js';
import {tempDir} from '../store/temp.js';

/** Every row of every table, in id order, plus the staged blobs: the whole seeded state. */
async function dump(db: Db, pool: FilePool): Promise<{tables: Record<string, unknown[]>; blobs: string[]}> {
	const tables: Record<string, unknown[]> = {};
	for (const table of await db.tableNames()) tables[table] = await db.all(`SELECT * FROM {${table}} ORDER BY id`);
	return {tables, blobs: pool.stagedHashes().sort()};
}

async function seedInto(dir: string): Promise<{db: Db; pool: FilePool}> {
	const db = await openSqliteDb(path.join(dir, 'site.db'), {create: true});
	const pool = new FilePool(path.join(dir, 'filedir'));
	await db.transaction(async tx => {
		await installSite(tx, {siteIdentifier: 'fixedidentifierfixedidentifier00mbz.localhost', now: 1_700_000_000});
		await seedDemoSite(tx, pool);
	});
	return {db, pool};
}

test('seeding the demo twice gives identical databases and files', async t => {
	const first = await tempDir('demo-a');
	const second = await tempDir('demo-b');
	t.teardown(async () => {
		await first.cleanup();
		await second.cleanup();
	});
	const a = await seedInto(first.dir);
	const b = await seedInto(second.dir);
	const dumpA = await dump(a.db, a.pool);
	const dumpB = await dump(b.db, b.pool);
	t.true(dumpA.blobs.length > 10);
	t.deepEqual(dumpA, dumpB);
	const digest = (value: unknown) => createHash('sha1').update(JSON.stringify(value)).digest('hex');
	t.is(digest(dumpA), digest(dumpB));
	await a.db.close();
	await b.db.close();
	await a.pool.discardStaged();
	await b.pool.discardStaged();
});

test('the demo site is realistic and consistent', async t => {
	const {dir, cleanup} = await tempDir('demo-site');
	t.teardown(cleanup);
	const site = await initSite(path.join(dir, 'site'), {demo: true});
	t.teardown(() => site.close());
	const {db} = site;
	const count = async (sql: string, params: Array<string | number> = []) => Number((await db.get<{n: number}>(sql, params))!.n);

	// Users: >= 200, accented French names, unique e-mails and usernames.
	const users = await db.all<{username: string; email: string; firstname: string; lastname: string}>('SELECT username, email, firstname, lastname FROM {user} WHERE id > 2');
	t.true(users.length >= 200);
	t.is(new Set(users.map(user => user.email)).size, users.length);
	t.is(new Set(users.map(user => user.username)).size, users.length);
	t.true(users.filter(user => /[éèêëàâîïôûùçœÉ]/.test(`${user.firstname}${user.lastname}`)).length > users.length / 2);
	t.true(users.every(user => /^[a-z0-9.]+@(etu|univ)-demo\.fr$/.test(user.email)));

	// Courses: >= 3 besides the site course, one hidden; categories with a subcategory.
	t.true((await count('SELECT count(*) AS n FROM {course} WHERE id > 1')) >= 3);
	t.is(await count('SELECT count(*) AS n FROM {course} WHERE visible = 0'), 1);
	t.is(await count('SELECT count(*) AS n FROM {course_categories} WHERE depth = 2'), 1);
	t.is(await count('SELECT count(*) AS n FROM {cohort}'), 2);

	// Enrolments: manual, self and cohort, each with enrolled users and role assignments.
	for (const method of ['manual', 'self', 'cohort']) {
		t.true((await count('SELECT count(*) AS n FROM {user_enrolments} ue JOIN {enrol} e ON e.id = ue.enrolid WHERE e.enrol = ?', [method])) > 0, method);
	}
	t.true((await count("SELECT count(*) AS n FROM {role_assignments} WHERE component = 'enrol_cohort'")) > 0);
	t.true((await count('SELECT count(*) AS n FROM {groups_members}')) > 0);
	t.true((await count('SELECT count(*) AS n FROM {groupings_groups}')) > 0);

	// Activities with user data.
	const modnames = (await db.all<{name: string}>('SELECT DISTINCT m.name FROM {course_modules} cm JOIN {modules} m ON m.id = cm.module ORDER BY m.name')).map(row => row.name);
	t.deepEqual(modnames, ['assign', 'book', 'chat', 'choice', 'folder', 'forum', 'glossary', 'label', 'page', 'quiz', 'resource', 'url']);
	t.true((await count('SELECT count(*) AS n FROM {forum_posts}')) > 50);
	t.true((await count('SELECT count(*) AS n FROM {assign_submission}')) > 50);
	t.true((await count('SELECT count(*) AS n FROM {assign_grades}')) > 0);
	t.true((await count('SELECT count(*) AS n FROM {quiz_attempts}')) > 0);
	t.true((await count('SELECT count(*) AS n FROM {grade_grades}')) > 100);
	t.is(await count('SELECT count(*) AS n FROM {quiz_attempts} qa LEFT JOIN {question_usages} qu ON qu.id = qa.uniqueid WHERE qu.id IS NULL'), 0);

	// Every course module has a module context under its course's context, and is in its section's sequence.
	const modules = await db.all<{id: number; course: number; section: number; path: string | null; coursepath: string | null; sequence: string}>(
		`SELECT cm.id, cm.course, cm.section, ctx.path, cctx.path AS coursepath, cs.sequence
		   FROM {course_modules} cm
		   LEFT JOIN {context} ctx ON ctx.contextlevel = 70 AND ctx.instanceid = cm.id
		   LEFT JOIN {context} cctx ON cctx.contextlevel = 50 AND cctx.instanceid = cm.course
		   JOIN {course_sections} cs ON cs.id = cm.section`,
	);
	for (const module of modules) {
		t.truthy(module.path);
		t.true(module.path!.startsWith(`${module.coursepath}/`));
		t.true(module.sequence.split(',').map(Number).includes(module.id));
	}
	// Every context's path is its parent's path plus its own id, and depth matches.
	const contexts = await db.all<{id: number; path: string; depth: number}>('SELECT id, path, depth FROM {context}');
	const byId = new Map(contexts.map(context => [context.id, context]));
	for (const context of contexts) {
		const ids = context.path.split('/').slice(1).map(Number);
		t.is(ids.at(-1), context.id);
		t.is(ids.length, context.depth);
		if (ids.length > 1) t.is(byId.get(ids.at(-2)!)?.path, `/${ids.slice(0, -1).join('/')}`);
	}
	// Every file row's blob is in the pool (directories use the empty hash and no blob).
	const hashes = await db.all<{contenthash: string; filename: string}>('SELECT DISTINCT contenthash, filename FROM {files}');
	t.true(hashes.some(row => row.filename === 'programme-du-cours.txt'));
	for (const row of hashes.filter(entry => entry.filename !== '.')) t.true(await site.pool.has(row.contenthash), row.contenthash);
	t.deepEqual(await site.pool.removeUnreferenced(db), {removed: 0, bytes: 0});
});

test('demo courses carry tags, blocks with PHP-serialised config, last access and logs', async t => {
	const {dir, cleanup} = await tempDir('demo-extras');
	t.teardown(cleanup);
	const {db, pool} = await seedInto(dir);
	t.teardown(async () => {
		await db.close();
		await pool.discardStaged();
	});
	const tags = await db.all<{rawname: string}>(
		"SELECT t.rawname FROM {tag_instance} ti JOIN {tag} t ON t.id = ti.tagid JOIN {course} c ON c.id = ti.itemid WHERE ti.itemtype = 'course' AND c.shortname = 'HIST101' ORDER BY ti.ordering",
	);
	t.deepEqual(tags.map(tag => tag.rawname), ['Histoire', 'Moyen Âge']);
	const block = await db.get<{configdata: string}>("SELECT configdata FROM {block_instances} WHERE blockname = 'html' ORDER BY id");
	const config = Buffer.from(block!.configdata, 'base64').toString('utf8');
	t.is(config, 'O:8:"stdClass":3:{s:5:"title";s:11:"Bienvenue !";s:6:"format";s:1:"1";s:4:"text";s:28:"<p>Bon semestre à tous.</p>";}');
	t.true(Number((await db.get<{n: number}>('SELECT count(*) AS n FROM {logstore_standard_log}'))!.n) > 0);
	t.true(Number((await db.get<{n: number}>('SELECT count(*) AS n FROM {user_lastaccess}'))!.n) > 0);
});

test('every demo block instance has its block context under the course context', async t => {
	const {dir, cleanup} = await tempDir('demo-blocks');
	t.teardown(cleanup);
	const {db, pool} = await seedInto(dir);
	t.teardown(async () => {
		await db.close();
		await pool.discardStaged();
	});
	const blocks = await db.all<{id: number; path: string | null; parentpath: string}>(
		`SELECT bi.id, ctx.path, pctx.path AS parentpath FROM {block_instances} bi
		   JOIN {context} pctx ON pctx.id = bi.parentcontextid
		   LEFT JOIN {context} ctx ON ctx.contextlevel = 80 AND ctx.instanceid = bi.id`,
	);
	t.true(blocks.length >= 4);
	for (const block of blocks) t.regex(block.path ?? '', new RegExp(`^${block.parentpath}/\\d+$`));
});

test('demo courses have completion criteria with completions, the assignment due event and a renamed role', async t => {
	const {dir, cleanup} = await tempDir('demo-completion');
	t.teardown(cleanup);
	const {db, pool} = await seedInto(dir);
	t.teardown(async () => {
		await db.close();
		await pool.discardStaged();
	});
	const courses = Number((await db.get<{n: number}>('SELECT count(*) AS n FROM {course} WHERE id > 1'))!.n);
	t.is(Number((await db.get<{n: number}>('SELECT count(*) AS n FROM {course_completion_criteria}'))!.n), courses);
	const completed = await db.all<{userid: number; course: number}>('SELECT userid, course FROM {course_completions} WHERE timecompleted IS NOT NULL');
	t.true(completed.length > 0);
	// Each completed user has a criterion completion in the same course, and a submitted assignment.
	for (const row of completed) {
		const compl = await db.get('SELECT id FROM {course_completion_crit_compl} WHERE userid = ? AND course = ?', [row.userid, row.course]);
		t.truthy(compl);
	}
	const events = await db.all<{modulename: string; eventtype: string}>('SELECT modulename, eventtype FROM {event}');
	t.is(events.length, courses);
	t.true(events.every(event => event.modulename === 'assign' && event.eventtype === 'due'));
	t.is(Number((await db.get<{n: number}>("SELECT count(*) AS n FROM {role_names} WHERE roleid = 5 AND name = 'Étudiant·e'"))!.n), courses);
	// A course badge each, with its image file, issued exactly to those who completed the course.
	t.is(Number((await db.get<{n: number}>('SELECT count(*) AS n FROM {badge} WHERE type = 2'))!.n), courses);
	t.is(Number((await db.get<{n: number}>("SELECT count(*) AS n FROM {files} WHERE component = 'badges' AND filearea = 'badgeimage' AND filename = 'f1.png'"))!.n), courses);
	t.is(Number((await db.get<{n: number}>('SELECT count(*) AS n FROM {badge_issued}'))!.n), completed.length);
});
