import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import test from 'ava';
import {editedFixture, restore, tempSite} from './restore-helpers.js';

/** rich101_users.mbz with `xml` written at the start of lroux's (user 1073) `<wrapper>` in users.xml. */
function withLrouxXml(dir: string, wrapper: string, xml: string): Promise<string> {
	return editedFixture('rich101_users.mbz', dir, async xmlDir => {
		const usersXml = join(xmlDir, 'users.xml');
		const original = await readFile(usersXml, 'utf8');
		const at = original.indexOf(`<${wrapper}>`, original.indexOf('<user id="1073"')) + wrapper.length + 2;
		await writeFile(usersXml, original.slice(0, at) + xml + original.slice(at));
	});
}

test('a role given over an account in its user context (a parent\'s) comes back over the created account, to the created assignee', async t => {
	const temp = await tempSite();
	t.teardown(() => temp.dispose());
	// mmartin (1064) is given role 5 (student) over lroux's (1073) account.
	const archive = await withLrouxXml(temp.dir, 'role_assignments', '\n        <assignment id="9001">\n          <roleid>5</roleid>\n          <userid>1064</userid>\n          <timemodified>1700000000</timemodified>\n          <modifierid>2</modifierid>\n          <component></component>\n          <itemid>0</itemid>\n          <sortorder>0</sortorder>\n        </assignment>');
	const {site} = temp;
	await restore(site, archive, {target: 'new', categoryId: 1});
	const lroux = await site.db.get<{id: number}>(`SELECT id FROM {user} WHERE username = 'lroux'`);
	const mmartin = await site.db.get<{id: number}>(`SELECT id FROM {user} WHERE username = 'mmartin'`);
	t.truthy(lroux);
	t.truthy(mmartin);
	const rows = await site.db.all<{roleid: number; userid: number}>(`SELECT ra.roleid, ra.userid FROM {role_assignments} ra JOIN {context} c ON c.id = ra.contextid
		WHERE c.contextlevel = 30 AND c.instanceid = ?`, [lroux!.id]);
	t.is(rows.length, 1);
	const student = await site.db.get<{id: number}>(`SELECT id FROM {role} WHERE shortname = 'student'`);
	t.is(Number(rows[0]!.roleid), Number(student!.id));
	t.is(Number(rows[0]!.userid), Number(mmartin!.id));
});

test('the interests (tags) of a created account come back on it, and go out again with the next backup', async t => {
	const temp = await tempSite();
	t.teardown(() => temp.dispose());
	const archive = await withLrouxXml(temp.dir, 'tags', '\n      <tag id="71">\n        <name>égyptologie</name>\n        <rawname>Égyptologie</rawname>\n      </tag>\n      <tag id="72">\n        <name>latin</name>\n        <rawname>Latin</rawname>\n      </tag>');
	const {site} = temp;
	const result = await restore(site, archive, {target: 'new', categoryId: 1});
	const lroux = await site.db.get<{id: number}>(`SELECT id FROM {user} WHERE username = 'lroux'`);
	const tags = await site.db.all<{rawname: string; contextlevel: number; instanceid: number}>(`SELECT t.rawname, c.contextlevel, c.instanceid FROM {tag_instance} ti
		JOIN {tag} t ON t.id = ti.tagid JOIN {context} c ON c.id = ti.contextid WHERE ti.component = 'core' AND ti.itemtype = 'user' AND ti.itemid = ? ORDER BY ti.ordering`, [lroux!.id]);
	t.deepEqual(tags.map(tag => tag.rawname), ['Égyptologie', 'Latin']);
	t.true(tags.every(tag => Number(tag.contextlevel) === 30 && Number(tag.instanceid) === Number(lroux!.id)));

	const {planBackup} = await import('../../../source/engine/backup/plan-backup.js');
	const {runBackup} = await import('../../../source/engine/backup/run-backup.js');
	const {plan} = await planBackup(site.db, 'course', result.courseId);
	const made = await runBackup(site, {type: 'course', id: result.courseId, settings: plan, destination: {dir: join(temp.dir, 'out')}});
	const {execFileSync} = await import('node:child_process');
	const usersXml = execFileSync('tar', ['xzOf', made.path!, 'users.xml'], {encoding: 'utf8', maxBuffer: 64 << 20});
	t.true(usersXml.includes('<rawname>Égyptologie</rawname>'));
});
