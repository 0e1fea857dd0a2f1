import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {backupAreaFor, deleteAreaFile, exportAreaFile, listAreas, storeInArea} from '../../../source/engine/areas/index.js';
import {UsageError} from '../../../source/engine/errors.js';
import {forEachSiteAdapter} from '../../helpers/site-adapters.js';
import {addCourse, addModule, siteAt, writeTemp} from './site-fixtures.js';

test('Moodle\'s choice of area: no users or anonymised -> private area, automated -> automated area', t => {
	const base = {courseId: 9, userId: 2, type: 'course' as const};
	t.deepEqual(backupAreaFor({...base, users: true, anonymized: false}), {area: 'course', courseId: 9});
	t.deepEqual(backupAreaFor({...base, users: false, anonymized: false}), {area: 'user', userId: 2});
	t.deepEqual(backupAreaFor({...base, users: true, anonymized: true}), {area: 'user', userId: 2});
	t.deepEqual(backupAreaFor({...base, users: false, anonymized: false, mode: 'automated'}), {area: 'automated', courseId: 9});
	t.deepEqual(backupAreaFor({...base, type: 'section', sectionId: 4, users: true, anonymized: false}), {area: 'section', courseId: 9, sectionId: 4});
	t.deepEqual(backupAreaFor({...base, type: 'activity', cmid: 45, users: true, anonymized: false}), {area: 'activity', cmid: 45});
});

forEachSiteAdapter('store, list, export and delete backup files in every area', async (t, location) => {
	const {site, dir} = await siteAt(t, location);
	const courseId = await addCourse(site, {shortname: 'BIO101'});
	const otherCourse = await addCourse(site, {shortname: 'CHEM'});
	const cmid = await addModule(site, courseId, 'forum');
	const bytes = Buffer.from('pretend this is an mbz '.repeat(100));
	const source = writeTemp(dir, 'in.mbz', bytes);

	const inCourse = await storeInArea(site, {area: 'course', courseId}, source, {filename: 'backup-moodle2-course-2-bio101-20260101-0000.mbz', userId: 2, time: 100});
	t.like(inCourse, {area: 'course', component: 'backup', filearea: 'course', itemid: 0, courseId, filesize: bytes.length, userid: 2});
	const inUser = await storeInArea(site, {area: 'user', userId: 2}, source, {filename: `backup-moodle2-course-${courseId}-bio101-20260101-0000-nu.mbz`, time: 200});
	t.like(inUser, {area: 'user', component: 'user', filearea: 'backup', ownerUserId: 2, userid: 2});
	const inActivity = await storeInArea(site, {area: 'activity', cmid}, source, {filename: 'backup-moodle2-activity-x.mbz', time: 300});
	t.like(inActivity, {area: 'activity', cmid, courseId});
	const inAutomated = await storeInArea(site, {area: 'automated', courseId: otherCourse}, source, {filename: 'auto.mbz', time: 400});
	t.like(inAutomated, {area: 'automated', filearea: 'automated', courseId: otherCourse});

	// Moodle's rows: one '.' directory row per area and the file itself, with the right context.
	const rows = await site.db.all<{filename: string; component: string; filearea: string}>(
		"SELECT filename, component, filearea FROM {files} WHERE component IN ('backup', 'user') ORDER BY id");
	t.is(rows.filter(row => row.filename === '.').length, 4);
	t.is(rows.filter(row => row.filename !== '.').length, 4);
	const context = await site.db.get<{contextlevel: number; instanceid: number}>('SELECT c.contextlevel, c.instanceid FROM {context} c JOIN {files} f ON f.contextid = c.id WHERE f.id = ?', [inUser.id]);
	t.deepEqual({...context}, {contextlevel: 30, instanceid: 2});

	const all = await listAreas(site);
	t.deepEqual(all.map(file => file.id), [inAutomated.id, inActivity.id, inUser.id, inCourse.id], 'newest first');
	const ofCourse = await listAreas(site, {courseId});
	t.deepEqual(ofCourse.map(file => file.area).sort(), ['activity', 'course', 'user'], 'private-area files by name');
	t.deepEqual((await listAreas(site, {courseId: otherCourse})).map(file => file.id), [inAutomated.id]);

	const out = await exportAreaFile(site, inUser.id, dir);
	t.is(out.path, path.join(dir, inUser.filename));
	t.deepEqual(readFileSync(out.path), bytes);
	const named = await exportAreaFile(site, inCourse.id, path.join(dir, 'copy.mbz'));
	t.deepEqual(readFileSync(named.path), bytes);

	// The blob is shared by four rows: deleting one keeps it, deleting all removes it.
	const blob = site.pool.blobPath(inCourse.contenthash);
	await deleteAreaFile(site, inCourse.id);
	t.true(existsSync(blob));
	t.is((await listAreas(site)).length, 3);
	for (const file of [inUser, inActivity, inAutomated]) await deleteAreaFile(site, file.id);
	t.false(existsSync(blob));
	t.deepEqual(await listAreas(site), []);

	await t.throwsAsync(exportAreaFile(site, inCourse.id, dir), {instanceOf: UsageError, message: /no backup file with id/});
	await t.throwsAsync(deleteAreaFile(site, 999_999), {instanceOf: UsageError});
});

forEachSiteAdapter('a file with the same name in the same area is replaced; unknown courses are refused', async (t, location) => {
	const {site, dir} = await siteAt(t, location);
	const courseId = await addCourse(site, {shortname: 'X'});
	const first = await storeInArea(site, {area: 'course', courseId}, writeTemp(dir, 'a', 'first'), {filename: 'same.mbz'});
	const second = await storeInArea(site, {area: 'course', courseId}, writeTemp(dir, 'b', 'second version'), {filename: 'same.mbz'});
	const files = await listAreas(site, {courseId});
	t.is(files.length, 1);
	t.is(files[0]!.id, second.id);
	t.not(first.contenthash, second.contenthash);
	t.false(existsSync(site.pool.blobPath(first.contenthash)), 'the replaced blob is removed');
	t.true(existsSync(site.pool.blobPath(second.contenthash)));
	t.is(files[0]!.filesize, 'second version'.length);
	await t.throwsAsync(storeInArea(site, {area: 'course', courseId: 4242}, writeTemp(dir, 'c', 'x'), {filename: 'n.mbz'}), {instanceOf: UsageError, message: /course 4242 does not exist/});
	t.is((await listAreas(site)).length, 1, 'nothing stored for the refused file');
});
