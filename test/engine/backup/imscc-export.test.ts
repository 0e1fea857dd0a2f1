import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {backupCommand} from '../../../source/commands/backup.js';
import {inspectCommand} from '../../../source/commands/inspect.js';
import {readArchive} from '../../../source/engine/archive/read-archive.js';
import {planBackup} from '../../../source/engine/backup/plan-backup.js';
import {runBackup} from '../../../source/engine/backup/run-backup.js';
import {ArchiveError, UsageError} from '../../../source/engine/errors.js';
import {CONTEXT_LEVEL, contextIdFor} from '../../../source/engine/store/contexts.js';
import {initSite, type Site} from '../../../source/engine/store/site.js';
import {readXmlRecords, type XmlRecord} from '../../../source/engine/xml/read-xml-records.js';
import {tempDir} from './archive-contents.js';

process.env['MBZ_CONFIG_DIR'] = await tempDir('mbz-imscc-prefs-');

const COURSE_ID = 2;

/** Every entry of the zip, by path, and the container the reader found. */
async function readZip(file: string): Promise<{container: string; entries: Map<string, Buffer>}> {
	const entries = new Map<string, Buffer>();
	const {container} = await readArchive(file, async entry => {
		const chunks: Buffer[] = [];
		for await (const chunk of entry.content) chunks.push(chunk as Buffer);
		if (entry.type === 'file') entries.set(entry.path, Buffer.concat(chunks));
	});
	return {container, entries};
}

async function manifestRecords(xml: Buffer): Promise<XmlRecord[]> {
	const records: XmlRecord[] = [];
	const item = '/manifest/organizations/organization/item/item';
	for await (const record of readXmlRecords((async function * () {
		yield xml;
	})(), {
		file: 'imsmanifest.xml', entry: 'imsmanifest.xml',
		paths: ['/manifest', '/manifest/metadata', '/manifest/metadata/lomimscc:lom/lomimscc:general/lomimscc:title',
			item, `${item}/item`, `${item}/item/item`, `${item}/item/item/item`,
			'/manifest/resources/resource', '/manifest/resources/resource/file', '/manifest/resources/resource/dependency'],
	})) records.push(record);
	return records;
}

type Demo = {site: Site; dir: string; siteDir: string; pageCmid: number; fileName: string};

