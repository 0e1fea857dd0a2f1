import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {backupActivity, backupQuestionBank, restoreActivity, restoreQuestionBank} from '../../../source/engine/plugins/index.js';
import type {AnnotationKind, RestoredActivity} from '../../../source/engine/plugins/types.js';
import {count, extractFixture, freshSite, restoreContext, type TestSite} from './fixture-site.js';
import {normaliseXml} from './xml-normaliser.js';

let xmlDir: string;
let site: TestSite;
const restored = new Map<string, RestoredActivity>();
const warnings: string[] = [];

test.before(async () => {
	xmlDir = await extractFixture('rich101_users.mbz');
	site = await freshSite(xmlDir);
	const ctx = restoreContext(site, xmlDir, warnings);
	await restoreQuestionBank(ctx);
	for (const directory of (await fs.readdir(path.join(xmlDir, 'activities'))).sort()) {
		const result = await restoreActivity(ctx, `activities/${directory}`);
		if ('cmid' in result) restored.set(directory, result);
	}
});
test.after.always(async () => {
	await site?.close();
	await fs.rm(xmlDir, {recursive: true, force: true});
});

test('every activity of the course is restored without warnings', t => {
	t.is(restored.size, 17);
	t.deepEqual(warnings, []);
});

test('row counts match the source course (fixtures/MANIFEST.md)', async t => {
	const db = site.db;
	t.is(await count(db, 'forum_discussions'), 4);
	t.is(await count(db, 'forum_posts'), 10);
	t.is(await count(db, 'files', "component = 'mod_forum' AND filearea = 'attachment' AND filename <> '.'"), 1);
	t.is(await count(db, 'glossary_entries'), 3);
	t.is(await count(db, 'glossary_alias'), 3);
	t.is(await count(db, 'glossary_categories'), 1);
	t.is(await count(db, 'quiz_attempts'), 3);
	t.is(await count(db, 'choice_answers'), 6);
	t.is(await count(db, 'assign_submission'), 4);
	t.is(await count(db, 'assign_grades'), 3);
	t.is(await count(db, 'assignfeedback_comments'), 3);
	t.is(await count(db, 'files', "component = 'assignsubmission_file' AND filename <> '.'"), 3);
	t.is(await count(db, 'book_chapters'), 3);
	t.is(await count(db, 'files', "component = 'mod_folder' AND filearea = 'content' AND filename <> '.'"), 4);
	t.is(await count(db, 'files', "component = 'mod_resource' AND filearea = 'content' AND filename <> '.'"), 2);
	t.is(await count(db, 'question_categories'), 2);
	t.is(await count(db, 'question'), 4);
	t.is(await count(db, 'quiz_slots'), 3);
	t.is(await count(db, 'comments'), 3);
	t.is(await count(db, 'role_assignments'), 1);
	t.is(await count(db, 'grade_grades'), 16);
	// One discussion's first post carries the tags introductions and bienvenue.
	const tags = await db.all<{name: string}>("SELECT tg.name FROM {tag_instance} ti JOIN {tag} tg ON tg.id = ti.tagid WHERE ti.component = 'mod_forum' AND ti.itemtype = 'forum_posts' ORDER BY tg.name");
	t.deepEqual(tags.map(tag => tag.name), ['bienvenue', 'introductions']);
});

test('each course module joins its section\'s sequence (MANIFEST: 0: 436,437; 1: 438,439,440; ...)', async t => {
	const expected: Record<number, number[]> = {0: [436, 437], 1: [438, 439, 440], 2: [441, 442, 443, 444], 3: [445, 446, 447], 4: [448, 449], 5: [450, 452], 6: [451]};
	const sections = await site.db.all<{section: number; sequence: string}>('SELECT section, sequence FROM {course_sections} WHERE course = ? ORDER BY section', [site.courseId]);
	const actual = Object.fromEntries(sections.map(row => [Number(row.section), row.sequence.split(',').map(Number).sort((a, b) => a - b)]));
	const mapped = Object.fromEntries(Object.entries(expected).map(([section, cmids]) => [Number(section), cmids.map(cmid => site.idMap.get('course_module', cmid)!).sort((a, b) => a - b)]));
	t.deepEqual(actual, mapped);
});

