import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {backupQuestionBank, restoreActivity, restoreQuestionBank} from '../../../source/engine/plugins/index.js';
import {completeRow} from '../../../source/engine/store/schema/rows.js';
import type {Db} from '../../../source/engine/store/db.js';
import {extractFixture, freshSite, restoreContext} from './fixture-site.js';

let xmlDir: string;
test.before(async () => {
	xmlDir = await extractFixture('rich101_users.mbz');
});
test.after.always(async () => {
	await fs.rm(xmlDir, {recursive: true, force: true});
});

async function addQuestion(db: Db, categoryId: number, qtype: string, name: string): Promise<number> {
	const entry = await db.insert('question_bank_entries', completeRow('question_bank_entries', {questioncategoryid: categoryId, idnumber: null, ownerid: null}));
	const question = await db.insert('question', completeRow('question', {name, qtype, questiontext: `<p>${name}</p>`, generalfeedback: '', stamp: `stamp-${name}`, defaultmark: 1, timecreated: 1700000000, timemodified: 1700000000}));
	await db.insert('question_versions', completeRow('question_versions', {questionbankentryid: entry, questionid: question, version: 1, status: 'ready'}));
	return question;
}

const withoutIds = (rows: Array<Record<string, unknown>>, drop: string[]): Array<Record<string, unknown>> =>
	rows.map(row => Object.fromEntries(Object.entries(row).filter(([name]) => !drop.includes(name))));

test('essay and match questions travel through questions.xml and back with their options, subquestions and hints', async t => {
	const source = await freshSite(xmlDir);
	const target = await freshSite(xmlDir);
	const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mbz-plugins-qtypes-'));
	try {
		const db = source.db;
		const top = await db.insert('question_categories', completeRow('question_categories', {name: 'top', contextid: source.courseContextId, info: '', stamp: 'top-stamp', parent: 0, sortorder: 0}));
		const category = await db.insert('question_categories', completeRow('question_categories', {name: 'Essais', contextid: source.courseContextId, info: '', stamp: 'cat-stamp', parent: top, sortorder: 999}));
		const essay = await addQuestion(db, category, 'essay', 'Rome');
		await db.insert('qtype_essay_options', completeRow('qtype_essay_options', {questionid: essay, responseformat: 'editor', responserequired: 1, responsefieldlines: 15, minwordlimit: 100, maxwordlimit: 500, attachments: 1, attachmentsrequired: 0, graderinfo: 'Look for causes', graderinfoformat: 1, responsetemplate: '', responsetemplateformat: 1, maxbytes: 0, filetypeslist: '.pdf'}));
		const match = await addQuestion(db, category, 'match', 'Capitals');
		await db.insert('qtype_match_options', completeRow('qtype_match_options', {questionid: match, shuffleanswers: 1, correctfeedback: 'Bravo', correctfeedbackformat: 1, partiallycorrectfeedback: 'Presque', partiallycorrectfeedbackformat: 1, incorrectfeedback: 'Non', incorrectfeedbackformat: 1, shownumcorrect: 1}));
		for (const [question, answer] of [['France', 'Paris'], ['Italie', 'Rome']] as const) {
			await db.insert('qtype_match_subquestions', completeRow('qtype_match_subquestions', {questionid: match, questiontext: question, questiontextformat: 1, answertext: answer}));
		}
		await db.insert('question_hints', completeRow('question_hints', {questionid: match, hint: 'Think of rivers', hintformat: 1, shownumcorrect: 1, clearwrong: 0, options: null}));

		await backupQuestionBank({db, outDir, settings: {}, annotate: () => undefined}, [source.courseContextId]);
		const xml = await fs.readFile(path.join(outDir, 'questions.xml'), 'utf8');
		t.true(xml.includes('<plugin_qtype_essay_question>'));
		t.true(xml.includes('<plugin_qtype_match_question>'));
		t.is(xml.split('<plugin_qtype_').length - 1, 2, 'each question carries only its own type\'s data');

		// A picture in the essay's question text, as the backup's files.xml would list it.
		const blob = await target.staging.stageBuffer('picture bytes');
		await fs.writeFile(path.join(outDir, 'files.xml'), `<?xml version="1.0" encoding="UTF-8"?>\n<files>\n  <file id="1">\n    <contenthash>${blob.sha1}</contenthash>\n    <contextid>${source.courseContextId}</contextid>\n    <component>question</component>\n    <filearea>questiontext</filearea>\n    <itemid>${essay}</itemid>\n    <filepath>/</filepath>\n    <filename>rome.png</filename>\n    <userid>$@NULL@$</userid>\n    <filesize>${blob.size}</filesize>\n    <mimetype>image/png</mimetype>\n    <status>0</status>\n    <timecreated>1</timecreated>\n    <timemodified>1</timemodified>\n    <source>rome.png</source>\n    <author>$@NULL@$</author>\n    <license>$@NULL@$</license>\n    <sortorder>0</sortorder>\n    <repositorytype>$@NULL@$</repositorytype>\n    <repositoryid>$@NULL@$</repositoryid>\n    <reference>$@NULL@$</reference>\n  </file>\n</files>`);
		const ctx = {...restoreContext(target, xmlDir), xmlDir: outDir};
		t.deepEqual(await restoreQuestionBank(ctx), {categories: 2, questions: 2});
		const essayOptions = (db2: Db) => db2.all<Record<string, unknown>>('SELECT * FROM {qtype_essay_options}');
		t.deepEqual(withoutIds(await essayOptions(target.db), ['id', 'questionid']), withoutIds(await essayOptions(db), ['id', 'questionid']));
		const subquestions = (db2: Db) => db2.all<Record<string, unknown>>('SELECT * FROM {qtype_match_subquestions} ORDER BY id');
		t.deepEqual(withoutIds(await subquestions(target.db), ['id', 'questionid']), withoutIds(await subquestions(db), ['id', 'questionid']));
		const restoredEssay = await target.db.get<{id: number}>("SELECT id FROM {question} WHERE qtype = 'essay'");
		const picture = await target.db.get<{itemid: number; contextid: number}>("SELECT itemid, contextid FROM {files} WHERE component = 'question' AND filename = 'rome.png'");
		t.deepEqual({itemid: Number(picture?.itemid), contextid: Number(picture?.contextid)}, {itemid: Number(restoredEssay?.id), contextid: target.courseContextId});
		const restoredMatch = await target.db.get<{id: number}>("SELECT id FROM {question} WHERE qtype = 'match'");
		t.is((await target.db.all('SELECT id FROM {qtype_match_subquestions} WHERE questionid = ?', [restoredMatch!.id])).length, 2);
		t.is((await target.db.all('SELECT id FROM {question_hints} WHERE questionid = ?', [restoredMatch!.id])).length, 1);
		const parent = await target.db.get<{parent: number}>("SELECT parent FROM {question_categories} WHERE name = 'Essais'");
		const restoredTop = await target.db.get<{id: number}>("SELECT id FROM {question_categories} WHERE name = 'top'");
		t.is(Number(parent?.parent), Number(restoredTop?.id));
	} finally {
		await source.close();
		await target.close();
		await fs.rm(outDir, {recursive: true, force: true});
	}
});

