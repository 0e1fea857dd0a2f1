import {BACKUP_STATUS, listAreas, runAutomatedBackups, DEFAULT_AUTOMATED_SETTINGS, type CourseBackupRunner} from '../../../source/engine/areas/index.js';
import {planBackup} from '../../../source/engine/backup/plan-backup.js';
import {runBackup} from '../../../source/engine/backup/run-backup.js';
import type {Site} from '../../../source/engine/store/site.js';
import {forEachSiteAdapter} from '../../helpers/site-adapters.js';
import {siteAt} from './site-fixtures.js';
import {fixturePath} from '../../helpers/fixtures.js';

async function states(site: Site): Promise<Map<number, {laststatus: number; laststarttime: number; lastendtime: number}>> {
	const rows = await site.db.all<{courseid: number; laststatus: string; laststarttime: number; lastendtime: number}>('SELECT * FROM {backup_courses}');
	return new Map(rows.map(row => [Number(row.courseid), {laststatus: Number(row.laststatus), laststarttime: Number(row.laststarttime), lastendtime: Number(row.lastendtime)}]));
}

forEachSiteAdapter('a run backs up the visible courses with the real backup engine, a second run skips the unmodified ones', async (t, location) => {
	const {site} = await siteAt(t, location, {demo: true});
	const courses = await site.db.all<{id: number; visible: number}>("SELECT id, visible FROM {course} WHERE format <> 'site' ORDER BY id");
	const visible = courses.filter(course => Number(course.visible) === 1).map(course => Number(course.id));
	const hidden = courses.filter(course => Number(course.visible) === 0).map(course => Number(course.id));
	t.true(visible.length >= 2 && hidden.length >= 1, 'the demo site has visible and hidden courses');

	const first = await runAutomatedBackups(site);
	t.deepEqual(first.courses.filter(course => course.outcome === 'backedUp').map(course => course.courseId), visible);
	t.deepEqual(first.courses.filter(course => course.outcome === 'skipped').map(course => [course.courseId, course.reason]), hidden.map(id => [id, 'hidden']));
	t.is(first.failed, 0);
	for (const id of visible) {
		const files = await listAreas(site, {courseId: id, area: 'automated'});
		t.is(files.length, 1);
		t.regex(files[0]!.filename, new RegExp(`^backup-moodle2-course-${id}-.*\\.mbz$`));
		t.true(files[0]!.filesize > 1000);
		const warned = first.courses.find(course => course.courseId === id)?.warnings !== undefined;
		t.is((await states(site)).get(id)?.laststatus, warned ? BACKUP_STATUS.WARNING : BACKUP_STATUS.OK);
	}
	t.is((await states(site)).get(hidden[0]!)?.laststatus, BACKUP_STATUS.SKIPPED);
	t.false(first.courses.some(course => course.courseId === 1), 'the site course is not backed up');

	// Nothing changed: everything is skipped. Then one course changes and only it is backed up.
	const second = await runAutomatedBackups(site);
	t.is(second.backedUp, 0);
	t.true(second.courses.filter(course => visible.includes(course.courseId)).every(course => course.reason === 'unmodifiedSinceLastBackup'));
	const changed = visible[0]!;
	await site.db.run('UPDATE {course} SET timemodified = ? WHERE id = ?', [Math.floor(Date.now() / 1000) + 60, changed]);
	const third = await runAutomatedBackups(site);
	t.deepEqual(third.courses.filter(course => course.outcome === 'backedUp').map(course => course.courseId), [changed]);

	const forced = await runAutomatedBackups(site, {all: true});
	t.is(forced.backedUp, courses.length, '--all backs up every course, hidden ones too');
}, {serial: true});

