import {Readable} from 'node:stream';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {UsageError} from '../../../source/engine/errors.js';
import {readXmlRecords} from '../../../source/engine/xml/read-xml-records.js';
import {planBackup} from '../../../source/engine/backup/plan-backup.js';
import {runBackup} from '../../../source/engine/backup/run-backup.js';
import {openRestore} from '../../../source/engine/restore/restore-plan.js';
import {freshSite, readAllEntries, tarEntryNames} from './archive-contents.js';
import {seedCourse} from './seed-course.js';
import {cDate} from '../../../source/engine/backup/backup-log.js';

async function records(entries: Map<string, Buffer>, entry: string, paths: string[]) {
	const content = entries.get(entry);
	if (!content) throw new Error(`${entry} missing`);
	const result = [];
	for await (const record of readXmlRecords(Readable.from([content]), {file: 'test.mbz', entry, paths})) result.push(record);
	return result;
}

test('a course backup has Moodle\'s layout, the annotated users only, and the attachment body', async t => {
	const {site, dir} = await freshSite(t);
	const seeded = await seedCourse(site);
	const {plan} = await planBackup(site.db, 'course', seeded.courseId);
	const out = path.join(dir, 'out');
	const result = await runBackup(site, {type: 'course', id: seeded.courseId, settings: plan, destination: {dir: out}});

	t.regex(result.filename, /^backup-moodle2-course-\d+-sci_101-\d{8}-\d{4}\.mbz$/);
	t.is(result.path, path.join(out, result.filename));
	t.deepEqual(fs.readdirSync(out), [result.filename], 'only the finished archive, no temporary file');
	t.is(result.bytes, fs.statSync(result.path!).size);

	const names = tarEntryNames(result.path!);
	t.is(names[0], '.ARCHIVE_INDEX');
	// Top-level items sorted by name, as Moodle's packer lists them, and its log last (empty: no warnings), as in the fixtures.
	t.is(names.at(-1), 'moodle_backup.log');
	const topLevel = names.slice(1, -1).map(name => name.split('/')[0]!).filter((name, index, all) => all.indexOf(name) === index);
	t.deepEqual(topLevel, [...topLevel].sort());
	t.deepEqual(result.warnings, []);

	const entries = await readAllEntries(result.path!);
	const [labelSection, forumSection] = seeded.sectionIds;
	for (const expected of [
		'moodle_backup.xml', 'files.xml', 'users.xml', 'roles.xml', 'groups.xml', 'questions.xml', 'scales.xml', 'outcomes.xml',
		'gradebook.xml', 'grade_history.xml', 'completion.xml', 'badges.xml',
		'course/course.xml', 'course/enrolments.xml', 'course/roles.xml', 'course/inforef.xml', 'course/filters.xml',
		'course/comments.xml', 'course/calendar.xml', 'course/competencies.xml', 'course/completiondefaults.xml', 'course/contentbank.xml',
		`sections/section_${labelSection}/section.xml`, `sections/section_${labelSection}/inforef.xml`,
		`sections/section_${forumSection}/section.xml`,
		`activities/label_${seeded.labelCmid}/label.xml`, `activities/label_${seeded.labelCmid}/module.xml`,
		`activities/forum_${seeded.forumCmid}/forum.xml`, `activities/forum_${seeded.forumCmid}/inforef.xml`,
		`files/${seeded.attachmentSha1.slice(0, 2)}/${seeded.attachmentSha1}`,
	]) {
		t.true(entries.has(expected), `${expected} is in the archive`);
	}
	t.is(entries.get(`files/${seeded.attachmentSha1.slice(0, 2)}/${seeded.attachmentSha1}`)!.toString(), 'Attachment body: notes de cours\n');
	t.false([...entries.keys()].some(name => name.includes('logs.xml')), 'no logs by default');

	const main = entries.get('moodle_backup.xml')!.toString();
	t.true(main.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<moodle_backup>\n  <information>\n'));
	t.false(main.endsWith('\n'));
	const info = await records(entries, 'moodle_backup.xml', ['/moodle_backup/information', '/moodle_backup/information/details/detail', '/moodle_backup/information/contents/activities/activity', '/moodle_backup/information/contents/sections/section', '/moodle_backup/information/settings/setting']);
	const information = info.find(record => record.name === 'information')!;
	t.is(information.data['name'], result.filename);
	t.is(information.data['original_course_id'], String(seeded.courseId));
	t.is(information.data['original_course_shortname'], 'SCI 101');
	t.is(information.data['include_files'], '1');
	t.is(information.data['original_wwwroot'], site.wwwroot);
	const detail = info.find(record => record.name === 'detail')!;
	t.regex(detail.attrs['backup_id']!, /^[0-9a-f]{32}$/);
	t.is(detail.data['type'], 'course');
	t.deepEqual(info.filter(record => record.name === 'activity').map(record => record.data['directory']), [
		`activities/label_${seeded.labelCmid}`, `activities/forum_${seeded.forumCmid}`,
	]);
	t.deepEqual(info.filter(record => record.name === 'section').map(record => record.data['title']), ['0', 'Partie 1', 'Partie 2']);
	const settings = info.filter(record => record.name === 'setting').map(record => `${record.data['level']}:${record.data['name']}=${record.data['value']}`);
	t.deepEqual(settings.slice(0, 4), [`root:filename=${result.filename}`, 'root:imscc11=0', 'root:users=1', 'root:anonymize=0']);
	t.true(settings.includes(`activity:forum_${seeded.forumCmid}_userinfo=1`));

	// users.xml: the course's users (and whoever else is referenced), never the outsider.
	const users = await records(entries, 'users.xml', ['/users/user']);
	const usernames = users.map(user => user.data['username']);
	for (const user of seeded.users) t.true(usernames.includes(user.username), `${user.username} is included`);
	t.false(usernames.includes(seeded.outsider.username));
	t.false(entries.get('users.xml')!.toString().includes(seeded.outsider.email));

	// Forum posts travel with their authors' ids.
	const posts = await records(entries, `activities/forum_${seeded.forumCmid}/forum.xml`, ['/activity/forum/discussions/discussion/posts/post']);
	t.is(posts.length, seeded.postCount);

	const enrolments = await records(entries, 'course/enrolments.xml', ['/enrolments/enrols/enrol', '/enrolments/enrols/enrol/user_enrolments/enrolment']);
	t.is(enrolments.filter(record => record.name === 'enrol').length, 2);
	t.is(enrolments.filter(record => record.name === 'enrolment').length, seeded.users.length);

	const groups = await records(entries, 'groups.xml', ['/groups/group', '/groups/group/group_members/group_member', '/groups/groupings/grouping']);
	t.is(groups.filter(record => record.name === 'group_member').length, 2);
	t.is(groups.filter(record => record.name === 'grouping').length, 1);

	const gradebook = await records(entries, 'gradebook.xml', ['/gradebook/grade_items/grade_item', '/gradebook/grade_items/grade_item/grade_grades/grade_grade']);
	t.deepEqual(gradebook.filter(record => record.name === 'grade_item').map(record => record.data['itemtype']).sort(), ['course', 'manual']);
	t.is(gradebook.filter(record => record.name === 'grade_grade').length, 3);
	t.is(gradebook.find(record => record.data['itemtype'] === 'manual')!.data['grademax'], '20.00000');

	const files = await records(entries, 'files.xml', ['/files/file']);
	t.deepEqual(files.map(file => file.data['filename']).sort(), ['.', 'notes.txt']);

	t.is(result.counts.activities, 2);
	t.is(result.counts.sections, 3);
	t.is(result.counts.users, usernames.length);
});

test('a file body missing from the pool: the backup warns, and its moodle_backup.log says so as Moodle\'s logger does', async t => {
	const {site, dir} = await freshSite(t);
	const seeded = await seedCourse(site);
	const {contenthash} = (await site.db.get<{contenthash: string}>(`SELECT contenthash FROM {files} WHERE filename <> '.' AND filesize > 0 ORDER BY id LIMIT 1`))!;
	await fs.promises.rm(site.pool.blobPath(contenthash));
	const {plan} = await planBackup(site.db, 'course', seeded.courseId);
	const result = await runBackup(site, {type: 'course', id: seeded.courseId, settings: plan, destination: {dir: path.join(dir, 'out')}});
	const warning = `file content ${contenthash} is missing from the file pool (missing_files_in_pool)`;
	t.true(result.warnings.some(item => item.text === warning));
	const log = (await readAllEntries(result.path!)).get('moodle_backup.log')!.toString('utf8');
	t.regex(log, new RegExp(`^\\[\\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}\\] \\[warn\\] ${warning.replaceAll(/[()]/g, '\\$&')}\\n$`, 'm'));
	t.is(log.split('\n').filter(Boolean).length, result.warnings.length);
});

test('a backup without users leaves users.xml, enrolments, comments and completion data out', async t => {
	const {site, dir} = await freshSite(t);
	const seeded = await seedCourse(site);
	const {plan} = await planBackup(site.db, 'course', seeded.courseId, {root: {users: false}});
	const result = await runBackup(site, {type: 'course', id: seeded.courseId, settings: plan, destination: {dir: path.join(dir, 'out')}});
	t.regex(result.filename, /-nu\.mbz$/);
	const entries = await readAllEntries(result.path!);
	t.false(entries.has('users.xml'));
	t.false(entries.has('course/comments.xml'));
	const text = [...entries.values()].map(buffer => buffer.toString('latin1')).join('\n');
	for (const user of seeded.users) t.false(text.includes(user.email), `${user.email} absent`);
	const enrolments = await records(entries, 'course/enrolments.xml', ['/enrolments/enrols/enrol/user_enrolments/enrolment']);
	t.is(enrolments.length, 0);
	const posts = await records(entries, `activities/forum_${seeded.forumCmid}/forum.xml`, ['/activity/forum/discussions/discussion/posts/post']);
	t.is(posts.length, 0);
	t.is(result.counts.users, 0);
});

test('without files, files.xml still lists every file but no bodies are written, and the name says -nf', async t => {
	const {site, dir} = await freshSite(t);
	const seeded = await seedCourse(site);
	const {plan} = await planBackup(site.db, 'course', seeded.courseId, {root: {files: false}});
	const result = await runBackup(site, {type: 'course', id: seeded.courseId, settings: plan, destination: {dir: path.join(dir, 'out')}, lang: 'fr'});
	t.regex(result.filename, /^sauvegarde-moodle2-course-\d+-sci_101-\d{8}-\d{4}-nf\.mbz$/);
	t.true(result.warnings.some(warning => warning.code === 'backupWithoutFiles'), 'Moodle\'s same-site notification');
	const entries = await readAllEntries(result.path!);
	t.false([...entries.keys()].some(name => name.startsWith('files/')));
	const files = await records(entries, 'files.xml', ['/files/file']);
	t.deepEqual(files.map(file => file.data['contenthash']).sort(), ['da39a3ee5e6b4b0d3255bfef95601890afd80709', seeded.attachmentSha1].sort());
	const info = await records(entries, 'moodle_backup.xml', ['/moodle_backup/information']);
	t.is(info[0]!.data['include_files'], '0');
	// Restored on this site the pool has the contents: nothing to say. Elsewhere the Review says, before writing,
	// how many files cannot come (Moodle finds out file by file).
	const review = async (target: typeof site): Promise<{files: number; warnings: string[]}> => {
		const restore = await openRestore(target, result.path!);
		try {
			await restore.setDestination({target: 'new', categoryId: 1});
			const shown = await restore.review();
			return {files: shown.counts['files'] ?? 0, warnings: shown.warnings.map(warning => warning.text)};
		} finally {
			await restore.close();
		}
	};
	const here = await review(site);
	t.is(here.files, 1);
	t.false(here.warnings.some(warning => warning.includes('without files')));
	const other = await freshSite(t);
	const elsewhere = await review(other.site);
	t.is(elsewhere.files, 0);
	t.true(elsewhere.warnings.includes('the backup was made without files (-nf): 1 file(s) whose content is not in this site\'s file pool are not restored'), elsewhere.warnings.join('\n'));
});

test('a chosen file name is used as given, and refused unless it is a plain .mbz name', async t => {
	const {site, dir} = await freshSite(t);
	const seeded = await seedCourse(site);
	const {plan} = await planBackup(site.db, 'course', seeded.courseId);
	const out = path.join(dir, 'out');
	const result = await runBackup(site, {type: 'course', id: seeded.courseId, settings: plan, destination: {dir: out}, filename: 'Mon cours.MBZ'});
	t.is(result.path, path.join(out, 'Mon cours.MBZ'));
	const entries = await readAllEntries(result.path!);
	const info = await records(entries, 'moodle_backup.xml', ['/moodle_backup/information', '/moodle_backup/information/settings/setting']);
	t.is(info[0]!.data['name'], 'Mon cours.MBZ');
	t.is(info.find(record => record.data['name'] === 'filename')!.data['value'], 'Mon cours.MBZ');
	for (const bad of ['backup.zip', '../escape.mbz', `${'x'.repeat(252)}.mbz`]) {
		await t.throwsAsync(runBackup(site, {type: 'course', id: seeded.courseId, settings: plan, destination: {dir: out}, filename: bad}), {instanceOf: UsageError});
	}
	t.deepEqual(fs.readdirSync(out), ['Mon cours.MBZ']);
});

test('the log\'s dates are C\'s %c in UTC, as Moodle writes them', t => {
	t.is(cDate(new Date(Date.UTC(2026, 10, 3, 8, 5, 9))), 'Tue Nov  3 08:05:09 2026');
	t.is(cDate(new Date(Date.UTC(2026, 0, 23, 18, 49, 0))), 'Fri Jan 23 18:49:00 2026');
});
