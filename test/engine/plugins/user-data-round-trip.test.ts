/**
 * User data the real fixtures do not carry (chat messages, forum ratings, read tracking, digests, tracking
 * preferences, discussion subscriptions): added to a restored activity, backed up, and restored into a second site.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {backupActivity, restoreActivity, restoreQuestionBank} from '../../../source/engine/plugins/index.js';
import {completeRow} from '../../../source/engine/store/schema/rows.js';
import {count, extractFixture, freshSite, restoreContext, type TestSite} from './fixture-site.js';

let xmlDir: string;
test.before(async () => {
	xmlDir = await extractFixture('rich101_users.mbz');
});
test.after.always(async () => {
	await fs.rm(xmlDir, {recursive: true, force: true});
});

/** Backs an activity of `source` up into a directory laid out like an extracted backup, with users.xml copied. */
async function backUp(source: TestSite, cmid: number): Promise<{dir: string; directory: string}> {
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mbz-plugins-userdata-'));
	const result = await backupActivity({db: source.db, pool: source.pool, outDir: dir, userinfo: true, settings: {}, annotate: () => undefined}, cmid);
	return {dir, directory: result.directory};
}

test('chat messages: `message` and `issystem` travel as <message_text> and <system>, users remapped', async t => {
	const source = await freshSite(xmlDir);
	const target = await freshSite(xmlDir);
	let out: {dir: string; directory: string} | undefined;
	try {
		const chat = await restoreActivity(restoreContext(source, xmlDir), 'activities/chat_446');
		if (!('cmid' in chat)) return t.fail(chat.skipped.text);
		const author = source.idMap.get('user', 1065)!;
		await source.db.insert('chat_messages', completeRow('chat_messages', {chatid: chat.instanceId, userid: author, groupid: 0, issystem: 0, message: 'Salut à tous', timestamp: 1795459500}));
		await source.db.insert('chat_messages', completeRow('chat_messages', {chatid: chat.instanceId, userid: author, groupid: 0, issystem: 1, message: 'enter', timestamp: 1795459400}));
		out = await backUp(source, chat.cmid);
		const xml = await fs.readFile(path.join(out.dir, out.directory, 'chat.xml'), 'utf8');
		t.true(xml.includes('<message_text>Salut à tous</message_text>'));
		t.true(xml.includes('<system>1</system>'));

		// The second site maps backup users by the ids of the first site's users.
		target.idMap.set('user', author, target.idMap.get('user', 1065)!);
		const restored = await restoreActivity({...restoreContext(target, out.dir), defaultSectionId: target.idMap.get('course_section', 147)!}, out.directory);
		if (!('cmid' in restored)) return t.fail(restored.skipped.text);
		const rows = await target.db.all<{message: string; issystem: number; userid: number}>('SELECT message, issystem, userid FROM {chat_messages} WHERE chatid = ? ORDER BY id', [restored.instanceId]);
		t.deepEqual(rows.map(row => [row.message, Number(row.issystem), Number(row.userid)]), [
			['Salut à tous', 0, target.idMap.get('user', 1065)!],
			['enter', 1, target.idMap.get('user', 1065)!],
		]);
	} finally {
		await source.close();
		await target.close();
		if (out) await fs.rm(out.dir, {recursive: true, force: true});
	}
});

