import test from 'ava';
import {createHash} from 'node:crypto';
import {existsSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {readRestoreArchive} from '../../../source/engine/restore/backup-archive.js';
import {ArchiveError} from '../../../source/engine/errors.js';
import {FilePool} from '../../../source/engine/store/file-pool.js';
import {fixturePath, tempDir} from '../../helpers/fixtures.js';
import {withoutManifest} from '../archive/broken-archives.js';

for (const name of ['rich101_users.mbz', 'rich101_users_zipformat.mbz']) {
	test(`${name}: XML goes under xmlDir, bodies are staged under their sha1, the index is not extracted`, async (t) => {
		const dir = await tempDir(t);
		const xmlDir = join(dir, 'xml');
		const staging = new FilePool(join(dir, 'filedir')).openStaging();
		t.teardown(() => staging.discard());
		const summary = await readRestoreArchive(fixturePath(name), xmlDir, staging);
		t.is(staging.hashes().length, 10);
		for (const sha1 of staging.hashes()) {
			t.is(createHash('sha1').update(await readFile(staging.location(sha1))).digest('hex'), sha1);
		}
		t.is(summary.bodies.size, 10);
		t.is(summary.xmlEntries.length, 231, 'every entry outside files/ but the index');
		t.true((await readFile(join(xmlDir, 'moodle_backup.xml'), 'utf8')).startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<moodle_backup>'));
		t.true(existsSync(join(xmlDir, 'sections', 'section_143', 'section.xml')));
		t.true(existsSync(join(xmlDir, 'activities', 'forum_445', 'forum.xml')));
		t.false(existsSync(join(xmlDir, '.ARCHIVE_INDEX')));
		t.false(existsSync(join(xmlDir, 'files')), 'bodies are not written with the XML');
	});
}

test('a backup without bodies: the XML only, nothing staged', async (t) => {
	const dir = await tempDir(t);
	const xmlDir = join(dir, 'xml');
	const staging = new FilePool(join(dir, 'filedir')).openStaging();
	t.teardown(() => staging.discard());
	await readRestoreArchive(fixturePath('rich101_nousers.mbz'), xmlDir, staging);
	t.true(existsSync(join(xmlDir, 'files.xml')));
	t.false(existsSync(join(xmlDir, 'files')));
});

test('an archive without moodle_backup.xml is refused', async (t) => {
	const dir = await tempDir(t);
	const file = await withoutManifest(dir);
	const staging = new FilePool(join(dir, 'filedir')).openStaging();
	t.teardown(() => staging.discard());
	await t.throwsAsync(readRestoreArchive(file, join(dir, 'xml'), staging), {instanceOf: ArchiveError, message: /no moodle_backup\.xml/});
});