forEachSiteAdapter('retention keeps the newest N automated backups of a course', async (t, location) => {
	const {site} = await siteAt(t, location, {demo: true});
	const [course] = await site.db.all<{id: number}>("SELECT id FROM {course} WHERE format <> 'site' AND visible = 1 ORDER BY id");
	const courseId = Number(course!.id);
	// One course in the run keeps the test short: the others are hidden and hidden courses are skipped.
	await site.db.run("UPDATE {course} SET visible = 0 WHERE id <> ? AND format <> 'site'", [courseId]);
	let counter = 0;
	// Distinct names per run (the engine's names only change every minute; same names replace each other, as in Moodle).
	const backupCourse: CourseBackupRunner = async (target, id) => {
		const {plan} = await planBackup(target.db, 'course', id, {mode: 'automated'});
		return runBackup(target, {type: 'course', id, settings: plan, destination: {area: 'automated'}, filename: `auto-${++counter}.mbz`});
	};
	const settings = {...DEFAULT_AUTOMATED_SETTINGS, keep: 2, skipUnmodified: false};
	const reports = [];
	for (let run = 0; run < 4; run++) reports.push(await runAutomatedBackups(site, {settings, backupCourse}));
	t.deepEqual(reports.map(report => report.backedUp), [1, 1, 1, 1]);
	t.deepEqual(reports.map(report => report.deleted), [0, 0, 1, 1]);
	t.deepEqual(reports[2]!.courses.find(entry => entry.courseId === courseId)!.deleted.map(file => file.filename), ['auto-1.mbz']);
	const files = await listAreas(site, {courseId, area: 'automated'});
	t.deepEqual(files.map(file => file.filename), ['auto-4.mbz', 'auto-3.mbz']);
}, {serial: true});

forEachSiteAdapter('a failing course is reported with status ERROR and the run goes on', async (t, location) => {
	const {site} = await siteAt(t, location, {demo: true});
	let calls = 0;
	const backupCourse: CourseBackupRunner = async (target, courseId) => {
		calls++;
		if (calls === 1) throw new Error('disk full');
		const {plan} = await planBackup(target.db, 'course', courseId, {mode: 'automated'});
		return runBackup(target, {type: 'course', id: courseId, settings: plan, destination: {area: 'automated'}});
	};
	const report = await runAutomatedBackups(site, {backupCourse});
	const failed = report.courses.find(course => course.outcome === 'failed')!;
	t.is(failed.text, 'disk full');
	t.is(report.failed, 1);
	t.true(report.backedUp >= 1);
	t.is((await states(site)).get(failed.courseId)?.laststatus, BACKUP_STATUS.ERROR);
	// A failed course is retried next time (the "unmodified" rule needs a successful last backup).
	const next = await runAutomatedBackups(site);
	t.is(next.courses.find(course => course.courseId === failed.courseId)?.outcome, 'backedUp');
}, {serial: true});

forEachSiteAdapter('a course changed by a restore (an activity merged into it) is backed up by the next run: the restore logs course_restored as Moodle does', async (t, location) => {
	const {site} = await siteAt(t, location, {demo: true});
	const first = await runAutomatedBackups(site);
	const courseId = first.courses.find(course => course.outcome === 'backedUp')!.courseId;
	// The run started a while ago (the restore below must come after it, not in the same second).
	await site.db.run('UPDATE {backup_courses} SET laststarttime = laststarttime - 10, lastendtime = lastendtime - 10');
	const {openRestore} = await import('../../../source/engine/restore/restore-plan.js');
	const plan = await openRestore(site, fixturePath('rich101_activity_forum_users.mbz'), {conflictPolicy: 'no-users'});
	try {
		await plan.setDestination({target: 'merge', courseId});
		await plan.execute();
	} finally {
		await plan.close();
	}
	const logged = await site.db.all<{crud: string; other: string}>("SELECT crud, other FROM {logstore_standard_log} WHERE courseid = ? AND eventname = '\\core\\event\\course_restored'", [courseId]);
	t.is(logged.length, 1);
	t.like(JSON.parse(logged[0]!.other), {type: 'activity', target: 4, operation: 'restore'});
	const second = await runAutomatedBackups(site);
	t.deepEqual(second.courses.filter(course => course.outcome === 'backedUp').map(course => course.courseId), [courseId]);
}, {serial: true});
