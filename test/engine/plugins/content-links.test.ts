import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {backupActivity, createLinkEncoder, decodeContentLinks, decodeLinks, restoreActivity} from '../../../source/engine/plugins/index.js';
import {IdMap} from '../../../source/engine/store/id-map.js';
import {extractFixture, freshSite, restoreContext} from './fixture-site.js';

const source = 'http://localhost/moodle';

test('links to this site become tokens; other hosts, partial ids and @@PLUGINFILE@@ are left alone', t => {
	const encode = createLinkEncoder(source);
	t.is(encode(`<a href="${source}/mod/forum/view.php?id=445">forum</a>`), '<a href="$@FORUMVIEWBYID*445@$">forum</a>');
	t.is(encode(`${source}/mod/forum/index.php?id=9`), '$@FORUMINDEX*9@$');
	t.is(encode(`${source}/mod/forum/discuss.php?d=128&amp;parent=563`), '$@FORUMDISCUSSIONVIEWPARENT*128*563@$');
	t.is(encode(`${source}/mod/forum/discuss.php?d=128#p563`), '$@FORUMDISCUSSIONVIEW*128@$#p563');
	t.is(encode(`${source}/mod/forum/discuss.php?d=128#563`), '$@FORUMDISCUSSIONVIEWINSIDE*128*563@$');
	t.is(encode(`${source}/mod/page/view.php?id=439`), '$@PAGEVIEWBYID*439@$');
	t.is(encode(`${source}/mod/quiz/view.php?q=5`), '$@QUIZVIEWBYQ*5@$');
	// Course links on both schemes, module links only on the configured one.
	t.is(encode('https://localhost/moodle/course/view.php?id=9'), '$@COURSEVIEWBYID*9@$');
	t.is(encode('https://localhost/moodle/mod/page/view.php?id=439'), 'https://localhost/moodle/mod/page/view.php?id=439');
	t.is(encode(`${source}/pluginfile.php/1531/mod_page/content/0/a.png`), '$@PLUGINFILEBYCONTEXT*1531@$/mod_page/content/0/a.png');
	t.is(encode('https://elsewhere.example/mod/forum/view.php?id=445'), 'https://elsewhere.example/mod/forum/view.php?id=445');
	t.is(encode('<img src="@@PLUGINFILE@@/pic.png">'), '<img src="@@PLUGINFILE@@/pic.png">');
	t.is(encode(`${source}/mod/forum/view.php?id=`), `${source}/mod/forum/view.php?id=`);
});

test('tokens decode to the restored items on this site, or to the original site when not restored', t => {
	const ids = new IdMap();
	ids.set('course_module', 445, 1001);
	ids.set('forum_discussion', 128, 7);
	ids.set('forum_post', 563, 70);
	ids.set('course', 9, 3);
	const target = 'https://target.example';
	t.is(decodeLinks('$@FORUMVIEWBYID*445@$', ids, source, target), `${target}/mod/forum/view.php?id=1001`);
	t.is(decodeLinks('$@FORUMDISCUSSIONVIEWPARENT*128*563@$', ids, source, target), `${target}/mod/forum/discuss.php?d=7&parent=70`);
	t.is(decodeLinks('$@COURSEVIEWBYID*9@$', ids, source, target), `${target}/course/view.php?id=3`);
	// One id missing: the whole link points back at the original site with the old ids.
	t.is(decodeLinks('$@FORUMDISCUSSIONVIEWPARENT*128*999@$', ids, source, target), `${source}/mod/forum/discuss.php?d=128&parent=999`);
	t.is(decodeLinks('see $@PAGEVIEWBYID*999@$ now', ids, source, target), `see ${source}/mod/page/view.php?id=999 now`);
	// A token no rule knows stays as it is; so does @@PLUGINFILE@@.
	t.is(decodeLinks('$@LESSONVIEWBYID*3@$ @@PLUGINFILE@@/a.png', ids, source, target), '$@LESSONVIEWBYID*3@$ @@PLUGINFILE@@/a.png');
});

