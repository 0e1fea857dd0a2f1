import test from 'ava';
import {count, fixture, restore, tempSite} from './restore-helpers.js';

const BANK = `{question_categories} qc JOIN {context} ctx ON ctx.id = qc.contextid WHERE ctx.contextlevel = 50 AND ctx.instanceid = ?`;
const QUESTIONS = `{question} q JOIN {question_versions} v ON v.questionid = q.id JOIN {question_bank_entries} e ON e.id = v.questionbankentryid
	JOIN {question_categories} qc ON qc.id = e.questioncategoryid JOIN {context} ctx ON ctx.id = qc.contextid WHERE ctx.contextlevel = 50 AND ctx.instanceid = ?`;

test('a backup merged into the course it was restored into maps its question bank instead of copying it (Moodle\'s stamp matching)', async t => {
	const temp = await tempSite();
	t.teardown(() => temp.dispose());
	const {site} = temp;
	const first = await restore(site, fixture('rich101_users.mbz'), {target: 'new', categoryId: 1});
	t.is(await count(site, BANK, [first.courseId]), 2);
	t.is(await count(site, QUESTIONS, [first.courseId]), 4);
	const answersBefore = await count(site, `{question_answers}`);

	await restore(site, fixture('rich101_users.mbz'), {target: 'merge', courseId: first.courseId});
	// The same 2 categories and 4 questions, no copies of their answers; the activities came in a second time.
	t.is(await count(site, BANK, [first.courseId]), 2);
	t.is(await count(site, QUESTIONS, [first.courseId]), 4);
	t.is(await count(site, `{question_answers}`), answersBefore);
	t.is(await count(site, `{quiz} WHERE course = ?`, [first.courseId]), 2);
	// Both quizzes' slots point at the course's one set of bank entries.
	const slots = await site.db.all<{quiz: number; entry: number; category: number | null}>(`SELECT s.quizid AS quiz, r.questionbankentryid AS entry, e.questioncategoryid AS category
		FROM {quiz_slots} s JOIN {quiz} qz ON qz.id = s.quizid
		JOIN {question_references} r ON r.component = 'mod_quiz' AND r.questionarea = 'slot' AND r.itemid = s.id
		LEFT JOIN {question_bank_entries} e ON e.id = r.questionbankentryid WHERE qz.course = ? ORDER BY s.quizid, s.slot`, [first.courseId]);
	const quizzes = [...new Set(slots.map(slot => slot.quiz))];
	t.is(quizzes.length, 2);
	t.true(slots.every(slot => slot.category !== null), 'every slot names an existing bank entry');
	const entriesOf = (quiz: number) => slots.filter(slot => slot.quiz === quiz).map(slot => slot.entry);
	t.deepEqual(entriesOf(quizzes[1]!), entriesOf(quizzes[0]!));
});