test('forum ratings, read tracking, digests, tracking preferences and discussion subscriptions point at the restored rows', async t => {
	const source = await freshSite(xmlDir);
	const target = await freshSite(xmlDir);
	let out: {dir: string; directory: string} | undefined;
	try {
		const forum = await restoreActivity(restoreContext(source, xmlDir), 'activities/forum_445');
		if (!('cmid' in forum)) return t.fail(forum.skipped.text);
		const reader = source.idMap.get('user', 1066)!;
		const post = source.idMap.get('forum_post', 564)!;
		const discussion = source.idMap.get('forum_discussion', 128)!;
		await source.db.insert('rating', completeRow('rating', {contextid: forum.contextId, component: 'mod_forum', ratingarea: 'post', itemid: post, scaleid: 5, rating: 4, userid: reader, timecreated: 1, timemodified: 2}));
		await source.db.insert('forum_read', completeRow('forum_read', {userid: reader, forumid: forum.instanceId, discussionid: discussion, postid: post, firstread: 3, lastread: 4}));
		await source.db.insert('forum_digests', completeRow('forum_digests', {userid: reader, forum: forum.instanceId, maildigest: 1}));
		await source.db.insert('forum_track_prefs', completeRow('forum_track_prefs', {userid: reader, forumid: forum.instanceId}));
		await source.db.insert('forum_discussion_subs', completeRow('forum_discussion_subs', {forum: forum.instanceId, userid: reader, discussion, preference: 5}));
		out = await backUp(source, forum.cmid);

		for (const [oldId, newId] of source.idMap.entries('user')) target.idMap.set('user', newId.newId, target.idMap.get('user', oldId)!);
		const restored = await restoreActivity({...restoreContext(target, out.dir), defaultSectionId: target.idMap.get('course_section', 146)!}, out.directory);
		if (!('cmid' in restored)) return t.fail(restored.skipped.text);
		const targetReader = target.idMap.get('user', 1066)!;
		const targetPost = await target.db.get<{id: number; discussion: number}>("SELECT id, discussion FROM {forum_posts} WHERE message LIKE '%Antoine.%'");
		const rating = await target.db.get<{itemid: number; contextid: number; userid: number; rating: number}>('SELECT itemid, contextid, userid, rating FROM {rating}');
		t.deepEqual({...rating}, {itemid: targetPost!.id, contextid: restored.contextId, userid: targetReader, rating: 4});
		const read = await target.db.get<{postid: number; discussionid: number; forumid: number}>('SELECT postid, discussionid, forumid FROM {forum_read}');
		t.deepEqual({...read}, {postid: targetPost!.id, discussionid: targetPost!.discussion, forumid: restored.instanceId});
		t.is(await count(target.db, 'forum_digests', 'forum = ? AND userid = ? AND maildigest = 1', [restored.instanceId, targetReader]), 1);
		t.is(await count(target.db, 'forum_track_prefs', 'forumid = ? AND userid = ?', [restored.instanceId, targetReader]), 1);
		t.is(await count(target.db, 'forum_discussion_subs', 'forum = ? AND discussion = ? AND preference = 5', [restored.instanceId, targetPost!.discussion]), 1);
		t.is(await count(target.db, 'forum_posts'), 9);
		t.is(await count(target.db, 'files', "component = 'mod_forum' AND filearea = 'attachment' AND filename <> '.'"), 0, 'no files.xml in this copy: attachments are not invented');
	} finally {
		await source.close();
		await target.close();
		if (out) await fs.rm(out.dir, {recursive: true, force: true});
	}
});

test('quiz overrides: group overrides travel without user info, user overrides only with it', async t => {
	const source = await freshSite(xmlDir);
	const target = await freshSite(xmlDir);
	const outDirs: string[] = [];
	try {
		const sourceCtx = restoreContext(source, xmlDir);
		await restoreQuestionBank(sourceCtx);
		const quiz = await restoreActivity(sourceCtx, 'activities/quiz_449');
		if (!('cmid' in quiz)) return t.fail(quiz.skipped.text);
		const group = source.idMap.get('group', 13)!;
		await source.db.insert('quiz_overrides', completeRow('quiz_overrides', {quiz: quiz.instanceId, groupid: group, userid: null, timeclose: 1795500000}));
		await source.db.insert('quiz_overrides', completeRow('quiz_overrides', {quiz: quiz.instanceId, groupid: null, userid: source.idMap.get('user', 1065)!, timeclose: 1795600000}));
		const overridesIn = async (userinfo: boolean): Promise<{dir: string; directory: string; count: number}> => {
			const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mbz-plugins-overrides-'));
			outDirs.push(dir);
			const result = await backupActivity({db: source.db, pool: source.pool, outDir: dir, userinfo, settings: {}, annotate: () => undefined}, quiz.cmid);
			const xml = await fs.readFile(path.join(dir, result.directory, 'quiz.xml'), 'utf8');
			return {dir, directory: result.directory, count: xml.split('<override id=').length - 1};
		};
		t.is((await overridesIn(false)).count, 1);
		const full = await overridesIn(true);
		t.is(full.count, 2);

		target.idMap.set('group', group, target.idMap.get('group', 13)!);
		await fs.copyFile(path.join(xmlDir, 'questions.xml'), path.join(full.dir, 'questions.xml'));
		const restored = await restoreActivity({...restoreContext(target, full.dir, [], false), defaultSectionId: target.idMap.get('course_section', 147)!}, full.directory);
		if (!('cmid' in restored)) return t.fail(restored.skipped.text);
		const overrides = await target.db.all<{groupid: number | null; userid: number | null; timeclose: number}>('SELECT groupid, userid, timeclose FROM {quiz_overrides} WHERE quiz = ?', [restored.instanceId]);
		t.deepEqual(overrides.map(row => ({groupid: row.groupid === null ? null : Number(row.groupid), userid: row.userid, timeclose: Number(row.timeclose)})), [{groupid: target.idMap.get('group', 13)!, userid: null, timeclose: 1795500000}]);
	} finally {
		await source.close();
		await target.close();
		for (const dir of outDirs) await fs.rm(dir, {recursive: true, force: true});
	}
});
