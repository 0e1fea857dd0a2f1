import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {backupCommand} from '../../../source/commands/backup.js';
import {StoreError, UsageError} from '../../../source/engine/errors.js';
import {openSite} from '../../../source/engine/store/site.js';
import {freshSite, readAllEntries, tempDir} from './archive-contents.js';
import {seedCourse, type SeededCourse} from './seed-course.js';

process.env['MBZ_CONFIG_DIR'] = await tempDir('mbz-backup-prefs-');
// File names follow the admin's language (LANG when nothing else says): English unless a test says otherwise.
process.env['LANG'] = 'C.UTF-8';
delete process.env['LC_ALL'];
delete process.env['LC_MESSAGES'];

async function captureStdout(work: () => Promise<number>): Promise<{code: number; output: string}> {
	const original = process.stdout.write.bind(process.stdout);
	let output = '';
	process.stdout.write = ((chunk: string | Uint8Array) => {
		output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
		return true;
	}) as typeof process.stdout.write;
	try {
		return {code: await work(), output};
	} finally {
		process.stdout.write = original;
	}
}

async function seededSite(): Promise<{siteDir: string; dir: string; seeded: SeededCourse}> {
	const {site, dir} = await freshSite();
	const seeded = await seedCourse(site);
	await site.close();
	return {siteDir: path.join(dir, 'site'), dir, seeded};
}

test.serial('mbz backup --course --out --json writes the archive and reports it', async t => {
	const {siteDir, dir, seeded} = await seededSite();
	t.teardown(() => fs.promises.rm(dir, {recursive: true, force: true}));
	const out = path.join(dir, 'out');
	const {code, output} = await captureStdout(() => backupCommand.run([
		'--course', String(seeded.courseId), '--site', siteDir, '--out', out, '--json', '--no-badges', '--exclude', 'section:2', '--no-userdata', String(seeded.labelCmid),
	]));
	t.is(code, 0);
	const result = JSON.parse(output) as {path: string; bytes: number; filename: string; counts: {sections: number; activities: number}};
	t.is(result.path, path.join(out, result.filename));
	t.is(fs.statSync(result.path).size, result.bytes);
	t.is(result.counts.sections, 2);
	const entries = await readAllEntries(result.path);
	const main = entries.get('moodle_backup.xml')!.toString();
	t.true(main.includes('<name>badges</name>\n        <value>0</value>'));
	t.true(main.includes(`<name>label_${seeded.labelCmid}_userinfo</name>\n        <value>0</value>`));
});

test.serial('mbz backup without users goes to the private backup area by default, and prints a summary', async t => {
	const {siteDir, dir, seeded} = await seededSite();
	t.teardown(() => fs.promises.rm(dir, {recursive: true, force: true}));
	const {code, output} = await captureStdout(() => backupCommand.run(['--course', String(seeded.courseId), '--site', siteDir, '--no-users']));
	t.is(code, 0);
	t.regex(output, /^backup-moodle2-course-\d+-sci_101-\d{8}-\d{4}-nu\.mbz\n/);
	t.regex(output, /saved to +user backup area, file id \d+/);
	t.regex(output, /2 activities, 0 users/);
	const site = await openSite(siteDir);
	t.teardown(() => site.close());
	const stored = await site.db.get<{n: number}>("SELECT COUNT(*) AS n FROM {files} WHERE component = 'user' AND filearea = 'backup' AND filename LIKE '%-nu.mbz'");
	t.is(Number(stored!.n), 1);
});

test.serial('mbz backup refuses contradictory or incomplete requests with a usage error', async t => {
	await t.throwsAsync(backupCommand.run(['--course', '2', '--section', '3']), {instanceOf: UsageError, message: /exactly one of/});
	await t.throwsAsync(backupCommand.run([]), {instanceOf: UsageError});
	await t.throwsAsync(backupCommand.run(['--course', '2', '--no-users', '--anonymize']), {instanceOf: UsageError, message: /anonymize/});
	await t.throwsAsync(backupCommand.run(['--course', '2', '--exclude', 'bogus']), {instanceOf: UsageError});
	const {siteDir, dir} = await seededSite();
	t.teardown(() => fs.promises.rm(dir, {recursive: true, force: true}));
	await t.throwsAsync(backupCommand.run(['--course', '999', '--site', siteDir, '--out', dir]), {instanceOf: UsageError, message: /course 999 does not exist/});
});

test.serial('the file name is in the admin\'s language: LANG=fr_FR gives sauvegarde-..., --lang wins over it', async t => {
	const {siteDir, dir, seeded} = await seededSite();
	t.teardown(() => fs.promises.rm(dir, {recursive: true, force: true}));
	process.env['LANG'] = 'fr_FR.UTF-8';
	t.teardown(() => {
		process.env['LANG'] = 'C.UTF-8';
	});
	const french = await captureStdout(() => backupCommand.run(['--course', String(seeded.courseId), '--site', siteDir, '--out', path.join(dir, 'fr'), '--json']));
	t.regex((JSON.parse(french.output) as {filename: string}).filename, /^sauvegarde-moodle2-course-/);
	const english = await captureStdout(() => backupCommand.run(['--course', String(seeded.courseId), '--site', siteDir, '--out', path.join(dir, 'en'), '--json', '--lang', 'en']));
	t.regex((JSON.parse(english.output) as {filename: string}).filename, /^backup-moodle2-course-/);
});

