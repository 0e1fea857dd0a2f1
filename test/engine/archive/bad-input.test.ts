import test from 'ava';
import {mkdir} from 'node:fs/promises';
import {join} from 'node:path';
import {readArchive} from '../../../source/engine/archive/read-archive.js';
import {ArchiveError, XmlError} from '../../../source/engine/errors.js';
import {readBackupDetails} from '../../../source/engine/details/read-backup-details.js';
import {tempDir} from '../../helpers/fixtures.js';
import * as broken from './broken-archives.js';

const readAll = (file: string) => readArchive(file, () => undefined);

test('missing file', async (t) => {
	const dir = await tempDir(t);
	const file = join(dir, 'missing.mbz');
	await t.throwsAsync(readAll(file), {instanceOf: ArchiveError, message: `${file}: no such file`});
});

test('a directory', async (t) => {
	const dir = await tempDir(t);
	const sub = join(dir, 'course.mbz');
	await mkdir(sub);
	await t.throwsAsync(readAll(sub), {instanceOf: ArchiveError, message: `${sub}: is a directory, not a backup file`});
});

test('empty file', async (t) => {
	const file = await broken.emptyFile(await tempDir(t));
	await t.throwsAsync(readAll(file), {instanceOf: ArchiveError, message: `${file}: empty file, not a Moodle backup`});
});

test('not an archive', async (t) => {
	const file = await broken.notAnArchive(await tempDir(t));
	await t.throwsAsync(readAll(file), {instanceOf: ArchiveError, message: `${file}: not a Moodle backup (neither gzip'd tar nor zip)`});
});

test('truncated gzip', async (t) => {
	const file = await broken.truncatedGzip(await tempDir(t));
	await t.throwsAsync(readAll(file), {instanceOf: ArchiveError, message: `${file}: truncated gzip data (unexpected end of file)`});
	// Also while a handler is reading an entry's content.
	await t.throwsAsync(readBackupDetails(file), {instanceOf: ArchiveError, message: /truncated gzip data/});
});

test('bad gzip CRC', async (t) => {
	const file = await broken.badGzipCrc(await tempDir(t));
	await t.throwsAsync(readAll(file), {instanceOf: ArchiveError, message: `${file}: corrupt gzip data (CRC check failed)`});
});

test('corrupt tar header (checksum)', async (t) => {
	const file = await broken.corruptTarHeader(await tempDir(t));
	await t.throwsAsync(readAll(file), {instanceOf: ArchiveError, message: `${file}: corrupt tar header after entry .ARCHIVE_INDEX (bad checksum or not ustar)`});
});

test('zip with a bad central directory', async (t) => {
	const file = await broken.badZipCentralDirectory(await tempDir(t));
	await t.throwsAsync(readAll(file), {instanceOf: ArchiveError, message: new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: corrupt zip \\(bad central directory: `)});
});

test('zip entry whose data inflates into other bytes: its CRC-32 tells', async (t) => {
	const file = await broken.zipEntryWithDamagedData(await tempDir(t), 'course/enrolments.xml');
	const message = `${file}: course/enrolments.xml: corrupt zip (CRC-32 mismatch: the entry's data is damaged)`;
	await t.throwsAsync(readAll(file), {instanceOf: ArchiveError, message});
	// A handler reading the entry sees the same error once it has read it all.
	await t.throwsAsync(readArchive(file, async (entry) => {
		for await (const _chunk of entry.content) void _chunk;
	}), {instanceOf: ArchiveError, message});
});

test('no moodle_backup.xml', async (t) => {
	const file = await broken.withoutManifest(await tempDir(t));
	await t.throwsAsync(readBackupDetails(file), {instanceOf: ArchiveError, message: `${file}: no moodle_backup.xml: not a Moodle 2+ backup`});
});

test('malformed XML names the entry and line', async (t) => {
	const file = await broken.malformedManifest(await tempDir(t));
	const error = await t.throwsAsync(readBackupDetails(file), {instanceOf: XmlError});
	t.is(error?.entry, 'moodle_backup.xml');
	t.is(error?.line, 4);
	t.true(error!.message.startsWith(`${file}: moodle_backup.xml line 4: `));
});

test("entry paths with '..' or absolute paths are refused", async (t) => {
	const dir = await tempDir(t);
	const dotdot = await broken.unsafeEntryPath(dir, 'activities/../../evil.txt', 'dotdot.mbz');
	await t.throwsAsync(readAll(dotdot), {instanceOf: ArchiveError, message: `${dotdot}: activities/../../evil.txt: unsafe entry path (contains '..')`});
	const absolute = await broken.unsafeEntryPath(dir, '/etc/evil', 'absolute.mbz');
	await t.throwsAsync(readAll(absolute), {instanceOf: ArchiveError, message: `${absolute}: /etc/evil: unsafe entry path (absolute path)`});
});

test("a zip entry path with '..' is refused", async (t) => {
	const file = await broken.zipWithDotDot(await tempDir(t));
	await t.throwsAsync(readAll(file), {instanceOf: ArchiveError, message: `${file}: ../evil.txt: unsafe entry path (contains '..')`});
});

test('a Moodle 1.9 backup is named as such', async (t) => {
	const file = await broken.moodle19Backup(await tempDir(t));
	await t.throwsAsync(readAll(file), {
		instanceOf: ArchiveError,
		message: `${file}: this is a Moodle 1.9 backup (moodle.xml); importing Moodle 1.9 backups is not supported yet`,
	});
});
