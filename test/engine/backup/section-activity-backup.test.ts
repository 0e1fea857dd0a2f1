import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {readBackupDetails} from '../../../source/engine/details/index.js';
import {planBackup} from '../../../source/engine/backup/plan-backup.js';
import {runBackup} from '../../../source/engine/backup/run-backup.js';
import {openRestore} from '../../../source/engine/restore/restore-plan.js';
import {freshSite, readAllEntries} from './archive-contents.js';
import {seedCourse} from './seed-course.js';

const topLevel = (entries: Map<string, Buffer>) => [...new Set([...entries.keys()].filter(name => name !== '.ARCHIVE_INDEX').map(name => name.split('/')[0]!))].sort();

test('an activity backup has Moodle\'s activity layout: no course/, no sections/, no gradebook', async t => {
	const {site, dir} = await freshSite(t);
	const seeded = await seedCourse(site);
	const {plan} = await planBackup(site.db, 'activity', seeded.forumCmid);
	const result = await runBackup(site, {type: 'activity', id: seeded.forumCmid, settings: plan, destination: {dir: path.join(dir, 'out')}});
	t.regex(result.filename, new RegExp(`^backup-moodle2-activity-${seeded.forumCmid}-forum${seeded.forumCmid}-\\d{8}-\\d{4}\\.mbz$`));
	const entries = await readAllEntries(result.path!);
	// The same top-level items as rich101_activity_forum_users.mbz made by Moodle (plus files/ for the attachment).
	t.deepEqual(topLevel(entries), [
		'activities', 'badges.xml', 'completion.xml', 'files', 'files.xml', 'groups.xml', 'moodle_backup.log', 'moodle_backup.xml', 'outcomes.xml',
		'questions.xml', 'roles.xml', 'scales.xml', 'users.xml',
	]);
	t.true(entries.has(`activities/forum_${seeded.forumCmid}/forum.xml`));
	const details = await readBackupDetails(result.path!);
	t.is(details.type, 'activity');
	t.deepEqual(details.activities.map(activity => activity.cmid), [seeded.forumCmid]);
	t.is(details.sections.length, 0);
	t.deepEqual(Object.keys(details.settings).slice(0, 3), ['filename', 'users', 'anonymize'], 'no imscc11 outside course backups');
	// Only the posters are users of this backup: the fourth student never posted.
	const posters = new Set(seeded.users.slice(0, 3).map(user => user.username));
	const usersXml = entries.get('users.xml')!.toString();
	for (const username of posters) t.true(usersXml.includes(`<username>${username}</username>`));
	t.false(usersXml.includes(seeded.users[3]!.username));
});

test('a section backup covers the section and its activities only, named after the section', async t => {
	const {site, dir} = await freshSite(t);
	const seeded = await seedCourse(site);
	const sectionId = seeded.sectionIds[1]!;
	const {plan} = await planBackup(site.db, 'section', sectionId);
	const result = await runBackup(site, {type: 'section', id: sectionId, settings: plan, destination: {dir: path.join(dir, 'out')}});
	t.regex(result.filename, new RegExp(`^backup-moodle2-section-${sectionId}-partie_1-\\d{8}-\\d{4}\\.mbz$`));
	const entries = await readAllEntries(result.path!);
	t.false(topLevel(entries).includes('course'));
	t.false(entries.has('gradebook.xml'));
	t.deepEqual([...entries.keys()].filter(name => /^sections\/[^/]+\/$/.test(name)), [`sections/section_${sectionId}/`]);
	t.deepEqual([...entries.keys()].filter(name => /^activities\/[^/]+\/$/.test(name)), [`activities/forum_${seeded.forumCmid}/`]);
	const details = await readBackupDetails(result.path!);
	t.is(details.type, 'section');
	t.deepEqual(details.sections.map(section => section.id), [sectionId]);
	t.deepEqual(details.sections[0]!.activities.map(activity => activity.cmid), [seeded.forumCmid]);
	// Restored as a new course: the course has its general section 0 besides the one restored.
	const restore = await openRestore(site, result.path!);
	try {
		await restore.setDestination({target: 'new', categoryId: 1});
		const {courseId} = await restore.execute({});
		const numbers = await site.db.all<{section: number}>('SELECT section FROM {course_sections} WHERE course = ? ORDER BY section', [courseId]);
		t.deepEqual(numbers.map(row => Number(row.section)), [0, 1]);
	} finally {
		await restore.close();
	}
});

test('excluded activities and sections produce no directory, are not listed, and drop the gradebook', async t => {
	const {site, dir} = await freshSite(t);
	const seeded = await seedCourse(site);
	// A mod grade item for the forum makes the gradebook depend on the forum being included.
	await site.db.insert('grade_items', {courseid: seeded.courseId, itemtype: 'mod', itemmodule: 'forum', iteminstance: 1, itemnumber: 0, itemname: 'Forum', gradetype: 1, grademax: 10, grademin: 0, sortorder: 3, timecreated: 0, timemodified: 0});
	const {plan} = await planBackup(site.db, 'course', seeded.courseId, {excludeCmids: [seeded.forumCmid], excludeSectionNumbers: [2], noUserdataCmids: [seeded.labelCmid]});
	const result = await runBackup(site, {type: 'course', id: seeded.courseId, settings: plan, destination: {dir: path.join(dir, 'out')}});
	const entries = await readAllEntries(result.path!);
	t.false([...entries.keys()].some(name => name.startsWith(`activities/forum_${seeded.forumCmid}`)));
	t.false([...entries.keys()].some(name => name.startsWith(`sections/section_${seeded.sectionIds[2]}`)));
	t.false(entries.has('gradebook.xml'), 'not every mod grade item is included');
	const details = await readBackupDetails(result.path!);
	t.deepEqual(details.activities.map(activity => activity.cmid), [seeded.labelCmid]);
	t.false(details.activities[0]!.userinfo);
	t.false(entries.get('moodle_backup.xml')!.toString().includes(`forum_${seeded.forumCmid}_included`), 'settings of excluded activities are not written');
	// The section still lists the excluded cm in its sequence, as Moodle does.
	t.true(entries.get(`sections/section_${seeded.sectionIds[1]}/section.xml`)!.toString().includes(`<sequence>${seeded.forumCmid}</sequence>`));
});
