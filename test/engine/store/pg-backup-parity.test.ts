/**
 * The same course backed up from an SQLite site and from a PostgreSQL site holding the same data (the
 * deterministic demo) gives the same archive, entry for entry and byte for byte, except what names the
 * moment and the site (date, file name, site identifier hash, backup id). Runs when MBZ_TEST_PG is set.
 */
import {buffer} from 'node:stream/consumers';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {readArchive} from '../../../source/engine/archive/read-archive.js';
import {planBackup} from '../../../source/engine/backup/plan-backup.js';
import {runBackup} from '../../../source/engine/backup/run-backup.js';
import type {Site} from '../../../source/engine/store/site.js';
import {initTestSite, siteAdapters} from '../../helpers/site-adapters.js';

/** What differs between two backups of the same data taken on two sites at two moments. */
function withoutMomentAndSite(entry: string, text: string): string {
	if (entry === '.ARCHIVE_INDEX') return text.replace(/\t\d+$/gm, '\t<mtime>');
	if (entry !== 'moodle_backup.xml') return text;
	return text
		.replace(/\d{8}-\d{4}\.mbz/g, '<date>.mbz')
		.replace(/<backup_date>\d+<\/backup_date>/, '<backup_date/>')
		.replace(/<original_site_identifier_hash>[0-9a-f]+</, '<original_site_identifier_hash><')
		.replace(/backup_id="[0-9a-f]+"/, 'backup_id=""');
}

async function backupEntries(site: Site, courseId: number, dir: string): Promise<Map<string, Buffer>> {
	const {plan} = await planBackup(site.db, 'course', courseId);
	const result = await runBackup(site, {type: 'course', id: courseId, settings: plan, destination: {dir}});
	const entries = new Map<string, Buffer>();
	await readArchive(result.path!, async entry => {
		if (entry.type === 'file') entries.set(entry.path, await buffer(entry.content));
	});
	return entries;
}

// With PostgreSQL configured: SQLite against PostgreSQL. Without: two SQLite sites, which still checks that
// nothing in a backup depends on the site it came from beyond the fields named above.
const compared = [siteAdapters[0]!, siteAdapters.at(-1)!];

test(`a demo course backs up identically from ${compared.map(adapter => adapter.name).join(' and ')} sites`, async t => {
	const out = await fs.mkdtemp(path.join(os.tmpdir(), 'mbz-parity-'));
	t.teardown(() => fs.rm(out, {recursive: true, force: true}));
	const backups: Array<Map<string, Buffer>> = [];
	for (const [index, adapter] of compared.entries()) {
		const location = await adapter.createLocation();
		t.teardown(() => location.cleanup());
		const site = await initTestSite(location, {demo: true});
		t.teardown(() => site.close());
		const course = await site.db.get<{id: number}>('SELECT id FROM {course} WHERE shortname = ?', ['HIST101']);
		const dir = path.join(out, `${index}-${adapter.name}`);
		await fs.mkdir(dir);
		backups.push(await backupEntries(site, Number(course!.id), dir));
	}
	const [first, second] = backups as [Map<string, Buffer>, Map<string, Buffer>];
	t.deepEqual([...second.keys()].sort(), [...first.keys()].sort());
	t.true(first.size > 100);
	const different: string[] = [];
	for (const [entry, content] of first) {
		const other = second.get(entry)!;
		if (entry === '.ARCHIVE_INDEX' || entry === 'moodle_backup.xml') {
			if (withoutMomentAndSite(entry, content.toString('utf8')) !== withoutMomentAndSite(entry, other.toString('utf8'))) different.push(entry);
		} else if (!content.equals(other)) {
			different.push(entry);
		}
	}
	t.deepEqual(different, []);
});