test('activity dates move with the restore date offset; timestamps of user data do not', async t => {
	const site = await freshSite(xmlDir);
	try {
		const day = 86400;
		const result = await restoreActivity({...restoreContext(site, xmlDir), dateOffset: 10 * day}, 'activities/assign_448');
		if (!('cmid' in result)) return t.fail(result.skipped.text);
		const assign = await site.db.get<{duedate: number; allowsubmissionsfromdate: number; cutoffdate: number}>('SELECT duedate, allowsubmissionsfromdate, cutoffdate FROM {assign} WHERE id = ?', [result.instanceId]);
		t.is(Number(assign?.duedate), 1727856000 + 10 * day);
		t.is(Number(assign?.allowsubmissionsfromdate), 1725264000 + 10 * day);
		t.is(Number(assign?.cutoffdate), 0, 'an unset date stays unset');
		const submission = await site.db.get<{timecreated: number}>('SELECT timecreated FROM {assign_submission} ORDER BY id LIMIT 1');
		t.is(Number(submission?.timecreated), 1795459479);
	} finally {
		await site.close();
	}
});

test('a quiz\'s own question category is kept in the course until the quiz is restored, then moved into the quiz', async t => {
	const quizDir = await extractFixture('rich101_activity_quiz_users.mbz');
	const questionsXml = path.join(quizDir, 'questions.xml');
	const text = await fs.readFile(questionsXml, 'utf8');
	// Make "Questions Antiquité" (the second category) a category of the quiz's own context (1543, cm 449).
	const second = text.indexOf('<question_category id="10">');
	await fs.writeFile(questionsXml, text.slice(0, second) + text.slice(second).replace('<contextid>1514</contextid>', '<contextid>1543</contextid>').replace('<contextlevel>50</contextlevel>', '<contextlevel>70</contextlevel>').replace('<contextinstanceid>9</contextinstanceid>', '<contextinstanceid>449</contextinstanceid>'));
	const site = await freshSite(quizDir);
	try {
		const ctx = restoreContext(site, quizDir);
		await restoreQuestionBank(ctx);
		const category = (): Promise<{contextid: number} | undefined> => site.db.get<{contextid: number}>("SELECT contextid FROM {question_categories} WHERE name = 'Questions Antiquité'");
		t.is(Number((await category())?.contextid), site.courseContextId);
		const quiz = await restoreActivity(ctx, 'activities/quiz_449');
		if (!('cmid' in quiz)) return t.fail(quiz.skipped.text);
		t.is(Number((await category())?.contextid), quiz.contextId);
		const top = await site.db.get<{contextid: number}>("SELECT contextid FROM {question_categories} WHERE name = 'top'");
		t.is(Number(top?.contextid), site.courseContextId);
	} finally {
		await site.close();
		await fs.rm(quizDir, {recursive: true, force: true});
	}
});

