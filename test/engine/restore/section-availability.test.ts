import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import test from 'ava';
import {editedFixture, restore, tempSite} from './restore-helpers.js';

/** rich101_users.mbz with a section made available to group 13 once forum 445 is complete. */
function backupWithSectionCondition(dir: string): Promise<string> {
	return editedFixture('rich101_users.mbz', dir, async xmlDir => {
		const sectionXml = join(xmlDir, 'sections/section_144/section.xml');
		const condition = '{"op":"&amp;","c":[{"type":"group","id":13},{"type":"completion","cm":445,"e":1}],"showc":[true,true]}';
		const original = await readFile(sectionXml, 'utf8');
		const edited = original.replace('<availabilityjson>$@NULL@$</availabilityjson>', `<availabilityjson>${condition}</availabilityjson>`);
		if (edited === original) throw new Error('section_144 has no empty availabilityjson to replace');
		await writeFile(sectionXml, edited);
	});
}

test('a section\'s availability names the restored group and activity, and a merge leaves existing sections\' conditions alone', async t => {
	const temp = await tempSite();
	t.teardown(() => temp.dispose());
	const archive = await backupWithSectionCondition(temp.dir);
	const {site} = temp;
	const result = await restore(site, archive, {target: 'new', categoryId: 1});
	const groups = await site.db.all<{id: number; name: string}>('SELECT id, name FROM {groups} WHERE courseid = ? ORDER BY id', [result.courseId]);
	const sections = await site.db.all<{availability: string | null}>('SELECT availability FROM {course_sections} WHERE course = ? AND availability IS NOT NULL', [result.courseId]);
	t.is(sections.length, 1);
	const parsed = JSON.parse(sections[0]!.availability!) as {c: Array<{type: string; id?: number; cm?: number}>};
	t.is(parsed.c[0]!.type, 'group');
	t.true(groups.some(row => row.id === parsed.c[0]!.id), `group ${parsed.c[0]!.id} is one of the restored groups`);
	t.not(parsed.c[0]!.id, 13);
	t.is(parsed.c[1]!.type, 'completion');
	const forums = await site.db.all<{id: number}>(`SELECT cm.id FROM {course_modules} cm JOIN {modules} m ON m.id = cm.module WHERE cm.course = ? AND m.name = 'forum'`, [result.courseId]);
	t.true(forums.some(row => row.id === parsed.c[1]!.cm), `cm ${parsed.c[1]!.cm} is a restored forum`);
	t.not(parsed.c[1]!.cm, 445);

	// Merged into the same course: the existing section keeps its (already rewritten) condition untouched.
	const before = sections[0]!.availability;
	await restore(site, archive, {target: 'merge', courseId: result.courseId});
	const after = await site.db.all<{availability: string | null}>('SELECT availability FROM {course_sections} WHERE course = ? AND availability IS NOT NULL', [result.courseId]);
	t.deepEqual(after.map(row => row.availability), [before]);
});

test('date conditions of sections and activities move with the course start date', async t => {
	const temp = await tempSite();
	t.teardown(() => temp.dispose());
	const archive = await editedFixture('rich101_users.mbz', temp.dir, async xmlDir => {
		const date = (time: number) => `{"op":"&amp;","c":[{"type":"date","d":"&gt;=","t":${time}}],"showc":[true]}`;
		const sectionXml = join(xmlDir, 'sections/section_144/section.xml');
		await writeFile(sectionXml, (await readFile(sectionXml, 'utf8')).replace('<availabilityjson>$@NULL@$</availabilityjson>', `<availabilityjson>${date(1730000000)}</availabilityjson>`));
		const moduleXml = join(xmlDir, 'activities/forum_445/module.xml');
		const original = await readFile(moduleXml, 'utf8');
		const edited = original.replace('<availability>$@NULL@$</availability>', `<availability>${date(1731000000)}</availability>`);
		if (edited === original) throw new Error('forum_445 has no empty availability to replace');
		await writeFile(moduleXml, edited);
	});
	const year = 365 * 86400;
	const result = await restore(temp.site, archive, {target: 'new', categoryId: 1}, plan => plan.settings.set('course_startdate', 1_725_264_000 + year));
	const values = await temp.site.db.all<{availability: string}>(
		`SELECT availability FROM {course_sections} WHERE course = ? AND availability IS NOT NULL
			UNION ALL SELECT availability FROM {course_modules} WHERE course = ? AND availability IS NOT NULL`, [result.courseId, result.courseId]);
	const times = values.flatMap(row => (JSON.parse(row.availability) as {c: Array<{type: string; t?: number}>}).c.filter(condition => condition.type === 'date').map(condition => condition.t!)).sort();
	t.deepEqual(times, [1730000000 + year, 1731000000 + year]);
});
