import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import test from 'ava';
import type {ExecutionContext} from 'ava';
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

/** Restores rich101_users.mbz edited by withLrouxXml into a fresh site: the site, the result and lroux's new id. */
async function restoreWithLrouxXml(t: ExecutionContext, wrapper: string, xml: string) {
	const temp = await tempSite();
	t.teardown(() => temp.dispose());
	const archive = await withLrouxXml(temp.dir, wrapper, xml);
	const result = await restore(temp.site, archive, {target: 'new', categoryId: 1});
	const lroux = await temp.site.db.get<{id: number}>(`SELECT id FROM {user} WHERE username = 'lroux'`);
	t.truthy(lroux);
	return {site: temp.site, dir: temp.dir, result, lrouxId: Number(lroux!.id)};
}

test('a role given over an account in its user context (a parent\'s) comes back over the created account, to the created assignee', async t => {
	// mmartin (1064) is given role 5 (student) over lroux's (1073) account.
	const {site, lrouxId} = await restoreWithLrouxXml(t, 'role_assignments', '\n        <assignment id="9001">\n          <roleid>5</roleid>\n          <userid>1064</userid>\n          <timemodified>1700000000</timemodified>\n          <modifierid>2</modifierid>\n          <component></component>\n          <itemid>0</itemid>\n          <sortorder>0</sortorder>\n        </assignment>');
	const mmartin = await site.db.get<{id: number}>(`SELECT id FROM {user} WHERE username = 'mmartin'`);
	t.truthy(mmartin);
	const rows = await site.db.all<{roleid: number; userid: number}>(`SELECT ra.roleid, ra.userid FROM {role_assignments} ra JOIN {context} c ON c.id = ra.contextid
		WHERE c.contextlevel = 30 AND c.instanceid = ?`, [lrouxId]);
	t.is(rows.length, 1);
	const student = await site.db.get<{id: number}>(`SELECT id FROM {role} WHERE shortname = 'student'`);
	t.is(Number(rows[0]!.roleid), Number(student!.id));
	t.is(Number(rows[0]!.userid), Number(mmartin!.id));
});

test('the interests (tags) of a created account come back on it, and go out again with the next backup', async t => {
	const {site, dir, result, lrouxId} = await restoreWithLrouxXml(t, 'tags', '\n      <tag id="71">\n        <name>égyptologie</name>\n        <rawname>Égyptologie</rawname>\n      </tag>\n      <tag id="72">\n        <name>latin</name>\n        <rawname>Latin</rawname>\n      </tag>');
	const tags = await site.db.all<{rawname: string; contextlevel: number; instanceid: number}>(`SELECT t.rawname, c.contextlevel, c.instanceid FROM {tag_instance} ti
		JOIN {tag} t ON t.id = ti.tagid JOIN {context} c ON c.id = ti.contextid WHERE ti.component = 'core' AND ti.itemtype = 'user' AND ti.itemid = ? ORDER BY ti.ordering`, [lrouxId]);
	t.deepEqual(tags.map(tag => tag.rawname), ['Égyptologie', 'Latin']);
	t.true(tags.every(tag => Number(tag.contextlevel) === 30 && Number(tag.instanceid) === lrouxId));

	const {planBackup} = await import('../../../source/engine/backup/plan-backup.js');
	const {runBackup} = await import('../../../source/engine/backup/run-backup.js');
	const {plan} = await planBackup(site.db, 'course', result.courseId);
	const made = await runBackup(site, {type: 'course', id: result.courseId, settings: plan, destination: {dir: join(dir, 'out')}});
	const {execFileSync} = await import('node:child_process');
	const usersXml = execFileSync('tar', ['xzOf', made.path!, 'users.xml'], {encoding: 'utf8', maxBuffer: 64 << 20});
	t.true(usersXml.includes('<rawname>Égyptologie</rawname>'));
});

test('a permission overridden for a role in an account\'s user context comes back in the created account\'s context', async t => {
	// In lroux's (1073) user context, role 5 may not view his profile.
	const {site, result, lrouxId} = await restoreWithLrouxXml(t, 'role_overrides', '\n        <override id="9101">\n          <roleid>5</roleid>\n          <capability>moodle/user:viewdetails</capability>\n          <permission>-1</permission>\n          <timemodified>1700000000</timemodified>\n          <modifierid>2</modifierid>\n        </override>');
	const rows = await site.db.all<{roleid: number; capability: string; permission: number}>(`SELECT rc.roleid, rc.capability, rc.permission FROM {role_capabilities} rc
		JOIN {context} c ON c.id = rc.contextid WHERE c.contextlevel = 30 AND c.instanceid = ?`, [lrouxId]);
	const student = await site.db.get<{id: number}>(`SELECT id FROM {role} WHERE shortname = 'student'`);
	t.deepEqual(rows.map(row => ({roleid: Number(row.roleid), capability: row.capability, permission: Number(row.permission)})),
		[{roleid: Number(student!.id), capability: 'moodle/user:viewdetails', permission: -1}]);
	t.true((result.counts['roleOverrides'] ?? 0) >= 1);
});

test('preferences as Moodle 4 restores them: an older site\'s logged-in / logged-off message preferences merged into one, "no HTML editor" as a preference', async t => {
	const temp = await tempSite();
	t.teardown(() => temp.dispose());
	const preference = (name: string, value: string, id: number) => `\n      <preference id="${id}">\n        <name>${name}</name>\n        <value>${value}</value>\n      </preference>`;
	const archive = await editedFixture('rich101_users.mbz', temp.dir, async xmlDir => {
		const usersXml = join(xmlDir, 'users.xml');
		const original = await readFile(usersXml, 'utf8');
		const user = original.indexOf('<user id="1073"');
		const preferences = original.indexOf('<preferences>', user) + '<preferences>'.length;
		const edited = original.slice(0, preferences)
			+ preference('message_provider_moodle_instantmessage_loggedin', 'popup', 9201)
			+ preference('message_provider_moodle_instantmessage_loggedoff', 'email,popup', 9202)
			+ preference('message_provider_mod_forum_posts_loggedoff', 'none', 9203)
			+ preference('block_myoverview_user_view_preference', 'list', 9204)
			+ original.slice(preferences);
		const username = edited.indexOf('<username>lroux</username>', user);
		await writeFile(usersXml, `${edited.slice(0, username)}<htmleditor>0</htmleditor>\n    ${edited.slice(username)}`);
	});
	const {site} = temp;
	await restore(site, archive, {target: 'new', categoryId: 1});
	const lroux = await site.db.get<{id: number}>(`SELECT id FROM {user} WHERE username = 'lroux'`);
	const rows = await site.db.all<{name: string; value: string}>('SELECT name, value FROM {user_preferences} WHERE userid = ? ORDER BY name', [lroux!.id]);
	t.deepEqual(rows.map(row => [row.name, row.value]), [
		['block_myoverview_user_view_preference', 'list'],
		['htmleditor', 'textarea'],
		['message_provider_mod_forum_posts_enabled', 'none'],
		['message_provider_moodle_instantmessage_enabled', 'email,popup'],
	]);
});
