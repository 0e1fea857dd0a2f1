import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {backupActivity, restoreActivity, restoreQuestionBank} from '../../../source/engine/plugins/index.js';
import {XmlError} from '../../../source/engine/errors.js';
import {count, extractFixture, freshSite, restoreContext} from './fixture-site.js';

test('single-activity forum backup: 3 discussions, 9 posts, the attachment and the module role assignment', async t => {
	const xmlDir = await extractFixture('rich101_activity_forum_users.mbz');
	const site = await freshSite(xmlDir);
	try {
		const warnings: string[] = [];
		const result = await restoreActivity(restoreContext(site, xmlDir, warnings), 'activities/forum_445');
		if (!('cmid' in result)) return t.fail(result.skipped.text);
		t.is(await count(site.db, 'forum_discussions', 'forum = ? AND course = ?', [result.instanceId, site.courseId]), 3);
		t.is(await count(site.db, 'forum_posts'), 9);
		const attachment = await site.db.get<{itemid: number; contextid: number; contenthash: string}>("SELECT itemid, contextid, contenthash FROM {files} WHERE component = 'mod_forum' AND filearea = 'attachment' AND filename = 'cv-elodie.txt'");
		t.is(Number(attachment?.contextid), result.contextId);
		t.is(Number(attachment?.itemid), site.idMap.get('forum_post', 566)!, 'itemid is the restored post id');
		t.true(await site.pool.has(attachment!.contenthash) || site.staging.has(attachment!.contenthash));
		const assignment = await site.db.get<{userid: number; roleid: number}>('SELECT userid, roleid FROM {role_assignments} WHERE contextid = ?', [result.contextId]);
		t.is(Number(assignment?.userid), site.idMap.get('user', 1064)!);
		t.is(Number(assignment?.roleid), 3);
		const cm = await site.db.get<{instance: number; course: number; groupmode: number}>('SELECT instance, course, groupmode FROM {course_modules} WHERE id = ?', [result.cmid]);
		t.deepEqual({instance: Number(cm?.instance), course: Number(cm?.course), groupmode: Number(cm?.groupmode)}, {instance: result.instanceId, course: site.courseId, groupmode: 1});
		t.deepEqual(warnings, []);
	} finally {
		await site.close();
		await fs.rm(xmlDir, {recursive: true, force: true});
	}
});

test('single-activity quiz backup: question bank, slots, 3 attempts with usages, steps and data, grades', async t => {
	const xmlDir = await extractFixture('rich101_activity_quiz_users.mbz');
	const site = await freshSite(xmlDir);
	try {
		const ctx = restoreContext(site, xmlDir);
		t.deepEqual(await restoreQuestionBank(ctx), {categories: 2, questions: 4});
		const qtypes = await site.db.all<{qtype: string}>('SELECT qtype FROM {question} ORDER BY qtype');
		t.deepEqual(qtypes.map(row => row.qtype), ['multichoice', 'numerical', 'shortanswer', 'truefalse']);
		const truefalse = await site.db.get<{trueanswer: number; falseanswer: number; question: number}>('SELECT trueanswer, falseanswer, question FROM {question_truefalse}');
		t.is(await count(site.db, 'question_answers', 'id = ? AND question = ?', [truefalse!.trueanswer, truefalse!.question]), 1);
		t.is(await count(site.db, 'question_answers', 'id = ? AND question = ?', [truefalse!.falseanswer, truefalse!.question]), 1);
		t.is(await count(site.db, 'question_versions', 'questionid NOT IN (SELECT id FROM {question})'), 0);
		const categories = await site.db.all<{contextid: number}>('SELECT contextid FROM {question_categories}');
		t.true(categories.every(row => Number(row.contextid) === site.courseContextId));

		const result = await restoreActivity(ctx, 'activities/quiz_449');
		if (!('cmid' in result)) return t.fail(result.skipped.text);
		t.is(await count(site.db, 'quiz_attempts', 'quiz = ?', [result.instanceId]), 3);
		t.is(await count(site.db, 'quiz_slots', 'quizid = ?', [result.instanceId]), 3);
		t.is(await count(site.db, 'quiz_grades', 'quiz = ?', [result.instanceId]), 3);
		t.is(await count(site.db, 'question_usages', 'contextid = ?', [result.contextId]), 3);
		const xml = await fs.readFile(path.join(xmlDir, 'activities/quiz_449/quiz.xml'), 'utf8');
		t.is(await count(site.db, 'question_attempts'), xml.split('<question_attempt id=').length - 1);
		t.is(await count(site.db, 'question_attempt_steps'), xml.split('<step id=').length - 1);
		t.is(await count(site.db, 'question_attempt_step_data'), xml.split('<variable>').length - 1);
		t.is(await count(site.db, 'question_references', "usingcontextid = ? AND component = 'mod_quiz'", [result.contextId]), 3);
		t.is(await count(site.db, 'grade_items', "itemmodule = 'quiz' AND iteminstance = ?", [result.instanceId]), 1);
		t.is(await count(site.db, 'grade_grades'), 8);
		// Aliases: attempts_number -> quiz.attempts, attemptnum -> attempt, gradeval -> grade.
		const attempt = await site.db.get<{attempt: number; userid: number}>('SELECT attempt, userid FROM {quiz_attempts} ORDER BY id LIMIT 1');
		t.is(Number(attempt?.attempt), 1);
		t.is(Number(attempt?.userid), site.idMap.get('user', 1065)!);
		const grade = await site.db.get<{grade: number}>('SELECT grade FROM {quiz_grades} ORDER BY id LIMIT 1');
		t.is(Number(grade?.grade), 10);
	} finally {
		await site.close();
		await fs.rm(xmlDir, {recursive: true, force: true});
	}
});

