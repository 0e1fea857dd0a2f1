import test from 'ava';
import {planBackup} from '../../../source/engine/backup/plan-backup.js';
import {runBackup} from '../../../source/engine/backup/run-backup.js';
import type {RestoreReview} from '../../../source/engine/restore/types.js';
import {count, restore, tempSite} from './restore-helpers.js';

/** The demo course with a cohort enrolment method, backed up on the demo site itself. */
async function backupCohortCourse(site: Awaited<ReturnType<typeof tempSite>>['site'], dir: string, users: boolean) {
	const instance = await site.db.get<{courseid: number; customint1: number}>(`SELECT courseid, customint1 FROM {enrol} WHERE enrol = 'cohort' ORDER BY id`);
	if (!instance) throw new Error('the demo has no cohort enrolment');
	const {plan} = await planBackup(site.db, 'course', Number(instance.courseid));
	if (!users) plan.set('users', false);
	const made = await runBackup(site, {type: 'course', id: Number(instance.courseid), settings: plan, destination: {dir}});
	return {file: made.path!, cohortId: Number(instance.customint1)};
}

/** Two demo courses: the one to back up and the one its meta link points at. */
async function childAndParentCourses(site: Awaited<ReturnType<typeof tempSite>>['site']): Promise<[number, number]> {
	const courses = await site.db.all<{id: number}>('SELECT id FROM {course} WHERE id > 1 ORDER BY id');
	return [Number(courses[0]!.id), Number(courses[1]!.id)];
}

/** Who a meta link to `parent` enrols: users of the parent's own enabled methods. */
async function parentUserIds(site: Awaited<ReturnType<typeof tempSite>>['site'], parent: number): Promise<number[]> {
	return (await site.db.all<{userid: number}>(`SELECT DISTINCT ue.userid FROM {user_enrolments} ue JOIN {enrol} e ON e.id = ue.enrolid
		WHERE e.courseid = ? AND e.enrol <> 'meta' AND e.status = 0 ORDER BY ue.userid`, [parent])).map(row => Number(row.userid));
}

for (const users of [true, false]) {
	test(`a cohort method restored on its own site enrols the live cohort's members with its role (${users ? 'with' : 'without'} users in the backup)`, async t => {
		const temp = await tempSite({demo: true});
		t.teardown(() => temp.dispose());
		const {site} = temp;
		const {file, cohortId} = await backupCohortCourse(site, temp.dir, users);
		// The cohort changed since the backup: one member left, one joined. The restored course follows the cohort.
		const members = await site.db.all<{userid: number}>('SELECT userid FROM {cohort_members} WHERE cohortid = ? ORDER BY userid', [cohortId]);
		const leaving = Number(members[0]!.userid);
		await site.db.run('DELETE FROM {cohort_members} WHERE cohortid = ? AND userid = ?', [cohortId, leaving]);
		const joining = Number((await site.db.get<{id: number}>(`SELECT id FROM {user} WHERE deleted = 0 AND id > 2 AND id NOT IN (SELECT userid FROM {cohort_members} WHERE cohortid = ?) ORDER BY id`, [cohortId]))!.id);
		await site.db.insertMany('cohort_members', [{cohortid: cohortId, userid: joining, timeadded: 0}]);

		let review: RestoreReview | undefined;
		const result = await restore(site, file, {target: 'new', categoryId: 1}, async plan => {
			review = await plan.review();
		});
		const instance = await site.db.get<{id: number; roleid: number}>(`SELECT id, roleid FROM {enrol} WHERE courseid = ? AND enrol = 'cohort'`, [result.courseId]);
		if (!users) {
			// Without users, the default "enrolment methods: only if users are included" leaves the method out.
			t.is(instance, undefined);
			return;
		}
		t.truthy(instance);
		const enrolled = (await site.db.all<{userid: number}>('SELECT userid FROM {user_enrolments} WHERE enrolid = ? ORDER BY userid', [instance!.id])).map(row => Number(row.userid));
		const expected = (await site.db.all<{userid: number}>('SELECT userid FROM {cohort_members} WHERE cohortid = ? ORDER BY userid', [cohortId])).map(row => Number(row.userid));
		t.deepEqual(enrolled, expected);
		// The review said so before anything was written: the live cohort, not the backup's list.
		const told = review!.enrolments.find(entry => entry.method === 'cohort');
		t.is(told?.users, expected.length);
		t.regex(told?.detail?.text ?? '', /as it is now: \d+ member\(s\) enrolled/);
		t.false(enrolled.includes(leaving));
		t.true(enrolled.includes(joining));
		const context = await site.db.get<{id: number}>('SELECT id FROM {context} WHERE contextlevel = 50 AND instanceid = ?', [result.courseId]);
		t.is(await count(site, `{role_assignments} WHERE contextid = ? AND component = 'enrol_cohort' AND itemid = ? AND roleid = ?`, [context!.id, instance!.id, instance!.roleid]), expected.length);
	});
}

test('a cohort method is kept with "enrolment methods: yes" without users, and its live members are enrolled', async t => {
	const temp = await tempSite({demo: true});
	t.teardown(() => temp.dispose());
	const {site} = temp;
	const {file, cohortId} = await backupCohortCourse(site, temp.dir, false);
	const result = await restore(site, file, {target: 'new', categoryId: 1}, async plan => {
		plan.settings.set('enrolments', 'always');
	});
	const instance = await site.db.get<{id: number}>(`SELECT id FROM {enrol} WHERE courseid = ? AND enrol = 'cohort'`, [result.courseId]);
	t.truthy(instance);
	t.is(await count(site, '{user_enrolments} WHERE enrolid = ?', [instance!.id]), await count(site, '{cohort_members} WHERE cohortid = ?', [cohortId]));
});

