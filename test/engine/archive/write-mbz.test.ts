import test from 'ava';
import {execFile} from 'node:child_process';
import {readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {promisify} from 'node:util';
import {gunzipSync} from 'node:zlib';
import {readArchive} from '../../../source/engine/archive/read-archive.js';
import {writeMbz, type MbzEntry} from '../../../source/engine/archive/write-mbz.js';
import {ArchiveError} from '../../../source/engine/errors.js';
import {fixturePath, tempDir} from '../../helpers/fixtures.js';

const run = promisify(execFile);

function text(path: string, content: string, mtime?: number): MbzEntry {
	const data = Buffer.from(content, 'utf8');
	return {path, type: 'file', size: data.length, ...(mtime === undefined ? {} : {mtime}), open: () => Readable.from([data])};
}

const ENTRIES: MbzEntry[] = [
	{path: 'course', type: 'directory', size: 0},
	text('course/course.xml', '<?xml version="1.0" encoding="UTF-8"?>\n<course id="9">\n</course>', 1795459511),
	text('moodle_backup.xml', '<?xml version="1.0" encoding="UTF-8"?>\n<moodle_backup>\n</moodle_backup>', 1795459512),
	text(`activities/${'a'.repeat(60)}/${'b'.repeat(60)}.xml`, 'long name', 1795459513),
	{path: 'empty.txt', type: 'file', size: 0, mtime: 1795459514},
];

test('writes .ARCHIVE_INDEX first in Moodle\'s index format, then the entries in order', async (t) => {
	const dir = await tempDir(t);
	const file = join(dir, 'out.mbz');
	const {bytes} = await writeMbz(file, ENTRIES);
	t.true(bytes > 0);
	const seen: Array<{path: string; type: string; size: number; text?: string}> = [];
	const summary = await readArchive(file, async (entry) => {
		let content = '';
		for await (const chunk of entry.content) content += String(chunk);
		seen.push({path: entry.path, type: entry.type, size: entry.size, text: content});
	});
	t.is(summary.container, 'tgz');
	t.deepEqual(seen.map((entry) => entry.path), ['.ARCHIVE_INDEX', 'course', 'course/course.xml', 'moodle_backup.xml', `activities/${'a'.repeat(60)}/${'b'.repeat(60)}.xml`, 'empty.txt']);
	t.is(
		seen[0]!.text,
		'Moodle archive file index. Count: 5\n' +
			'course/\td\t0\t?\n' +
			`course/course.xml\tf\t${ENTRIES[1]!.size}\t1795459511\n` +
			`moodle_backup.xml\tf\t${ENTRIES[2]!.size}\t1795459512\n` +
			`activities/${'a'.repeat(60)}/${'b'.repeat(60)}.xml\tf\t9\t1795459513\n` +
			'empty.txt\tf\t0\t1795459514\n',
	);
	t.is(seen[4]!.text, 'long name');
});

test('system tar reads it: modes, uid/gid 0, ustar magic, default time for the index and directories', async (t) => {
	const dir = await tempDir(t);
	const file = join(dir, 'out.mbz');
	await writeMbz(file, ENTRIES);
	const {stdout} = await run('tar', ['-tzvf', file], {env: {...process.env, TZ: 'UTC', LC_ALL: 'C'}});
	const lines = stdout.trim().split('\n');
	t.is(lines.length, 6);
	t.regex(lines[0]!, /^-rw-r--r-- 0\/0 +\d+ 2013-01-01 00:00 \.ARCHIVE_INDEX$/);
	t.regex(lines[1]!, /^drwxr-xr-x 0\/0 +0 2013-01-01 00:00 course\/$/);
	t.regex(lines[2]!, /^-rw-r--r-- 0\/0 +\d+ 2026-11-23 \d\d:\d\d course\/course\.xml$/);
	t.true(lines[4]!.endsWith(`activities/${'a'.repeat(60)}/${'b'.repeat(60)}.xml`), 'a path over 100 bytes is split into prefix and name');
	const tar = gunzipSync(await readFile(file));
	t.is(tar.subarray(257, 265).toString('latin1'), 'ustar\u000000');
	t.is(tar.subarray(108, 124).toString('latin1'), '0000000\u00000000000\u0000');
	t.is(tar.length % 512, 0);
});

test('re-packing a real Moodle backup reproduces its tar stream byte for byte', async (t) => {
	const source = fixturePath('rich101_users.mbz');
	const entries: MbzEntry[] = [];
	await readArchive(source, async (entry) => {
		if (entry.path === '.ARCHIVE_INDEX') return;
		const chunks: Buffer[] = [];
		for await (const chunk of entry.content) chunks.push(chunk as Buffer);
		const data = Buffer.concat(chunks);
		entries.push(
			entry.type === 'directory'
				? {path: entry.path, type: 'directory', size: 0}
				: {path: entry.path, type: 'file', size: data.length, mtime: Math.floor(entry.mtime!.getTime() / 1000), open: () => Readable.from([data])},
		);
	});
	const dir = await tempDir(t);
	const file = join(dir, 'repacked.mbz');
	await writeMbz(file, entries);
	t.true(gunzipSync(await readFile(file)).equals(gunzipSync(await readFile(source))));
});

test('a failure leaves neither the output nor a temporary file behind', async (t) => {
	const dir = await tempDir(t);
	const file = join(dir, 'out.mbz');
	const broken: MbzEntry = {path: 'x.xml', type: 'file', size: 10, open: () => Readable.from([Buffer.from('short')])};
	await t.throwsAsync(writeMbz(file, [broken]), {instanceOf: ArchiveError, message: /Mismatch between provided sizes: x\.xml/});
	const failing: MbzEntry = {
		path: 'y.xml',
		type: 'file',
		size: 4,
		open: () =>
			new Readable({
				read() {
					this.destroy(new Error('disk on fire'));
				},
			}),
	};
	await t.throwsAsync(writeMbz(file, [failing]), {message: /disk on fire/});
	t.deepEqual(await readdir(dir), []);
});
