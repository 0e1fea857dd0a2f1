import test from 'ava';
import {readBackupDetails} from '../../../source/engine/details/read-backup-details.js';
import type {BackupDetails} from '../../../source/engine/details/types.js';
import {fixturePath} from '../../helpers/fixtures.js';

// Expected values from fixtures/MANIFEST.md (counted by Moodle's own backups and its database).
const SITE_HASH = '8f7cb045b959173e61d77ca71a6901a7';
const RICH_TYPES = {assign: 1, book: 1, chat: 1, choice: 1, folder: 1, forum: 2, glossary: 1, label: 2, page: 3, quiz: 1, resource: 2, url: 1};
const RICH_SECTIONS: Array<[number, string, number[]]> = [
	[0, 'General', [436, 437]],
	[1, 'Introduction', [438, 439, 440]],
	[2, 'Resources', [441, 442, 443, 444]],
	[3, 'Discussion', [445, 446, 447]],
	[4, 'Assessment', [448, 449]],
	[5, 'Glossary & vocabulary', [450, 452]],
	[6, 'Hidden extras', [451]],
];
const RICH_ENROL = {manual: 1, guest: 1, self: 1, cohort: 1};
const GEN_ENROL = {manual: 1, guest: 1, self: 1};

const cache = new Map<string, Promise<BackupDetails>>();
function details(name: string): Promise<BackupDetails> {
	if (!cache.has(name)) cache.set(name, readBackupDetails(fixturePath(name)));
	return cache.get(name)!;
}

function common(t: import('ava').ExecutionContext, d: BackupDetails): void {
	t.is(d.format, 'moodle2');
	t.is(d.mode, 10);
	t.is(d.moodleVersion, '2022112810');
	t.is(d.moodleRelease, '4.1.10 (Build: 20240422)');
	t.is(d.backupVersion, '2022112800');
	t.is(d.backupRelease, '4.1');
	t.is(d.originalWwwroot, 'http://localhost/moodle');
	t.is(d.originalSiteIdentifierHash, SITE_HASH);
	t.is(d.fromThisSite, null);
	t.true(d.includeFiles);
	t.true(d.backupDate > 1_795_000_000);
}

function richCourse(t: import('ava').ExecutionContext, d: BackupDetails): void {
	common(t, d);
	t.is(d.type, 'course');
	t.deepEqual(
		{id: d.course.id, fullname: d.course.fullname, shortname: d.course.shortname, format: d.course.format, startdate: d.course.startdate},
		{id: 9, fullname: 'Rich fixture course – Histoire & Géographie', shortname: 'RICH101', format: 'topics', startdate: 1725264000},
	);
	t.deepEqual(
		d.sections.map((section) => [section.number, section.title, section.activities.map((activity) => activity.cmid)]),
		RICH_SECTIONS,
	);
	t.is(d.counts.sections, 7);
	t.is(d.counts.activities, 17);
	t.deepEqual(d.counts.activitiesByType, RICH_TYPES);
	t.deepEqual(d.counts.enrolMethods, RICH_ENROL);
	t.is(d.counts.questionCategories, 2);
	t.is(d.counts.questions, 4);
	t.is(d.counts.groups, 3);
	t.is(d.counts.groupings, 2);
	t.true(d.sections.every((section) => section.included));
	t.false(d.sections.find((section) => section.number === 6)!.visible!, 'section 6 is hidden');
	t.true(d.activities.every((activity) => activity.included));
	const quiz = d.activities.find((activity) => activity.cmid === 449)!;
	t.deepEqual([quiz.modulename, quiz.title, quiz.directory], ['quiz', 'Quiz – Antiquité', 'activities/quiz_449']);
}

function withUsers(t: import('ava').ExecutionContext, d: BackupDetails): void {
	t.is(d.settings.users, '1');
	t.true(d.counts.usersXml);
	t.is(d.counts.users, 15);
	t.is(d.counts.userEnrolments, 15);
	t.is(d.counts.files, 13);
	t.is(d.counts.fileBytes, 34_252);
	t.is(d.counts.blobs, 10);
	t.is(d.counts.groupMembers, 13);
	t.true(d.activities.every((activity) => activity.userinfo));
	t.true(d.sections.every((section) => section.userinfo));
}

function withoutUsers(t: import('ava').ExecutionContext, d: BackupDetails): void {
	t.is(d.settings.users, '0');
	t.false(d.counts.usersXml);
	t.is(d.counts.users, 0);
	t.is(d.counts.userEnrolments, 0);
	t.is(d.counts.files, 9);
	t.is(d.counts.blobs, 8);
	t.is(d.counts.groupMembers, 0);
	t.true(d.activities.every((activity) => !activity.userinfo));
}

test('rich101_users (fixture 1)', async (t) => {
	const d = await details('rich101_users.mbz');
	richCourse(t, d);
	withUsers(t, d);
	t.is(d.container, 'tgz');
	t.is(d.settings.anonymize, '0');
	t.is(d.name, 'backup-moodle2-course-9-rich101-20261123-1845.mbz');
	t.is(d.counts.archiveBytes, 60_946);
	t.deepEqual(Object.keys(d.settings), [
		'filename', 'imscc11', 'users', 'anonymize', 'role_assignments', 'activities', 'blocks', 'files', 'filters', 'comments', 'badges',
		'calendarevents', 'userscompletion', 'logs', 'grade_histories', 'questionbank', 'groups', 'competencies', 'customfield',
		'contentbankcontent', 'legacyfiles',
	]);
	t.is(d.settings.logs, '0');
	t.is(d.settings.grade_histories, '0');
});