test('availability conditions and groupings point at the restored groups', async t => {
	const page = restored.get('page_452')!;
	const cm = await site.db.get<{availability: string; groupingid: number}>('SELECT availability, groupingid FROM {course_modules} WHERE id = ?', [page.cmid]);
	t.is(cm?.availability, `{"op":"&","c":[{"type":"group","id":${site.idMap.get('group', 13)}}],"showc":[true]}`);
	t.true(Number(cm?.groupingid) > 0);
	t.is(Number(cm?.groupingid), site.idMap.get('grouping', Number((await fs.readFile(path.join(xmlDir, 'activities/page_452/module.xml'), 'utf8')).match(/<groupingid>(\d+)</)![1]))!);
});

test('activity grade items keep their old category id in the id map for the gradebook step', t => {
	t.is(site.idMap.entry('grade_item', 130)?.parentId, 9, 'assign grade item 130 was in grade category 9');
});

test('quiz attempts point at their restored question usages and questions', async t => {
	const attempts = await site.db.all<{uniqueid: number}>('SELECT uniqueid FROM {quiz_attempts}');
	for (const attempt of attempts) t.is(await count(site.db, 'question_usages', 'id = ?', [attempt.uniqueid]), 1);
	const orphans = await count(site.db, 'question_attempts', 'questionid NOT IN (SELECT id FROM {question})');
	t.is(orphans, 0);
	const references = await site.db.all<{questionbankentryid: number}>('SELECT questionbankentryid FROM {question_references}');
	t.is(references.length, 3);
	for (const reference of references) t.is(await count(site.db, 'question_bank_entries', 'id = ?', [reference.questionbankentryid]), 1);
});

/** Nothing is skipped: every element of the original is compared. */
const SKIP: string[] = [];

for (const directory of ['assign_448', 'book_444', 'chat_446', 'choice_447', 'folder_443', 'forum_436', 'forum_445', 'glossary_450', 'label_437', 'label_438', 'page_439', 'page_451', 'page_452', 'quiz_449', 'resource_441', 'resource_442', 'url_440']) {
	test(`${directory}: backing the restored rows up gives the original XML (ids and number formats normalised)`, async t => {
		const activity = restored.get(directory)!;
		const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mbz-plugins-out-'));
		const annotations: Array<[AnnotationKind, number]> = [];
		try {
			const result = await backupActivity({db: site.db, pool: site.pool, outDir, userinfo: true, settings: {}, annotate: (kind, id) => annotations.push([kind, id])}, activity.cmid);
			t.is(result.directory, `activities/${activity.modulename}_${activity.cmid}`);
			const modname = activity.modulename;
			for (const file of [`${modname}.xml`, 'module.xml', 'grades.xml', 'roles.xml', 'comments.xml', 'completion.xml', 'calendar.xml', 'filters.xml', 'grade_history.xml', 'competencies.xml', 'inforef.xml']) {
				const original = await normaliseXml(path.join(xmlDir, 'activities', directory, file), {skip: SKIP});
				const copy = await normaliseXml(path.join(outDir, result.directory, file), {skip: SKIP});
				t.deepEqual(copy, original, file);
			}
		} finally {
			await fs.rm(outDir, {recursive: true, force: true});
		}
	});
}

test('questions.xml: the restored bank backs up to the original categories and questions', async t => {
	const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mbz-plugins-qb-'));
	try {
		await backupQuestionBank({db: site.db, outDir, settings: {}, annotate: () => undefined}, [site.courseContextId]);
		const original = await normaliseXml(path.join(xmlDir, 'questions.xml'), {skip: SKIP});
		const copy = await normaliseXml(path.join(outDir, 'questions.xml'), {skip: SKIP});
		t.deepEqual(copy, original);
	} finally {
		await fs.rm(outDir, {recursive: true, force: true});
	}
});
