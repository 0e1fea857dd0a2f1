import fs from 'node:fs/promises';
import test from 'ava';
import {restoreActivity} from '../../../source/engine/plugins/restore-activity.js';
import {count, extractFixture, freshSite, restoreContext} from './fixture-site.js';

let xmlDir: string;
test.before(async () => {
	xmlDir = await extractFixture('rich101_users.mbz');
});
test.after.always(async () => {
	await fs.rm(xmlDir, {recursive: true, force: true});
});

test('forum: discussions, posts, attachment, subscriptions restored with remapped users', async t => {
	const site = await freshSite(xmlDir);
	const warnings: string[] = [];
	try {
		const result = await restoreActivity(restoreContext(site, xmlDir, warnings), 'activities/forum_445');
		t.true('cmid' in result);
		if (!('cmid' in result)) return;
		t.is(await count(site.db, 'forum_discussions', 'forum = ?', [result.instanceId]), 3);
		t.is(await count(site.db, 'forum_posts'), 9);
		t.is(await count(site.db, 'files', "component = 'mod_forum' AND filearea = 'attachment' AND filename <> '.' AND contextid = ?", [result.contextId]), 1);
		t.is(await count(site.db, 'forum_subscriptions', 'forum = ?', [result.instanceId]), 1);
		// post 564 was written by backup user 1065: its row points at the restored user, not 1065.
		const post = await site.db.get<{userid: number; parent: number}>("SELECT userid, parent FROM {forum_posts} WHERE message LIKE '%Antoine.%'");
		t.is(Number(post?.userid), site.idMap.get('user', 1065)!);
		t.not(Number(post?.userid), 1065);
		t.is(Number(post?.parent), site.idMap.get('forum_post', 563)!);
		const discussion = await site.db.get<{firstpost: number}>("SELECT firstpost FROM {forum_discussions} WHERE name = 'Présentez-vous'");
		t.is(Number(discussion?.firstpost), site.idMap.get('forum_post', 563)!);
		t.is(await count(site.db, 'role_assignments', 'contextid = ?', [result.contextId]), 1);
		t.deepEqual(warnings, []);
	} finally {
		await site.close();
	}
});
