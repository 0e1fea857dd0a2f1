/**
 * Our XML against Moodle's own: for every file kind both archives have, each element path we write exists in
 * the real fixture (rich101_users.mbz, made by Moodle 4.1.10), and the paths we share come in Moodle's order.
 */
import fs from 'node:fs';
import path from 'node:path';
import {Readable} from 'node:stream';
import test from 'ava';
import sax from 'sax';
import {planBackup} from '../../../source/engine/backup/plan-backup.js';
import {runBackup} from '../../../source/engine/backup/run-backup.js';
import {fixturePath} from '../../helpers/fixtures.js';
import {freshSite, readAllEntries} from './archive-contents.js';
import {seedCourse} from './seed-course.js';

/** Distinct element paths in order of first appearance. */
async function elementPaths(content: Buffer): Promise<string[]> {
	const parser = sax.createStream(true);
	const stack: string[] = [];
	const seen = new Set<string>();
	const ordered: string[] = [];
	parser.on('opentag', node => {
		stack.push(node.name);
		const current = `/${stack.join('/')}`;
		if (!seen.has(current)) {
			seen.add(current);
			ordered.push(current);
		}
	});
	parser.on('closetag', () => stack.pop());
	await new Promise<void>((resolve, reject) => {
		parser.on('end', resolve);
		parser.on('error', reject);
		Readable.from([content]).pipe(parser);
	});
	return ordered;
}

/** Maps an entry to its kind: ids in directory names do not matter. */
const kindOf = (entry: string) => entry.replace(/^sections\/section_\d+\//, 'sections/*/').replace(/^activities\/([a-z]+)_\d+\//, 'activities/$1/').replace(/blocks\/([a-z_]+)_\d+\//, 'blocks/$1/');

test('every element we write is one Moodle writes, in Moodle\'s order', async t => {
	const {site, dir} = await freshSite(t);
	const seeded = await seedCourse(site);
	const {plan} = await planBackup(site.db, 'course', seeded.courseId);
	const result = await runBackup(site, {type: 'course', id: seeded.courseId, settings: plan, destination: {dir: path.join(dir, 'out')}});
	const ours = await readAllEntries(result.path!);
	const moodle = await readAllEntries(fixturePath('rich101_users.mbz'));

	const moodleByKind = new Map<string, Buffer[]>();
	for (const [entry, content] of moodle) {
		if (!entry.endsWith('.xml')) continue;
		const list = moodleByKind.get(kindOf(entry)) ?? [];
		list.push(content);
		moodleByKind.set(kindOf(entry), list);
	}
	const moodlePaths = new Map<string, string[]>();
	for (const [kind, contents] of moodleByKind) {
		const merged: string[] = [];
		for (const content of contents) for (const item of await elementPaths(content)) if (!merged.includes(item)) merged.push(item);
		moodlePaths.set(kind, merged);
	}

	let compared = 0;
	for (const [entry, content] of ours) {
		if (!entry.endsWith('.xml')) continue;
		const reference = moodlePaths.get(kindOf(entry));
		if (!reference) continue;
		compared++;
		const paths = await elementPaths(content);
		const unknown = paths.filter(item => !reference.includes(item));
		t.deepEqual(unknown, [], `${entry}: elements Moodle does not write`);
		const shared = paths.filter(item => reference.includes(item));
		const referenceOrder = reference.filter(item => shared.includes(item));
		t.deepEqual(shared, referenceOrder, `${entry}: element order`);
	}
	t.true(compared >= 30, `compared ${compared} files`);

	// The same root files as Moodle's course backup (moodle_backup.log is optional).
	const rootFiles = (entries: Map<string, Buffer>) => [...entries.keys()].filter(name => !name.includes('/') && name !== '.ARCHIVE_INDEX' && name !== 'moodle_backup.log').sort();
	t.deepEqual(rootFiles(ours), rootFiles(moodle));
	const courseFiles = (entries: Map<string, Buffer>) => [...entries.keys()].filter(name => /^course\/[^/]+$/.test(name)).sort();
	t.deepEqual(courseFiles(ours), courseFiles(moodle));
});
