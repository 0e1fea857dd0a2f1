import fs from 'node:fs';
import path from 'node:path';
import {readBackupDetails} from '../../../source/engine/details/index.js';
import {planBackup} from '../../../source/engine/backup/plan-backup.js';
import {runBackup} from '../../../source/engine/backup/run-backup.js';
import {forEachSiteAdapter, initTestSite} from '../../helpers/site-adapters.js';
import {tempDir} from './archive-contents.js';

const count = async (db: import('../../../source/engine/store/db.js').Db, sql: string, params: number[]) =>
	Number((await db.get<{n: number}>(sql, params))!.n);

forEachSiteAdapter('every demo course backs up, and our own reader finds what the site holds', async (t, location) => {
	const dir = await tempDir('mbz-backup-demo-');
	const site = await initTestSite(location, {demo: true});
	t.teardown(async () => {
		await site.close();
		await fs.promises.rm(dir, {recursive: true, force: true});
	});
	const courses = await site.db.all<{id: number; shortname: string}>('SELECT id, shortname FROM {course} WHERE id <> 1 ORDER BY id');
	t.true(courses.length > 0, 'the demo site has courses');
	for (const course of courses) {
		const courseId = Number(course.id);
		const {plan, structure} = await planBackup(site.db, 'course', courseId);
		const result = await runBackup(site, {type: 'course', id: courseId, settings: plan, destination: {dir: path.join(dir, 'out')}});
		t.deepEqual(result.warnings, [], `${course.shortname}: no warnings`);
		const details = await readBackupDetails(result.path!);
		t.is(details.type, 'course');
		t.is(details.name, result.filename);
		t.is(details.course.id, courseId);
		t.is(details.course.shortname, course.shortname);
		t.is(details.moodleRelease, '4.1.10 (Build: 20240422)');
		t.is(details.sections.length, structure.sections.length, `${course.shortname}: sections`);
		t.is(details.activities.length, structure.activities.length, `${course.shortname}: activities`);
		t.is(details.counts.groups, await count(site.db, 'SELECT COUNT(*) AS n FROM {groups} WHERE courseid = ?', [courseId]), `${course.shortname}: groups`);
		t.is(details.counts.groupings, await count(site.db, 'SELECT COUNT(*) AS n FROM {groupings} WHERE courseid = ?', [courseId]), `${course.shortname}: groupings`);
		t.is(details.counts.userEnrolments, await count(site.db, 'SELECT COUNT(*) AS n FROM {user_enrolments} ue JOIN {enrol} e ON e.id = ue.enrolid WHERE e.courseid = ?', [courseId]), `${course.shortname}: user enrolments`);
		const enrolled = await count(site.db, 'SELECT COUNT(DISTINCT ue.userid) AS n FROM {user_enrolments} ue JOIN {enrol} e ON e.id = ue.enrolid WHERE e.courseid = ?', [courseId]);
		t.true(details.counts.users >= enrolled, `${course.shortname}: every enrolled user is in users.xml`);
		t.is(details.counts.users, result.counts.users);
		t.is(details.counts.files, result.counts.files, `${course.shortname}: files`);
		t.is(details.counts.fileBytes, result.counts.fileBytes);
		t.true(details.includeFiles);
		const byType: Record<string, number> = {};
		for (const activity of structure.activities) byType[activity.modname] = (byType[activity.modname] ?? 0) + 1;
		t.deepEqual(details.counts.activitiesByType, byType);
	}
});
