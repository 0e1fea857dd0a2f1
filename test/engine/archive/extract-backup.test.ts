import test from 'ava';
import {createHash} from 'node:crypto';
import {existsSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {extractBackup} from '../../../source/engine/archive/extract-backup.js';
import {ArchiveError} from '../../../source/engine/errors.js';
import {fixturePath, tempDir} from '../../helpers/fixtures.js';
import {withoutManifest} from './broken-archives.js';

for (const name of ['rich101_users.mbz', 'rich101_users_zipformat.mbz']) {
	test(`${name}: XML goes under xmlDir, blobs to onBlob with their sha1, the index is not extracted`, async (t) => {
		const xmlDir = join(await tempDir(t), 'xml');
		const blobs = new Map<string, number>();
		const summary = await extractBackup(fixturePath(name), {
			xmlDir,
			async onBlob(sha1, size, content) {
				const hash = createHash('sha1');
				let read = 0;
				for await (const chunk of content) {
					hash.update(chunk as Buffer);
					read += (chunk as Buffer).length;
				}
				t.is(read, size);
				t.is(hash.digest('hex'), sha1);
				blobs.set(sha1, size);
			},
		});
		t.is(blobs.size, 10);
		t.true(summary.entries > 250);
		t.true((await readFile(join(xmlDir, 'moodle_backup.xml'), 'utf8')).startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<moodle_backup>'));
		t.true(existsSync(join(xmlDir, 'sections', 'section_143', 'section.xml')));
		t.true(existsSync(join(xmlDir, 'activities', 'forum_445', 'forum.xml')));
		t.false(existsSync(join(xmlDir, '.ARCHIVE_INDEX')));
		t.false(existsSync(join(xmlDir, 'files')), 'blobs are not written with the XML');
	});
}

test('without onBlob the blobs are skipped', async (t) => {
	const xmlDir = join(await tempDir(t), 'xml');
	await extractBackup(fixturePath('rich101_nousers.mbz'), {xmlDir});
	t.true(existsSync(join(xmlDir, 'files.xml')));
	t.false(existsSync(join(xmlDir, 'files')));
});

test('an archive without moodle_backup.xml is refused', async (t) => {
	const dir = await tempDir(t);
	const file = await withoutManifest(dir);
	await t.throwsAsync(extractBackup(file, {xmlDir: join(dir, 'xml')}), {instanceOf: ArchiveError, message: /no moodle_backup\.xml/});
});
