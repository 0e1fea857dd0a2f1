import path from 'node:path';
import test from 'ava';
import {planBackup} from '../../../source/engine/backup/plan-backup.js';
import {runBackup} from '../../../source/engine/backup/run-backup.js';
import type {Site} from '../../../source/engine/store/site.js';
import {count, fixture, restore, tempSite} from './restore-helpers.js';

type Attempt = {id: number; userid: number; uniqueid: number; state: string; usagecontext: number | null; component: string | null; questionattempts: number};

/** The attempts of the quizzes of a course, each with its usage (null when uniqueid points at nothing). */
async function courseAttempts(site: Site, courseId: number): Promise<Attempt[]> {
	const rows = await site.db.all<Attempt>(
		`SELECT a.id, a.userid, a.uniqueid, a.state, u.contextid AS usagecontext, u.component,
			(SELECT COUNT(*) FROM {question_attempts} qa WHERE qa.questionusageid = a.uniqueid) AS questionattempts
		FROM {quiz_attempts} a JOIN {quiz} q ON q.id = a.quiz LEFT JOIN {question_usages} u ON u.id = a.uniqueid
		WHERE q.course = ? ORDER BY a.id`,
		[courseId],
	);
	return rows.map((row) => ({...row, questionattempts: Number(row.questionattempts), usagecontext: row.usagecontext === null ? null : Number(row.usagecontext)}));
}

async function quizContext(site: Site, courseId: number): Promise<number> {
	const row = await site.db.get<{id: number}>(
		"SELECT c.id FROM {context} c JOIN {course_modules} cm ON cm.id = c.instanceid JOIN {modules} m ON m.id = cm.module WHERE c.contextlevel = 70 AND m.name = 'quiz' AND cm.course = ?",
		[courseId],
	);
	return Number(row!.id);
}

/** Every attempt of the site points at a usage of its own. */
async function usagesShared(site: Site): Promise<number> {
	return count(site, '(SELECT uniqueid FROM {quiz_attempts} GROUP BY uniqueid HAVING COUNT(*) > 1) AS shared');
}

test('rich101 with users restores into the demo site, quiz attempts included, beside the demo\'s own attempts', async (t) => {
	const {site, dispose} = await tempSite({demo: true});
	try {
		const attemptsBefore = await count(site, '{quiz_attempts}');
		t.true(attemptsBefore > 0, 'the demo site has quiz attempts of its own');
		const usagesBefore = await count(site, '{question_usages}');
		const result = await restore(site, fixture('rich101_users.mbz'), {target: 'new', categoryId: 1});
		t.is(await count(site, "{course_modules} cm JOIN {modules} m ON m.id = cm.module WHERE m.name = 'quiz' AND cm.course = ?", [result.courseId]), 1);
		const attempts = await courseAttempts(site, result.courseId);
		t.is(attempts.length, 3);
		const context = await quizContext(site, result.courseId);
		for (const attempt of attempts) {
			t.is(attempt.usagecontext, context, `attempt ${attempt.id} points at a usage of the restored quiz`);
			t.is(attempt.component, 'mod_quiz');
			t.is(attempt.state, 'finished');
			t.true(attempt.questionattempts > 0, `attempt ${attempt.id} has its question attempts`);
		}
		t.is(await count(site, '{quiz_attempts}'), attemptsBefore + 3);
		// One usage per restored attempt, none left over.
		t.is(await count(site, '{question_usages}'), usagesBefore + 3);
		t.is(await usagesShared(site), 0);
	} finally {
		await dispose();
	}
});

test('a demo course backed up with users restores into the same demo site: users mapped, quiz attempts copied', async (t) => {
	const {site, dir, dispose} = await tempSite({demo: true});
	try {
		const source = await site.db.get<{id: number}>('SELECT DISTINCT q.course AS id FROM {quiz} q JOIN {quiz_attempts} a ON a.quiz = q.id ORDER BY q.course');
		t.truthy(source, 'a demo course with quiz attempts');
		const sourceId = Number(source!.id);
		const {plan} = await planBackup(site.db, 'course', sourceId);
		const backup = await runBackup(site, {type: 'course', id: sourceId, settings: plan, destination: {dir: path.join(dir, 'out')}});
		const usersBefore = await count(site, '{user}');
		const sourceAttempts = await courseAttempts(site, sourceId);
		t.true(sourceAttempts.length > 0);

		const result = await restore(site, backup.path!, {target: 'new', categoryId: 1});
		t.is(result.usersCreated.length, 0, 'a backup of this site maps its users');
		t.is(await count(site, '{user}'), usersBefore);
		const restored = await courseAttempts(site, result.courseId);
		const context = await quizContext(site, result.courseId);
		t.is(restored.length, sourceAttempts.length);
		// Same people (mapped to themselves) and the same question attempts, each in a usage of the new quiz.
		t.deepEqual(restored.map((attempt) => [attempt.userid, attempt.state, attempt.questionattempts]), sourceAttempts.map((attempt) => [attempt.userid, attempt.state, attempt.questionattempts]));
		for (const attempt of restored) t.is(attempt.usagecontext, context);
		t.is(await usagesShared(site), 0);
		// The original course's attempts are untouched.
		t.deepEqual(await courseAttempts(site, sourceId), sourceAttempts);
	} finally {
		await dispose();
	}
});