test('a 3.x-shaped backup (questions under their category, slots naming questions) restores into the 4.x bank model', async t => {
	const quizDir = await extractFixture('rich101_activity_quiz_users.mbz');
	const questionsXml = path.join(quizDir, 'questions.xml');
	const modern = await fs.readFile(questionsXml, 'utf8');
	const questionOfEntry = new Map<string, string>();
	for (const match of modern.matchAll(/<question_bank_entry id="(\d+)">[\s\S]*?<question id="(\d+)">/g)) questionOfEntry.set(match[1]!, match[2]!);
	const legacy = modern.replace(/<question_bank_entries>([\s\S]*?)<\/question_bank_entries>/g, (_whole, inner: string) => {
		const questions = [...inner.matchAll(/<question id="\d+">[\s\S]*?\n {14}<\/question>/g)].map(match => match[0]);
		return `<questions>\n${questions.join('\n')}\n</questions>`;
	});
	t.false(legacy.includes('question_bank_entry'));
	await fs.writeFile(questionsXml, legacy);
	const quizXml = path.join(quizDir, 'activities/quiz_449/quiz.xml');
	const quizText = await fs.readFile(quizXml, 'utf8');
	await fs.writeFile(quizXml, quizText.replace(/<question_reference id="\d+">[\s\S]*?<questionbankentryid>(\d+)<\/questionbankentryid>[\s\S]*?<\/question_reference>/g, (_whole, entry: string) => `<questionid>${questionOfEntry.get(entry)}</questionid>`));
	const site = await freshSite(quizDir);
	try {
		const warnings: string[] = [];
		const ctx = restoreContext(site, quizDir, warnings);
		t.deepEqual(await restoreQuestionBank(ctx), {categories: 2, questions: 4});
		t.is((await site.db.all('SELECT id FROM {question_bank_entries}')).length, 4);
		t.is((await site.db.all("SELECT id FROM {question_versions} WHERE version = 1 AND status = 'ready'")).length, 4);
		const quiz = await restoreActivity(ctx, 'activities/quiz_449');
		if (!('cmid' in quiz)) return t.fail(quiz.skipped.text);
		const references = await site.db.all<{slot: number; questionid: number}>(
			'SELECT s.slot, v.questionid FROM {quiz_slots} s JOIN {question_references} r ON r.itemid = s.id AND r.component = \'mod_quiz\' JOIN {question_versions} v ON v.questionbankentryid = r.questionbankentryid WHERE s.quizid = ? ORDER BY s.slot',
			[quiz.instanceId],
		);
		const slotQuestions = [...quizText.matchAll(/<questionbankentryid>(\d+)<\/questionbankentryid>/g)].map(match => site.idMap.get('question', Number(questionOfEntry.get(match[1]!))));
		t.deepEqual(references.map(row => Number(row.questionid)), slotQuestions);
		t.is(references.length, 3);
		t.deepEqual(warnings, []);
	} finally {
		await site.close();
		await fs.rm(quizDir, {recursive: true, force: true});
	}
});
