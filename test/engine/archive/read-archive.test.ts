import test from 'ava';
import {createHash} from 'node:crypto';
import {stat} from 'node:fs/promises';
import {readArchive, type ArchiveEntry} from '../../../source/engine/archive/read-archive.js';
import {fixturePath} from '../../helpers/fixtures.js';

type Seen = {path: string; type: string; size: number};

async function list(name: string): Promise<{entries: Seen[]; summary: Awaited<ReturnType<typeof readArchive>>}> {
	const entries: Seen[] = [];
	const summary = await readArchive(fixturePath(name), (entry) => {
		entries.push({path: entry.path, type: entry.type, size: entry.size});
	});
	return {entries, summary};
}

test('a gzip\'d tar backup: .ARCHIVE_INDEX first, moodle_backup.xml later, sizes add up', async (t) => {
	const {entries, summary} = await list('rich101_users.mbz');
	t.is(summary.container, 'tgz');
	t.is(summary.entries, 282);
	t.is(entries[0]!.path, '.ARCHIVE_INDEX');
	t.true(entries.findIndex((entry) => entry.path === 'moodle_backup.xml') > 1);
	t.is(summary.bytes, entries.reduce((sum, entry) => sum + entry.size, 0));
	t.true(entries.some((entry) => entry.path === 'activities' && entry.type === 'directory'), 'directory paths lose their trailing slash');
});

test('zip and tar.gz variants of the same backup hold the same entries', async (t) => {
	const tgz = await list('rich101_users.mbz');
	const zip = await list('rich101_users_zipformat.mbz');
	t.is(zip.summary.container, 'zip');
	const key = (entry: Seen): string => `${entry.type} ${entry.path} ${entry.size}`;
	// moodle_backup.xml and the log differ (taken at another time); everything else has the same paths.
	const paths = (entries: Seen[]) => entries.filter((entry) => entry.path !== '.ARCHIVE_INDEX').map((entry) => `${entry.type} ${entry.path}`).sort();
	t.deepEqual(paths(zip.entries), paths(tgz.entries));
	const blobs = (entries: Seen[]) => entries.filter((entry) => entry.path.startsWith('files/')).map(key).sort();
	t.deepEqual(blobs(zip.entries), blobs(tgz.entries));
});

test('content read by the handler is complete; unread content is skipped', async (t) => {
	for (const name of ['rich101_users.mbz', 'rich101_users_zipformat.mbz']) {
		let checked = 0;
		await readArchive(fixturePath(name), async (entry: ArchiveEntry) => {
			if (entry.type !== 'file' || !entry.path.startsWith('files/') || checked % 2 === 1) {
				if (entry.path.startsWith('files/') && entry.type === 'file') checked++;
				return; // left unread: drained by readArchive
			}
			const hash = createHash('sha1');
			let size = 0;
			for await (const chunk of entry.content) {
				hash.update(chunk as Buffer);
				size += (chunk as Buffer).length;
			}
			t.is(size, entry.size, entry.path);
			t.is(hash.digest('hex'), entry.path.split('/').at(-1) ?? '', `${name}: ${entry.path} content matches its sha1 name`);
			checked++;
		});
		t.is(checked, 10, `${name}: 10 blobs`);
	}
});

test('an error thrown by the handler stops the pass and reaches the caller', async (t) => {
	let seen = 0;
	await t.throwsAsync(
		readArchive(fixturePath('gen_S_users.mbz'), (entry) => {
			seen++;
			if (entry.path === 'files.xml') throw new Error('stop here');
		}),
		{message: 'stop here'},
	);
	t.true(seen > 1);
});

test('progress: bytes of the archive read, never going back, ending at its size (gzip\'d tar and zip)', async (t) => {
	for (const name of ['gen_S_users.mbz', 'rich101_users_zipformat.mbz']) {
		const {size} = await stat(fixturePath(name));
		const reports: Array<[number, number]> = [];
		let entriesWhenHalfRead = -1;
		let entries = 0;
		await readArchive(fixturePath(name), () => {
			entries++;
		}, (done, total) => {
			reports.push([done, total]);
			if (entriesWhenHalfRead === -1 && done >= total / 2) entriesWhenHalfRead = entries;
		});
		t.true(reports.length > 1, `${name}: reported along the way, not only at the end`);
		t.true(reports.every(([, total]) => total === size), `${name}: the total is the file's size`);
		t.true(reports.every(([done], index) => index === 0 || done >= reports[index - 1]![0]), `${name}: never goes back`);
		t.deepEqual(reports.at(-1), [size, size], `${name}: ends at the whole file`);
		const percents = reports.map(([done]) => Math.floor((done / size) * 100));
		t.is(new Set(percents).size, percents.length, `${name}: once per whole percent`);
		t.true(entriesWhenHalfRead > 0 && entriesWhenHalfRead < entries, `${name}: half the file read while entries were still coming`);
	}
});