/** The demo site, with an image in the first page's content area linked from the page text. */
async function demoSite(): Promise<Demo> {
	const dir = await tempDir('mbz-imscc-');
	const siteDir = path.join(dir, 'site');
	const site = await initSite(siteDir, {demo: true});
	const page = (await site.db.get<{cmid: number; instance: number}>(
		'SELECT cm.id AS cmid, cm.instance FROM {course_modules} cm JOIN {modules} m ON m.id = cm.module WHERE cm.course = ? AND m.name = ? ORDER BY cm.id',
		[COURSE_ID, 'page'],
	))!;
	const contextId = (await contextIdFor(site.db, CONTEXT_LEVEL.MODULE, Number(page.cmid)))!;
	const fileName = 'Diagram One.png';
	await site.db.run('UPDATE {page} SET content = ? WHERE id = ?', ['<p>Voir <img src="@@PLUGINFILE@@/Diagram%20One.png" alt="schéma"></p>', page.instance]);
	const staged = await site.pool.stageBuffer(Buffer.from('not really a png, but bytes all the same'));
	await site.pool.promoteStaged();
	for (const [filename, hash, size] of [['.', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', 0], [fileName, staged.sha1, staged.size]] as const) {
		await site.db.insert('files', {
			contenthash: hash, pathnamehash: `imscc-${contextId}-${filename}`.padEnd(40, '0').slice(0, 40), contextid: contextId,
			component: 'mod_page', filearea: 'content', itemid: 0, filepath: '/', filename, userid: 2, filesize: size,
			mimetype: filename === '.' ? null : 'image/png', status: 0, timecreated: 1700000000, timemodified: 1700000000, sortorder: 0,
		});
	}
	return {site, dir, siteDir, pageCmid: Number(page.cmid), fileName};
}

const EXPECTED_TYPES: Record<string, string | undefined> = {forum: 'imsdt_xmlv1p1', page: 'webcontent', resource: 'webcontent', url: 'imswl_xmlv1p1', quiz: 'imsqti_xmlv1p2/imscc_xmlv1p1/assessment', label: undefined, folder: undefined};

test.serial('a course backup with imscc11 is a Common Cartridge 1.1 zip with the course outline, activities and files', async t => {
	const demo = await demoSite();
	const {site} = demo;
	t.teardown(async () => {
		await site.close().catch(() => undefined);
		await fs.promises.rm(demo.dir, {recursive: true, force: true});
	});
	const cms = await site.db.all<{cmid: number; modname: string; visible: number}>(
		'SELECT cm.id AS cmid, m.name AS modname, cm.visible FROM {course_modules} cm JOIN {modules} m ON m.id = cm.module WHERE cm.course = ? ORDER BY cm.id',
		[COURSE_ID],
	);
	const url = cms.find(cm => cm.modname === 'url')!;
	const resource = cms.find(cm => cm.modname === 'resource')!;
	await site.db.run('UPDATE {course_modules} SET visible = 0 WHERE id = ?', [resource.cmid]);
	await site.db.run('UPDATE {course_modules} SET indent = 2 WHERE id = ?', [url.cmid]);
	const quiz = cms.find(cm => cm.modname === 'quiz')!;
	const quizRow = (await site.db.get<{id: number}>('SELECT instance AS id FROM {course_modules} WHERE id = ?', [quiz.cmid]))!;
	await site.db.run('UPDATE {quiz} SET attempts = 3, timelimit = 1200 WHERE id = ?', [quizRow.id]);
	const slotTypes = await site.db.all<{qtype: string; name: string}>(
		`SELECT q.qtype, q.name FROM {quiz_slots} s
			JOIN {question_references} r ON r.itemid = s.id AND r.component = 'mod_quiz' AND r.questionarea = 'slot'
			JOIN {question_versions} v ON v.questionbankentryid = r.questionbankentryid
			JOIN {question} q ON q.id = v.questionid
		WHERE s.quizid = ? ORDER BY s.slot`, [quizRow.id]);
	// One activity left out through the settings, as unticking it in the wizard does.
	const excluded = cms.find(cm => cm.modname === 'forum' && cm.cmid !== cms.find(first => first.modname === 'forum')!.cmid)!;

	const {plan, structure} = await planBackup(site.db, 'course', COURSE_ID, {root: {imscc11: true}, excludeCmids: [excluded.cmid]});
	const out = path.join(demo.dir, 'out');
	const result = await runBackup(site, {type: 'course', id: COURSE_ID, settings: plan, destination: {dir: out}});
	// Users are locked off by IMS CC, so the name says -nu, as Moodle's does.
	t.regex(result.filename, /^backup-moodle2-course-2-hist101-\d{8}-\d{4}-nu\.imscc$/);
	t.is(result.counts.users, 0);
	t.deepEqual(fs.readdirSync(out), [result.filename], 'only the cartridge is written, no .mbz');
	t.is(fs.readFileSync(result.path!).subarray(0, 2).toString('latin1'), 'PK');

	const {container, entries} = await readZip(result.path!);
	t.is(container, 'zip');
	const manifestXml = entries.get('imsmanifest.xml');
	t.truthy(manifestXml, 'imsmanifest.xml is in the zip');
	const records = await manifestRecords(manifestXml!);
	const manifest = records.find(record => record.path === '/manifest')!;
	t.is(manifest.attrs['xmlns'], 'http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1');
	const metadata = records.find(record => record.path === '/manifest/metadata')!;
	t.is(metadata.data['schema'], 'IMS Common Cartridge');
	t.is(metadata.data['schemaversion'], '1.1.0');
	const fullname = (await site.db.get<{fullname: string}>('SELECT fullname FROM {course} WHERE id = ?', [COURSE_ID]))!.fullname;
	t.true(manifestXml!.toString('utf8').includes(`<lomimscc:string>${fullname}</lomimscc:string>`), 'title = course fullname');

	// One organization item per included section, in order, titled as in moodle_backup.xml.
	const sectionItems = records.filter(record => record.path === '/manifest/organizations/organization/item/item');
	t.deepEqual(sectionItems.map(item => item.data['title']), structure.sections.map(section => section.title));

	const resources = records.filter(record => record.path === '/manifest/resources/resource');
	const resourceById = new Map(resources.map(record => [record.attrs['identifier']!, record]));
	const activityItems = records.filter(record => /^I_M\d+$/.test(record.attrs['identifier'] ?? ''));
	const itemByCmid = new Map(activityItems.map(record => [Number(record.attrs['identifier']!.slice(3)), record]));
	for (const cm of cms) {
		const item = itemByCmid.get(Number(cm.cmid));
		if (Number(cm.cmid) === Number(excluded.cmid)) {
			t.is(item, undefined, 'the excluded activity is absent');
			continue;
		}
		if (!(cm.modname in EXPECTED_TYPES)) {
			t.is(item, undefined, `${cm.modname} ${cm.cmid} has no cartridge equivalent`);
			t.true(result.warnings.some(warning => warning.text.includes(`${cm.modname} ${cm.cmid}`)), `a warning names ${cm.modname} ${cm.cmid}`);
			continue;
		}
		t.truthy(item, `${cm.modname} ${cm.cmid} is in the organization`);
		const expected = EXPECTED_TYPES[cm.modname];
		if (expected === undefined) {
			t.false('identifierref' in item!.attrs, `${cm.modname} is a title-only item`);
			continue;
		}
		const linked = resourceById.get(item!.attrs['identifierref']!);
		t.is(linked?.attrs['type'], expected, `${cm.modname} ${cm.cmid} resource type`);
	}
	t.false(manifestXml!.toString('utf8').includes(`I_M${excluded.cmid}`));

	// The hidden resource is for instructors only; its main file is the resource's href.
	const resourceEntry = resourceById.get(`I_M${resource.cmid}_R`)!;
	const manifestText = manifestXml!.toString('utf8');
	const resourceBlock = manifestText.slice(manifestText.indexOf(`<resource identifier="I_M${resource.cmid}_R"`));
	t.true(resourceBlock.slice(0, resourceBlock.indexOf('</resource>')).includes('<lom:value>Instructor</lom:value>'));
	t.truthy(resourceEntry.attrs['href']);

	// The indented url sits inside two untitled items.
	const urlItem = records.find(record => record.attrs['identifier'] === `I_M${url.cmid}`)!;
	t.is(urlItem.path, '/manifest/organizations/organization/item/item/item/item/item');
	const wrappers = records.filter(record => record.attrs['identifier']?.startsWith(`I_M${url.cmid}_L`));
	t.is(wrappers.length, 2);
	for (const wrapper of wrappers) t.false('title' in wrapper.data, 'indent wrappers have no title');

	// The url is a web link to the activity's address.
	const urlRow = (await site.db.get<{externalurl: string}>('SELECT u.externalurl FROM {url} u JOIN {course_modules} cm ON cm.instance = u.id WHERE cm.id = ?', [url.cmid]))!;
	t.true(entries.get(`i_m${url.cmid}/weblink.xml`)!.toString('utf8').includes(`href="${urlRow.externalurl}"`));

	// Every file listed is in the zip, every dependency resolves, every href is one of the resource's files.
	const fileRecords = records.filter(record => record.path === '/manifest/resources/resource/file');
	t.true(fileRecords.length > 0);
	for (const file of fileRecords) t.true(entries.has(file.attrs['href']!), `${file.attrs['href']} is in the zip`);
	for (const dependency of records.filter(record => record.path === '/manifest/resources/resource/dependency')) {
		t.true(resourceById.has(dependency.attrs['identifierref']!), `dependency ${dependency.attrs['identifierref']} resolves`);
	}
	for (const item of activityItems) {
		if (item.attrs['identifierref']) t.true(resourceById.has(item.attrs['identifierref']), `${item.attrs['identifier']} points to a resource`);
	}

	// No Moodle placeholder left; the page's image is copied under a clean name and linked relatively.
	for (const [name, body] of entries) {
		if (/\.(html|xml)$/.test(name)) t.false(body.toString('utf8').includes('@@PLUGINFILE@@'), `${name} has no @@PLUGINFILE@@`);
	}
	const pageResource = resourceById.get(`I_M${demo.pageCmid}_R`)!;
	const pageHtml = entries.get(pageResource.attrs['href']!)!.toString('utf8');
	const image = [...entries.keys()].find(name => name.endsWith('/diagram_one.png'));
	t.truthy(image, 'the image is in the zip, lower-cased with spaces as underscores');
	t.regex(image!, /^i_[^/]+\/diagram_one\.png$/);
	t.true(pageHtml.includes(`src="../${image}"`), 'the link is relative to the page');
	t.is(entries.get(image!)!.toString('utf8'), 'not really a png, but bytes all the same');
	const pageDependencies = manifestText.slice(manifestText.indexOf(`<resource identifier="I_M${demo.pageCmid}_R"`));
	t.regex(pageDependencies.slice(0, pageDependencies.indexOf('</resource>')), /<dependency identifierref="I_F\d+_R"\/>/);

	// The quiz is a QTI assessment with its attempts, time limit in minutes and one item per supported question.
	const assessment = entries.get(`i_m${quiz.cmid}/assessment.xml`)!.toString('utf8');
	t.true(assessment.includes('<fieldlabel>cc_maxattempts</fieldlabel><fieldentry>3</fieldentry>'));
	t.true(assessment.includes('<fieldlabel>qmd_timelimit</fieldlabel><fieldentry>20</fieldentry>'));
	const supported = slotTypes.filter(slot => ['truefalse', 'multichoice', 'shortanswer', 'essay'].includes(slot.qtype));
	t.true(supported.length > 0);
	t.deepEqual([...assessment.matchAll(/<item ident="Q_\d+" title="([^"]*)"/g)].map(match => match[1]), supported.map(slot => slot.name));
	const qtiRecords: XmlRecord[] = [];
	for await (const record of readXmlRecords((async function * () {
		yield entries.get(`i_m${quiz.cmid}/assessment.xml`)!;
	})(), {file: 'assessment.xml', entry: 'assessment.xml', paths: ['/questestinterop/assessment/section/item']})) qtiRecords.push(record);
	t.is(qtiRecords.length, supported.length, 'the assessment is well formed');

	// The same backup converted again gives the same manifest.
	const again = await runBackup(site, {type: 'course', id: COURSE_ID, settings: plan, destination: {dir: path.join(demo.dir, 'again')}});
	t.is((await readZip(again.path!)).entries.get('imsmanifest.xml')!.toString('utf8'), manifestText);

	// A cartridge is not a Moodle backup: inspect says so.
	const error = await t.throwsAsync(() => inspectCommand.run([result.path!]), {instanceOf: ArchiveError});
	t.regex(error!.message, /not a Moodle 2\+ backup but an IMS Common Cartridge \(imsmanifest.xml\)/);
});

test.serial('without --out the cartridge goes to the private backup area as .imscc', async t => {
	const demo = await demoSite();
	const {site} = demo;
	t.teardown(async () => {
		await site.close().catch(() => undefined);
		await fs.promises.rm(demo.dir, {recursive: true, force: true});
	});
	const {plan} = await planBackup(site.db, 'course', COURSE_ID, {root: {imscc11: true}});
	const result = await runBackup(site, {type: 'course', id: COURSE_ID, settings: plan, destination: {area: 'course'}});
	t.truthy(result.areaFileId);
	const row = (await site.db.get<{component: string; filearea: string; filename: string; contenthash: string}>(
		'SELECT component, filearea, filename, contenthash FROM {files} WHERE id = ?', [result.areaFileId!],
	))!;
	t.is(row.component, 'user');
	t.is(row.filearea, 'backup');
	t.is(row.filename, result.filename);
	t.regex(row.filename, /\.imscc$/);
	const stored = path.join(demo.dir, 'stored.imscc');
	await new Promise<void>((resolve, reject) => site.pool.open(row.contenthash).pipe(fs.createWriteStream(stored)).on('finish', resolve).on('error', reject));
	t.true((await readZip(stored)).entries.has('imsmanifest.xml'));
});

test.serial('mbz backup --course --imscc11 --out writes a cartridge; --imscc11 is refused for other backups', async t => {
	const demo = await demoSite();
	await demo.site.close();
	t.teardown(() => fs.promises.rm(demo.dir, {recursive: true, force: true}));
	const out = path.join(demo.dir, 'cli');
	const original = process.stdout.write.bind(process.stdout);
	let output = '';
	process.stdout.write = ((chunk: string | Uint8Array) => {
		output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
		return true;
	}) as typeof process.stdout.write;
	let code: number;
	try {
		code = await backupCommand.run(['--course', String(COURSE_ID), '--site', demo.siteDir, '--imscc11', '--out', out, '--json']);
	} finally {
		process.stdout.write = original;
	}
	t.is(code, 0);
	const written = fs.readdirSync(out);
	t.is(written.length, 1);
	t.regex(written[0]!, /\.imscc$/);
	t.true(output.includes(written[0]!));
	t.true((await readZip(path.join(out, written[0]!))).entries.has('imsmanifest.xml'));
	await t.throwsAsync(() => backupCommand.run(['--activity', String(demo.pageCmid), '--site', demo.siteDir, '--imscc11', '--out', out]), {instanceOf: UsageError, message: /--imscc11/});
});
