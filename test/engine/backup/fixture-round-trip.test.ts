/**
 * Round trip through real Moodle backups: restore fixtures/rich101_users.mbz (made by Moodle 4.1.10) into a
 * fresh site, back the restored course up with the settings of each of Moodle's backups of that course (with
 * users, anonymized, without users), and check that every record of Moodle's backup is in ours.
 * Records are compared by element path and leaf values, with ids, timestamps and other numbers normalised
 * (they legitimately change on a restore). The tolerated differences are listed with their reason: each comes
 * from what a restore into another site does, not from the writer.
 */
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {planBackup} from '../../../source/engine/backup/plan-backup.js';
import {runBackup} from '../../../source/engine/backup/run-backup.js';
import {openRestore} from '../../../source/engine/restore/restore-plan.js';
import {fixturePath} from '../../helpers/fixtures.js';
import {freshSite, readAllEntries} from './archive-contents.js';
import {missingRecords, xmlRecords, type Tolerance} from './record-compare.js';

/**
 * Moodle made rich101_nousers.mbz with users=0 but badges=1 (only users, role_assignments, comments and
 * userscompletion were set: dependencies are not applied to admin defaults, the quirk of fixtures/MANIFEST.md).
 * Our settings keep badges off and locked without users, as Moodle's own dependency says.
 */
const BADGES_NEED_USERS: Tolerance[] = [
	{entry: /^badges\.xml$/, path: /^\/badges\//, why: 'badges are locked off without users'},
	{entry: /^files\.xml$/, path: /^\/files\/file$/, when: data => data['component'] === 'badges', why: 'no badges, so no badge images'},
];

const COURSE_CASES: Array<{fixture: string; root: Record<string, boolean>; what: string; tolerated?: Tolerance[]}> = [
	{fixture: 'rich101_users.mbz', root: {}, what: 'with users'},
	{fixture: 'rich101_users_anon.mbz', root: {anonymize: true}, what: 'anonymized'},
	{fixture: 'rich101_nousers.mbz', root: {users: false}, what: 'without users', tolerated: BADGES_NEED_USERS},
];

for (const {fixture, root, what, tolerated} of COURSE_CASES) test(`every record of Moodle's own course backup ${what} is in ours, after restore + backup`, async t => {
	const {site, dir} = await freshSite(t);
	const original = fixturePath('rich101_users.mbz');
	const expected = fixturePath(fixture);
	const restore = await openRestore(site, original, {});
	let courseId: number;
	try {
		await restore.setDestination({target: 'new', categoryId: 1});
		restore.settings.set('manual_enrolments', true);
		const review = await restore.review();
		t.deepEqual(review.blockers, []);
		courseId = (await restore.execute({})).courseId;
	} finally {
		await restore.close();
	}
	const {plan} = await planBackup(site.db, 'course', courseId, {root});
	const result = await runBackup(site, {type: 'course', id: courseId, settings: plan, destination: {dir: path.join(dir, 'out')}});
	t.deepEqual(result.warnings, []);

	const theirs = await readAllEntries(expected);
	const ours = await readAllEntries(result.path!);
	const {compared, missing, directories} = await missingRecords(theirs, ours, tolerated);
	t.is(directories[1], directories[0], 'same number of sections and activities');
	t.true(compared > 150, `compared ${compared} records`);
	t.deepEqual(missing, []);
	// And the file bodies: every blob of Moodle's backup is in ours, byte for byte (unless only tolerated files use it).
	const needed = new Set((await xmlRecords(theirs.get('files.xml')!))
		.filter(record => !(tolerated ?? []).some(rule => rule.entry.test('files.xml') && rule.path.test(record.path) && (!rule.when || rule.when(record.data))))
		.map(record => record.data['contenthash']));
	for (const [entry, content] of theirs) {
		if (!entry.startsWith('files/') || entry.endsWith('/') || !needed.has(entry.split('/')[2])) continue;
		t.true(ours.get(entry)?.equals(content), `${entry} carried over`);
	}
});

test('an activity backup of the restored forum matches the one Moodle made of the same forum', async t => {
	const {site, dir} = await freshSite(t);
	const restore = await openRestore(site, fixturePath('rich101_users.mbz'), {});
	let courseId: number;
	try {
		await restore.setDestination({target: 'new', categoryId: 1});
		restore.settings.set('manual_enrolments', true);
		await restore.review();
		courseId = (await restore.execute({})).courseId;
	} finally {
		await restore.close();
	}
	const forum = await site.db.get<{id: number}>(
		"SELECT cm.id FROM {course_modules} cm JOIN {modules} m ON m.id = cm.module AND m.name = 'forum' JOIN {forum} f ON f.id = cm.instance WHERE cm.course = ? AND f.type = 'general'",
		[courseId],
	);
	const cmid = Number(forum!.id);
	const {plan} = await planBackup(site.db, 'activity', cmid);
	const result = await runBackup(site, {type: 'activity', id: cmid, settings: plan, destination: {dir: path.join(dir, 'out')}});
	const theirs = await readAllEntries(fixturePath('rich101_activity_forum_users.mbz'));
	const ours = await readAllEntries(result.path!);

	const rootFiles = (entries: Map<string, Buffer>) => [...entries.keys()].filter(name => !name.includes('/') && name !== '.ARCHIVE_INDEX' && name !== 'moodle_backup.log').sort();
	t.deepEqual(rootFiles(ours), rootFiles(theirs));
	// The same people as Moodle's: the forum's posters, raters and role holders, not the badge's creator.
	const usernames = (entries: Map<string, Buffer>) => [...entries.get('users.xml')!.toString().matchAll(/<username>([^<]*)<\/username>/g)].map(match => match[1]).sort();
	t.deepEqual(usernames(ours), usernames(theirs));
	const {compared, missing} = await missingRecords(theirs, ours);
	t.true(compared > 50, `compared ${compared} records`);
	t.deepEqual(missing, []);
});