test('an unsupported activity type is skipped with a warning naming it, and nothing is created', async t => {
	const xmlDir = await extractFixture('rich101_users.mbz');
	const lessonDir = path.join(xmlDir, 'activities/lesson_900');
	await fs.cp(path.join(xmlDir, 'activities/label_437'), lessonDir, {recursive: true});
	const moduleXml = path.join(lessonDir, 'module.xml');
	await fs.writeFile(moduleXml, (await fs.readFile(moduleXml, 'utf8')).replace('<modulename>label</modulename>', '<modulename>lesson</modulename>'));
	const site = await freshSite(xmlDir);
	try {
		const warnings: string[] = [];
		const result = await restoreActivity(restoreContext(site, xmlDir, warnings), 'activities/lesson_900');
		t.like(result, {modulename: 'lesson'});
		t.is('skipped' in result ? result.skipped.text : '', 'activity type "lesson" is not supported');
		t.is(warnings.length, 1);
		t.regex(warnings[0]!, /lesson/);
		t.is(await count(site.db, 'course_modules'), 0);
	} finally {
		await site.close();
		await fs.rm(xmlDir, {recursive: true, force: true});
	}
});

test('without user info: the forum is restored without its discussions, and backs up with empty user-data wrappers', async t => {
	const xmlDir = await extractFixture('rich101_users.mbz');
	const site = await freshSite(xmlDir);
	const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mbz-plugins-nouser-'));
	try {
		const result = await restoreActivity(restoreContext(site, xmlDir, [], false), 'activities/forum_445');
		if (!('cmid' in result)) return t.fail(result.skipped.text);
		t.is(await count(site.db, 'forum', 'id = ?', [result.instanceId]), 1);
		t.is(await count(site.db, 'forum_discussions'), 0);
		t.is(await count(site.db, 'forum_subscriptions'), 0);
		t.is(await count(site.db, 'role_assignments'), 1, 'role assignments follow their own setting');

		const withUsers = await restoreActivity(restoreContext(site, xmlDir, [], true), 'activities/forum_436');
		if (!('cmid' in withUsers)) return t.fail(withUsers.skipped.text);
		t.is(await count(site.db, 'forum_posts'), 1, 'the news forum has one post');
		const backedUp = await backupActivity({db: site.db, pool: site.pool, outDir, userinfo: false, settings: {}, annotate: () => undefined}, withUsers.cmid);
		const xml = await fs.readFile(path.join(outDir, backedUp.directory, 'forum.xml'), 'utf8');
		t.true(xml.includes('<discussions>\n    </discussions>'));
		t.false(xml.includes('<post '));
		t.false(await fs.stat(path.join(outDir, backedUp.directory, 'completion.xml')).then(() => true, () => false));
	} finally {
		await site.close();
		await fs.rm(outDir, {recursive: true, force: true});
		await fs.rm(xmlDir, {recursive: true, force: true});
	}
});

test('a truncated activity XML fails with an XmlError naming the entry, and leaves nothing behind', async t => {
	const xmlDir = await extractFixture('rich101_users.mbz');
	const forumXml = path.join(xmlDir, 'activities/forum_445/forum.xml');
	const text = await fs.readFile(forumXml, 'utf8');
	await fs.writeFile(forumXml, text.slice(0, Math.floor(text.length / 2)));
	const site = await freshSite(xmlDir);
	try {
		const error = await t.throwsAsync(restoreActivity(restoreContext(site, xmlDir), 'activities/forum_445'), {instanceOf: XmlError});
		t.regex(error!.message, /activities\/forum_445\/forum\.xml/);
		t.is(await count(site.db, 'course_modules'), 0);
		t.is(await count(site.db, 'forum_posts'), 0);
		t.is(await count(site.db, 'context', 'contextlevel = 70'), 0);
	} finally {
		await site.close();
		await fs.rm(xmlDir, {recursive: true, force: true});
	}
});
