import fs from 'node:fs';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import test from 'ava';
import {readArchive} from '../../../source/engine/archive/read-archive.js';
import {buildCartridge} from '../../../source/engine/backup/imscc/export-imscc.js';
import {maxAttempts} from '../../../source/engine/backup/imscc/convert-quiz.js';
import {cartridgeFileName} from '../../../source/engine/backup/imscc/cartridge.js';
import {fixturePath} from '../../helpers/fixtures.js';
import {tempDir} from './archive-contents.js';
import type {Notice} from '../../../source/engine/notices.js';

/** A real Moodle backup extracted as the moodle2 directory the converter works on. */
async function extracted(name: string): Promise<string> {
	const root = await tempDir('mbz-imscc-fixture-');
	await readArchive(fixturePath(name), async entry => {
		const target = path.join(root, entry.path);
		if (entry.type === 'directory') {
			await fs.promises.mkdir(target, {recursive: true});
			return;
		}
		await fs.promises.mkdir(path.dirname(target), {recursive: true});
		await pipeline(entry.content, fs.createWriteStream(target));
	});
	return root;
}

test('the real RICH101 backup converts: seven sections in order, activities in sequence order, files and quiz', async t => {
	const root = await extracted('rich101_users.mbz');
	t.teardown(() => fs.promises.rm(root, {recursive: true, force: true}));
	const notices: Notice[] = [];
	const {cartridge, manifest} = await buildCartridge(root, notices);
	const warnings = notices.map(String);
	t.deepEqual(cartridge.items.map(item => item.title), ['General', 'Introduction', 'Resources', 'Discussion', 'Assessment', 'Glossary & vocabulary', 'Hidden extras']);
	t.true(manifest.includes('<lomimscc:string>Rich fixture course – Histoire &amp; Géographie</lomimscc:string>'));
	t.true(manifest.includes('<lomimscc:entry>Peer fixtures</lomimscc:entry>'));
	// Section sequences from the manifest of the fixture; assign, book, chat, choice and glossary have no CC equivalent.
	const unsupported = new Set([448, 444, 446, 447, 450]);
	const sequences = [[436, 437], [438, 439, 440], [441, 442, 443, 444], [445, 446, 447], [448, 449], [450, 452], [451]];
	t.deepEqual(
		cartridge.items.map(item => item.children.map(child => Number(/^I_M(\d+)/.exec(child.identifier)![1]))),
		sequences.map(sequence => sequence.filter(cmid => !unsupported.has(cmid))),
	);
	for (const cmid of unsupported) t.true(warnings.some(warning => warning.includes(` ${cmid} `)), `warning for ${cmid}`);
	const types = new Map(cartridge.resources.map(resource => [resource.identifier, resource.type]));
	t.is(types.get('I_M449_R'), 'imsqti_xmlv1p2/imscc_xmlv1p1/assessment');
	t.is(types.get('I_M445_R'), 'imsdt_xmlv1p1');
	t.is(types.get('I_M440_R'), 'imswl_xmlv1p1');
	// The folder's 4 files (in /week1/ and /week2/) and the 2 resources' files are copied from the backup's pool.
	const copied = cartridge.entries.filter(entry => 'source' in entry);
	t.is(copied.length, 6);
	for (const entry of copied) t.true('source' in entry && fs.existsSync(entry.source), `${entry.path} has its content`);
	for (const resource of cartridge.resources) {
		for (const dependency of resource.dependencies) t.true(types.has(dependency), `${resource.identifier} depends on ${dependency}`);
		for (const file of resource.files) t.true(cartridge.entries.some(entry => entry.path === file), `${file} is packed`);
	}
	// The quiz uses 3 of the 4 questions; the numerical one is not a CC type.
	const assessment = cartridge.entries.find(entry => entry.path === 'i_m449/assessment.xml');
	t.truthy(assessment && 'text' in assessment);
	const items = [...(assessment as {text: string}).text.matchAll(/<item ident=/g)].length;
	const numerical = warnings.filter(warning => warning.includes('numerical')).length;
	t.is(items + numerical, 3);
});

test('cartridge names and attempts follow Moodle', t => {
	t.is(cartridgeFileName('Fiche Méthode 1.PDF'), 'fiche_méthode_1.pdf');
	t.is(maxAttempts(0), 'unlimited');
	t.is(maxAttempts(3), '3');
	t.is(maxAttempts(5), '5');
	t.is(maxAttempts(6), 'unlimited');
});