test('decodeContentLinks rewrites the texts the restore created, at the end', async t => {
	const xmlDir = await extractFixture('rich101_users.mbz');
	const pageXml = path.join(xmlDir, 'activities/page_439/page.xml');
	const original = await fs.readFile(pageXml, 'utf8');
	await fs.writeFile(pageXml, original.replace(/<content>[^<]*<\/content>/, '<content>&lt;a href="$@FORUMVIEWBYID*445@$"&gt;forum&lt;/a&gt; &lt;a href="$@PAGEVIEWBYID*999@$"&gt;gone&lt;/a&gt; &lt;img src="@@PLUGINFILE@@/x.png"&gt;</content>'));
	const site = await freshSite(xmlDir);
	try {
		const ctx = restoreContext(site, xmlDir);
		const page = await restoreActivity(ctx, 'activities/page_439');
		const forum = await restoreActivity({...ctx, userinfo: false}, 'activities/forum_445');
		if (!('cmid' in page) || !('cmid' in forum)) return t.fail('not restored');
		const before = await site.db.get<{content: string}>('SELECT content FROM {page} WHERE id = ?', [page.instanceId]);
		t.true(before!.content.includes('$@FORUMVIEWBYID*445@$'), 'tokens stay until the end');
		t.true((await decodeContentLinks(ctx)) >= 1);
		const after = await site.db.get<{content: string}>('SELECT content FROM {page} WHERE id = ?', [page.instanceId]);
		t.is(after!.content, `<a href="https://target.example/mod/forum/view.php?id=${forum.cmid}">forum</a> <a href="http://localhost/moodle/mod/page/view.php?id=999">gone</a> <img src="@@PLUGINFILE@@/x.png">`);
	} finally {
		await site.close();
		await fs.rm(xmlDir, {recursive: true, force: true});
	}
});

test('availability conditions on activities and grade items restored later are rewritten at the end', async t => {
	const xmlDir = await extractFixture('rich101_users.mbz');
	const moduleXml = path.join(xmlDir, 'activities/page_439/module.xml');
	const condition = '{"op":"&amp;","c":[{"type":"completion","cm":445,"e":1},{"type":"completion","cm":9999,"e":1},{"type":"grade","id":130,"min":50}],"showc":[true,true,true]}';
	await fs.writeFile(moduleXml, (await fs.readFile(moduleXml, 'utf8')).replace('<availability>$@NULL@$</availability>', `<availability>${condition}</availability>`));
	const site = await freshSite(xmlDir);
	try {
		const warnings: string[] = [];
		const ctx = restoreContext(site, xmlDir, warnings);
		const page = await restoreActivity(ctx, 'activities/page_439');
		const forum = await restoreActivity(ctx, 'activities/forum_445');
		await restoreActivity(ctx, 'activities/assign_448');
		if (!('cmid' in page) || !('cmid' in forum)) return t.fail('not restored');
		await decodeContentLinks(ctx);
		const cm = await site.db.get<{availability: string}>('SELECT availability FROM {course_modules} WHERE id = ?', [page.cmid]);
		t.is(cm?.availability, `{"op":"&","c":[{"type":"completion","cm":${forum.cmid},"e":1},{"type":"completion","cm":0,"e":1},{"type":"grade","id":${site.idMap.get('grade_item', 130)},"min":50}],"showc":[true,true,true]}`);
		t.true(warnings.some(message => message.includes('9999')));
	} finally {
		await site.close();
		await fs.rm(xmlDir, {recursive: true, force: true});
	}
});

test('backupActivity encodes this site\'s links in every long text it writes', async t => {
	const xmlDir = await extractFixture('rich101_users.mbz');
	const site = await freshSite(xmlDir);
	const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mbz-plugins-encode-'));
	try {
		const page = await restoreActivity(restoreContext(site, xmlDir), 'activities/page_439');
		if (!('cmid' in page)) return t.fail(page.skipped.text);
		await site.db.run('UPDATE {page} SET content = ? WHERE id = ?', [`<p>See <a href="https://target.example/mod/page/view.php?id=${page.cmid}">this page</a> and <a href="https://target.example/course/view.php?id=${site.courseId}">the course</a>.</p>`, page.instanceId]);
		const result = await backupActivity({db: site.db, pool: site.pool, outDir, userinfo: false, settings: {}, encodeLinks: createLinkEncoder('https://target.example'), annotate: () => undefined}, page.cmid);
		const xml = await fs.readFile(path.join(outDir, result.directory, 'page.xml'), 'utf8');
		t.true(xml.includes(`&lt;a href="$@PAGEVIEWBYID*${page.cmid}@$"&gt;this page&lt;/a&gt;`));
		t.true(xml.includes(`$@COURSEVIEWBYID*${site.courseId}@$`));
		t.false(xml.includes('https://target.example'));
	} finally {
		await site.close();
		await fs.rm(outDir, {recursive: true, force: true});
		await fs.rm(xmlDir, {recursive: true, force: true});
	}
});