test('rich101_users_anon (fixture 3)', async (t) => {
	const d = await details('rich101_users_anon.mbz');
	richCourse(t, d);
	withUsers(t, d);
	t.is(d.settings.anonymize, '1');
});

test('rich101_nousers (fixture 2)', async (t) => {
	const d = await details('rich101_nousers.mbz');
	richCourse(t, d);
	withoutUsers(t, d);
	for (const setting of ['role_assignments', 'comments', 'userscompletion']) t.is(d.settings[setting], '0', setting);
});

test('rich101_nousers_usersflagonly: users=0 but role assignments, comments and completion still on', async (t) => {
	const d = await details('rich101_nousers_usersflagonly.mbz');
	richCourse(t, d);
	withoutUsers(t, d);
	for (const setting of ['role_assignments', 'comments', 'userscompletion']) t.is(d.settings[setting], '1', setting);
});

test('rich101_users and rich101_users_zipformat agree on everything but the container and the backup run', async (t) => {
	const tgz = await details('rich101_users.mbz');
	const zip = await details('rich101_users_zipformat.mbz');
	richCourse(t, zip);
	withUsers(t, zip);
	t.is(zip.container, 'zip');
	const comparable = (d: BackupDetails) => ({
		...d,
		file: undefined,
		container: undefined,
		name: undefined,
		backupDate: undefined,
		settings: {...d.settings, filename: undefined},
		counts: {...d.counts, archiveBytes: undefined, entries: undefined, entryBytes: undefined},
	});
	t.deepEqual(comparable(zip), comparable(tgz));
	t.not(zip.name, tgz.name);
	t.is(zip.counts.entries, tgz.counts.entries - 1, 'the zip has no .ARCHIVE_INDEX');
});

test('rich101_activity_forum_users: an activity backup', async (t) => {
	const d = await details('rich101_activity_forum_users.mbz');
	common(t, d);
	t.is(d.type, 'activity');
	t.deepEqual(d.sections, []);
	t.deepEqual(
		d.activities.map((activity) => [activity.cmid, activity.modulename, activity.title, activity.included, activity.userinfo]),
		[[445, 'forum', 'Forum de discussion', true, true]],
	);
	t.is(d.counts.users, 12);
	t.is(d.counts.files, 4);
	t.is(d.counts.groups, 2);
	t.is(d.counts.groupMembers, 8);
	t.deepEqual(d.counts.enrolMethods, {});
});

test('rich101_activity_quiz_users: an activity backup with its question bank', async (t) => {
	const d = await details('rich101_activity_quiz_users.mbz');
	common(t, d);
	t.is(d.type, 'activity');
	t.deepEqual(d.activities.map((activity) => [activity.cmid, activity.modulename]), [[449, 'quiz']]);
	t.is(d.counts.users, 8);
	t.is(d.counts.questionCategories, 2);
	t.is(d.counts.questions, 4);
});

const GENERATED: Array<[string, number, string, number, Record<string, number>, number, number, number]> = [
	// file, course id, shortname, sections, cms by type, user enrolments (= users.xml users), files, file bytes
	['gen_XS_users.mbz', 2, 'GEN_XS', 2, {assign: 1, forum: 1, page: 1, resource: 2}, 2, 4, 9_280],
	['gen_S_users.mbz', 3, 'GEN_S', 11, {assign: 10, forum: 1, page: 50, resource: 3}, 101, 69, 9_437_280],
	['gen_M_smallfiles_users.mbz', 23, 'GEN_M_SMALLFILES', 101, {assign: 100, forum: 1, page: 200, resource: 6}, 1001, 139, 136_384],
];

for (const [name, courseId, shortname, sections, types, users, files, fileBytes] of GENERATED) {
	test(`${name}: a generator course`, async (t) => {
		const d = await details(name);
		common(t, d);
		t.is(d.type, 'course');
		t.is(d.course.id, courseId);
		t.is(d.course.shortname, shortname);
		t.is(d.counts.sections, sections);
		t.deepEqual(d.sections.map((section) => section.number), [...Array(sections).keys()]);
		t.deepEqual(d.counts.activitiesByType, types);
		t.is(d.counts.activities, Object.values(types).reduce((sum, count) => sum + count, 0));
		t.is(d.counts.users, users);
		t.is(d.counts.userEnrolments, users);
		t.deepEqual(d.counts.enrolMethods, GEN_ENROL);
		t.is(d.counts.files, files);
		t.is(d.counts.fileBytes, fileBytes);
		t.is(d.counts.groups, 0);
		t.is(d.counts.questions, 0);
	});
}

test('fromThisSite compares the site identifier hash when one is given', async (t) => {
	t.true((await readBackupDetails(fixturePath('gen_XS_users.mbz'), {siteIdentifierHash: SITE_HASH})).fromThisSite);
	t.false((await readBackupDetails(fixturePath('gen_XS_users.mbz'), {siteIdentifierHash: 'f'.repeat(32)})).fromThisSite);
});