test.serial('an IMS Common Cartridge without --out is reported where it is stored: the private backup area', async t => {
	const {siteDir, dir, seeded} = await seededSite();
	t.teardown(() => fs.promises.rm(dir, {recursive: true, force: true}));
	const {code, output} = await captureStdout(() => backupCommand.run(['--course', String(seeded.courseId), '--site', siteDir, '--imscc11', '--json']));
	t.is(code, 0);
	const result = JSON.parse(output) as {filename: string; area: string; destination: {area: string}; areaFileId: number; counts: Record<string, number>};
	// A cartridge has no users (IMS CC locks them off, so its name says -nu as Moodle's does), groups or roles.
	t.regex(result.filename, /-nu\.imscc$/);
	t.is(result.destination.area, 'user');
	t.like(result.counts, {users: 0, groups: 0, roles: 0});
	const site = await openSite(siteDir);
	try {
		const {listAreas} = await import('../../../source/engine/areas/backup-areas.js');
		t.is((await listAreas(site)).find(file => file.id === result.areaFileId)?.area, 'user');
	} finally {
		await site.close();
	}
	// --no-users beside it says the same thing again: taken, not refused as locked.
	const again = await captureStdout(() => backupCommand.run(['--course', String(seeded.courseId), '--site', siteDir, '--imscc11', '--no-users', '--json']));
	t.is(again.code, 0);
});

test.serial('--out makes its directory but not missing parents: a mistyped path fails with one line and leaves nothing', async t => {
	const {siteDir, dir, seeded} = await seededSite();
	t.teardown(() => fs.promises.rm(dir, {recursive: true, force: true}));
	const typo = path.join(dir, 'backpus', 'weekly');
	await t.throwsAsync(backupCommand.run(['--course', String(seeded.courseId), '--site', siteDir, '--out', typo]),
		{instanceOf: StoreError, message: `cannot write backups to ${typo}: ${path.join(dir, 'backpus')} does not exist`});
	t.false(fs.existsSync(path.join(dir, 'backpus')), 'no directory made');
	const file = path.join(dir, 'a-file');
	fs.writeFileSync(file, 'x');
	await t.throwsAsync(backupCommand.run(['--course', String(seeded.courseId), '--site', siteDir, '--out', file]), {instanceOf: StoreError, message: /it is not a directory$/});
	const {code} = await captureStdout(() => backupCommand.run(['--course', String(seeded.courseId), '--site', siteDir, '--out', path.join(dir, 'new-dir')]));
	t.is(code, 0, 'one missing level is made');
});

test.serial('the file name is written in the admin\'s time zone, else the site\'s, as Moodle\'s userdate does; not the server\'s', async t => {
	const {siteDir, dir, seeded} = await seededSite();
	t.teardown(() => fs.promises.rm(dir, {recursive: true, force: true}));
	// Zones far from the process's (UTC here) and from each other: the hour tells which one was used.
	const stamp = (zone: string): string => {
		const parts = Object.fromEntries(new Intl.DateTimeFormat('en', {timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23'})
			.formatToParts(new Date()).map(part => [part.type, part.value]));
		return `${parts['year']}${parts['month']}${parts['day']}-${parts['hour']}`;
	};
	const site = await openSite(siteDir);
	try {
		await site.db.run("DELETE FROM {config} WHERE name = 'timezone'");
		await site.db.run("INSERT INTO {config} (name, value) VALUES ('timezone', 'Pacific/Kiritimati')");
		await site.db.run("UPDATE {user} SET timezone = '99' WHERE id = 2");
	} finally {
		await site.close();
	}
	const run = async (): Promise<string> => {
		const out = path.join(dir, `out-${Math.random().toString(36).slice(2)}`);
		const {output} = await captureStdout(() => backupCommand.run(['--course', String(seeded.courseId), '--site', siteDir, '--out', out, '--json']));
		return (JSON.parse(output) as {filename: string}).filename;
	};
	// Stamped before and after, so a run across the hour still passes.
	const named = async (zone: string): Promise<boolean> => {
		const before = stamp(zone);
		const name = await run();
		return name.includes(`-${before}`) || name.includes(`-${stamp(zone)}`);
	};
	t.true(await named('Pacific/Kiritimati'), 'the site\'s zone');
	const again = await openSite(siteDir);
	try {
		await again.db.run("UPDATE {user} SET timezone = 'America/Anchorage' WHERE id = 2");
	} finally {
		await again.close();
	}
	t.true(await named('America/Anchorage'), 'the admin\'s own zone first');
});
