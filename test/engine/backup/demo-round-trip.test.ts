import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {planBackup} from '../../../source/engine/backup/plan-backup.js';
import {runBackup} from '../../../source/engine/backup/run-backup.js';
import {openRestore} from '../../../source/engine/restore/restore-plan.js';
import type {Db} from '../../../source/engine/store/db.js';
import {initSite} from '../../../source/engine/store/site.js';
import {tempDir} from './archive-contents.js';

/** What a course holds, counted with SQL on the site. */
async function courseCounts(db: Db, courseId: number): Promise<Record<string, number>> {
	const count = async (sql: string, params: number[] = [courseId]) => Number((await db.get<{n: number}>(sql, params))!.n);
	const courseContext = await db.get<{path: string; id: number}>('SELECT id, path FROM {context} WHERE contextlevel = 50 AND instanceid = ?', [courseId]);
	return {
		sections: await count('SELECT COUNT(*) AS n FROM {course_sections} WHERE course = ?'),
		courseModules: await count('SELECT COUNT(*) AS n FROM {course_modules} WHERE course = ?'),
		enrolledUsers: await count('SELECT COUNT(DISTINCT ue.userid) AS n FROM {user_enrolments} ue JOIN {enrol} e ON e.id = ue.enrolid WHERE e.courseid = ?'),
		userEnrolments: await count('SELECT COUNT(*) AS n FROM {user_enrolments} ue JOIN {enrol} e ON e.id = ue.enrolid WHERE e.courseid = ?'),
		courseRoleAssignments: await count('SELECT COUNT(*) AS n FROM {role_assignments} WHERE contextid = ?', [Number(courseContext!.id)]),
		groups: await count('SELECT COUNT(*) AS n FROM {groups} WHERE courseid = ?'),
		groupings: await count('SELECT COUNT(*) AS n FROM {groupings} WHERE courseid = ?'),
		groupMembers: await count('SELECT COUNT(*) AS n FROM {groups_members} m JOIN {groups} g ON g.id = m.groupid WHERE g.courseid = ?'),
		forumDiscussions: await count('SELECT COUNT(*) AS n FROM {forum_discussions} WHERE course = ?'),
		forumPosts: await count('SELECT COUNT(*) AS n FROM {forum_posts} p JOIN {forum_discussions} d ON d.id = p.discussion WHERE d.course = ?'),
		gradeItems: await count('SELECT COUNT(*) AS n FROM {grade_items} WHERE courseid = ?'),
		gradeGrades: await count('SELECT COUNT(*) AS n FROM {grade_grades} g JOIN {grade_items} i ON i.id = g.itemid WHERE i.courseid = ?'),
		files: await count(
			"SELECT COUNT(*) AS n FROM {files} f JOIN {context} c ON c.id = f.contextid WHERE f.filename <> '.' AND f.component <> 'backup' AND (c.id = ? OR c.path LIKE ?)",
			[Number(courseContext!.id), `${courseContext!.path}/%`] as never,
		),
	};
}

test('the demo site\'s courses, backed up and restored into a fresh site, come back with identical counts', async t => {
	const dir = await tempDir('mbz-backup-demo-rt-');
	const source = await initSite(path.join(dir, 'source'), {demo: true});
	const target = await initSite(path.join(dir, 'target'));
	t.teardown(async () => {
		await source.close();
		await target.close();
		await fs.promises.rm(dir, {recursive: true, force: true});
	});
	const courses = await source.db.all<{id: number; shortname: string}>('SELECT id, shortname FROM {course} WHERE id <> 1 ORDER BY id');
	t.true(courses.length >= 2);
	for (const course of courses) {
		const courseId = Number(course.id);
		const {plan} = await planBackup(source.db, 'course', courseId);
		const backup = await runBackup(source, {type: 'course', id: courseId, settings: plan, destination: {dir: path.join(dir, 'out')}});
		const restore = await openRestore(target, backup.path!, {});
		let restoredId: number;
		try {
			await restore.setDestination({target: 'new', categoryId: 1});
			// Cohorts belong to the source site: their members come back as manual enrolments, as the admin can choose.
			restore.settings.set('manual_enrolments', true);
			const review = await restore.review();
			t.deepEqual(review.blockers, [], `${course.shortname}: no blockers`);
			restoredId = (await restore.execute({})).courseId;
		} finally {
			await restore.close();
		}
		t.deepEqual(await courseCounts(target.db, restoredId), await courseCounts(source.db, courseId), `${course.shortname}: same counts`);
	}
});

test('a demo course backed up and restored on its own site (cohort method live) comes back with identical counts, its cohort users\' groups included', async t => {
	const dir = await tempDir('mbz-backup-demo-same-');
	const site = await initSite(path.join(dir, 'site'), {demo: true});
	t.teardown(async () => {
		await site.close();
		await fs.promises.rm(dir, {recursive: true, force: true});
	});
	const cohortCourse = await site.db.get<{courseid: number}>("SELECT courseid FROM {enrol} WHERE enrol = 'cohort' ORDER BY courseid");
	t.truthy(cohortCourse, 'the demo has a course with a cohort method');
	const courseId = Number(cohortCourse!.courseid);
	const {plan} = await planBackup(site.db, 'course', courseId);
	const backup = await runBackup(site, {type: 'course', id: courseId, settings: plan, destination: {dir: path.join(dir, 'out')}});
	const restore = await openRestore(site, backup.path!, {});
	let restoredId: number;
	let warnings: string[];
	try {
		await restore.setDestination({target: 'new', categoryId: 1});
		const result = await restore.execute({});
		restoredId = result.courseId;
		warnings = result.warnings.map(warning => warning.text);
	} finally {
		await restore.close();
	}
	t.false(warnings.some(warning => warning.includes('group membership')), warnings.join('\n'));
	t.deepEqual(await courseCounts(site.db, restoredId), await courseCounts(site.db, courseId));
});