test('a course meta link restored on its own site enrols the linked course\'s users with the roles they hold there', async t => {
	const temp = await tempSite({demo: true});
	t.teardown(() => temp.dispose());
	const {site} = temp;
	const [child, parent] = await childAndParentCourses(site);
	await site.db.insertMany('enrol', [{enrol: 'meta', status: 0, courseid: child, sortorder: 9, roleid: 0, customint1: parent, timecreated: 0, timemodified: 0}]);
	const {plan} = await planBackup(site.db, 'course', child);
	const made = await runBackup(site, {type: 'course', id: child, settings: plan, destination: {dir: temp.dir}});
	const result = await restore(site, made.path!, {target: 'new', categoryId: 1});
	const instance = await site.db.get<{id: number}>(`SELECT id FROM {enrol} WHERE courseid = ? AND enrol = 'meta' AND customint1 = ?`, [result.courseId, parent]);
	t.truthy(instance);
	const expected = await parentUserIds(site, parent);
	const enrolled = (await site.db.all<{userid: number}>('SELECT userid FROM {user_enrolments} WHERE enrolid = ? ORDER BY userid', [instance!.id])).map(row => Number(row.userid));
	t.true(expected.length > 0);
	t.deepEqual(enrolled, expected);
	const parentRoles = await count(site, `{role_assignments} ra JOIN {context} c ON c.id = ra.contextid WHERE c.contextlevel = 50 AND c.instanceid = ?`, [parent]);
	const metaRoles = await count(site, `{role_assignments} WHERE component = 'enrol_meta' AND itemid = ?`, [instance!.id]);
	t.is(metaRoles, parentRoles);
});

test('merging into a course whose meta link is reused: users who left the linked course are suspended and lose its roles, the others stay', async t => {
	const temp = await tempSite({demo: true});
	t.teardown(() => temp.dispose());
	const {site} = temp;
	const [child, parent] = await childAndParentCourses(site);
	// The child course's meta link as Moodle's sync left it: the parent's users enrolled, with their roles there.
	const [instanceId] = await site.db.insertMany('enrol', [{enrol: 'meta', status: 0, courseid: child, sortorder: 9, roleid: 0, customint1: parent, timecreated: 0, timemodified: 0}]);
	const parentUsers = await parentUserIds(site, parent);
	t.true(parentUsers.length >= 2);
	await site.db.insertMany('user_enrolments', parentUsers.map(userid => ({enrolid: instanceId!, userid, status: 0, timestart: 0, timeend: 0, modifierid: 2, timecreated: 0, timemodified: 0})));
	const childContext = Number((await site.db.get<{id: number}>('SELECT id FROM {context} WHERE contextlevel = 50 AND instanceid = ?', [child]))!.id);
	await site.db.insertMany('role_assignments', parentUsers.map(userid => ({roleid: 5, contextid: childContext, userid, timemodified: 0, modifierid: 2, component: 'enrol_meta', itemid: instanceId!, sortorder: 0})));
	const {plan} = await planBackup(site.db, 'course', child);
	const made = await runBackup(site, {type: 'course', id: child, settings: plan, destination: {dir: temp.dir}});
	// Since the backup, one user left the parent course.
	const leaving = parentUsers[0]!;
	await site.db.run(`DELETE FROM {user_enrolments} WHERE userid = ? AND enrolid IN (SELECT id FROM {enrol} WHERE courseid = ?)`, [leaving, parent]);

	const methods = await count(site, '{course_completion_aggr_methd} WHERE course = ?', [child]);
	t.true(methods > 0, 'the demo course has completion aggregation methods');
	let review: RestoreReview | undefined;
	const result = await restore(site, made.path!, {target: 'merge', courseId: child}, async restorePlan => {
		restorePlan.settings.set('enrolments', 'always');
		review = await restorePlan.review();
	});
	// The review said so before anything was written.
	t.regex(review!.enrolments.find(entry => entry.method === 'meta')?.detail?.text ?? '', /1 user\(s\) it holds who are no longer enrolled there will be suspended/);
	t.is(result.courseId, child);
	t.is(await count(site, `{enrol} WHERE courseid = ? AND enrol = 'meta'`, [child]), 1, 'the existing method is reused');
	const statuses = new Map((await site.db.all<{userid: number; status: number}>('SELECT userid, status FROM {user_enrolments} WHERE enrolid = ?', [instanceId!]))
		.map(row => [Number(row.userid), Number(row.status)]));
	t.is(statuses.get(leaving), 1, 'the user who left is suspended, not unenrolled');
	for (const userid of parentUsers.slice(1)) t.is(statuses.get(userid), 0);
	t.is(await count(site, `{role_assignments} WHERE component = 'enrol_meta' AND itemid = ? AND userid = ?`, [instanceId!, leaving]), 0);
	t.true(await count(site, `{role_assignments} WHERE component = 'enrol_meta' AND itemid = ? AND userid = ?`, [instanceId!, parentUsers[1]!]) > 0);
	t.is(result.counts['userEnrolmentsSuspended'], 1);
	t.is(await count(site, '{course_completion_aggr_methd} WHERE course = ?', [child]), methods, 'the course keeps its own completion aggregation, one per criteria type');
});
