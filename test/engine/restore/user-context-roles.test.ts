import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import test from 'ava';
import {editedFixture, restore, tempSite} from './restore-helpers.js';

test('a role given over an account in its user context (a parent\'s) comes back over the created account, to the created assignee', async t => {
	const temp = await tempSite();
	t.teardown(() => temp.dispose());
	// mmartin (1064) is given role 5 (student) over lroux's (1073) account.
	const archive = await editedFixture('rich101_users.mbz', temp.dir, async xmlDir => {
		const usersXml = join(xmlDir, 'users.xml');
		const original = await readFile(usersXml, 'utf8');
		const start = original.indexOf('<user id="1073"');
		const at = original.indexOf('<role_assignments>', start) + '<role_assignments>'.length;
		const assignment = '\n        <assignment id="9001">\n          <roleid>5</roleid>\n          <userid>1064</userid>\n          <timemodified>1700000000</timemodified>\n          <modifierid>2</modifierid>\n          <component></component>\n          <itemid>0</itemid>\n          <sortorder>0</sortorder>\n        </assignment>';
		await writeFile(usersXml, original.slice(0, at) + assignment + original.slice(at));
	});
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
