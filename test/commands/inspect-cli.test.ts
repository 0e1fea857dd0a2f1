import test from 'ava';
import {execFile} from 'node:child_process';
import {mkdir} from 'node:fs/promises';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {cliPath, fixturePath, tempDir} from '../helpers/fixtures.js';
import * as broken from '../engine/archive/broken-archives.js';

// Runs the built CLI (npm test builds first; alone: npx tsc -p tsconfig.build.json).
const execFileAsync = promisify(execFile);

type Result = {code: number; stdout: string; stderr: string};

async function inspect(...args: string[]): Promise<Result> {
	try {
		const {stdout, stderr} = await execFileAsync(process.execPath, [cliPath, 'inspect', ...args], {env: {...process.env, FORCE_COLOR: '0', MBZ_SITE: ''}});
		return {code: 0, stdout, stderr};
	} catch (error) {
		const failed = error as {code: number; stdout: string; stderr: string};
		return {code: failed.code, stdout: failed.stdout, stderr: failed.stderr};
	}
}

test('the report shows backup details, settings with ✓/✗, course, sections with activities and counts', async (t) => {
	const {code, stdout, stderr} = await inspect(fixturePath('rich101_nousers.mbz'));
	t.is(code, 0, stderr);
	for (const expected of [
		'Backup details',
		'Type                  course',
		'Moodle version        4.1.10 (Build: 20240422) [2022112810]',
		'URL of backup         http://localhost/moodle',
		'Backup settings',
		'users               ✗',
		'activities          ✓',
		'Course details',
		'Full name    Rich fixture course – Histoire & Géographie',
		'Sections (7)',
		'✓ Section 6: Hidden extras (hidden)',
		'✓ quiz 449: Quiz – Antiquité',
		'Users              none (no users.xml)',
		'Enrolment methods  manual 1, guest 1, self 1, cohort 1',
		'Question bank      2 categories, 4 questions',
	]) {
		t.true(stdout.includes(expected), expected);
	}
	const marked = stdout.split('\n').filter((line) => line.endsWith('[user data]'));
	t.deepEqual(marked, [], 'no user data in a backup without users');
});

test('user-data marks appear when the backup has users', async (t) => {
	const {stdout} = await inspect(fixturePath('rich101_users.mbz'));
	t.true(stdout.includes('✓ forum 445: Forum de discussion [user data]'));
	t.true(stdout.includes('Users              15'));
});

test('--json prints the details object with the documented keys', async (t) => {
	const {code, stdout} = await inspect(fixturePath('rich101_users_zipformat.mbz'), '--json');
	t.is(code, 0);
	const details = JSON.parse(stdout) as Record<string, any>;
	for (const key of ['type', 'format', 'mode', 'backupDate', 'moodleRelease', 'backupRelease', 'originalWwwroot', 'originalSiteIdentifierHash', 'settings', 'course', 'sections', 'counts']) {
		t.true(key in details, key);
	}
	t.is(details.type, 'course');
	t.is(details.container, 'zip');
	t.deepEqual(Object.keys(details.course).slice(0, 6), ['id', 'fullname', 'shortname', 'format', 'startdate', 'enddate']);
	t.deepEqual(Object.keys(details.sections[0]), ['id', 'number', 'title', 'directory', 'visible', 'included', 'userinfo', 'activities']);
	t.deepEqual(Object.keys(details.sections[0].activities[0]), ['cmid', 'sectionId', 'modulename', 'title', 'directory', 'included', 'userinfo']);
	t.like(details.counts, {users: 15, files: 13, fileBytes: 34_252, questionCategories: 2, questions: 4, groups: 3, groupings: 2, enrolMethods: {manual: 1, guest: 1, self: 1, cohort: 1}});
});

test('--site tells whether the backup comes from that site', async (t) => {
	const dir = await tempDir(t);
	const site = join(dir, 'site');
	await execFileAsync(process.execPath, [cliPath, 'site', 'init', '--site', site], {env: {...process.env, MBZ_CONFIG_DIR: dir}});
	const {code, stdout} = await inspect(fixturePath('gen_XS_users.mbz'), '--json', '--site', site);
	t.is(code, 0);
	const details = JSON.parse(stdout) as {fromThisSite: boolean | null};
	t.false(details.fromThisSite, 'a fresh site has its own identifier');
	const without = JSON.parse((await inspect(fixturePath('gen_XS_users.mbz'), '--json')).stdout) as {fromThisSite: boolean | null};
	t.is(without.fromThisSite, null);
	const fromEnvironment = await execFileAsync(process.execPath, [cliPath, 'inspect', fixturePath('gen_XS_users.mbz'), '--json'], {env: {...process.env, MBZ_SITE: site}});
	t.false((JSON.parse(fromEnvironment.stdout) as {fromThisSite: boolean | null}).fromThisSite, 'MBZ_SITE names the site as --site does');
});

test('usage errors: no file, extra arguments, unknown flags', async (t) => {
	const none = await inspect();
	t.is(none.code, 2);
	t.is(none.stderr, 'mbz: inspect: which backup? (mbz inspect FILE)\n');
	const extra = await inspect('a.mbz', 'b.mbz');
	t.is(extra.code, 2);
	const unknown = await inspect(fixturePath('gen_XS_users.mbz'), '--jsno');
	t.is(unknown.code, 2);
	t.is(unknown.stderr, 'mbz: unknown option --jsno (see --help)\n', 'one line, like every usage error');
});

test('--json: a failure is also one JSON object on stdout, with the exit code', async (t) => {
	const missing = await inspect('/nonexistent/backup.mbz', '--json');
	t.is(missing.code, 1);
	t.deepEqual(JSON.parse(missing.stdout), {error: {message: '/nonexistent/backup.mbz: no such file', kind: 'ArchiveError', exitCode: 1}});
	const usage = await inspect('--json');
	t.is(usage.code, 2);
	t.like(JSON.parse(usage.stdout), {error: {kind: 'UsageError', exitCode: 2}});
});

test('global options may come before the command: --site is passed on, --lang only to the commands that take it', async (t) => {
	const dir = await tempDir(t);
	const site = join(dir, 'site');
	await execFileAsync(process.execPath, [cliPath, 'site', 'init', '--site', site], {env: {...process.env, MBZ_CONFIG_DIR: dir}});
	const run = async (...args: string[]): Promise<Result> => {
		try {
			const {stdout, stderr} = await execFileAsync(process.execPath, [cliPath, ...args], {env: {...process.env, MBZ_CONFIG_DIR: dir}});
			return {code: 0, stdout, stderr};
		} catch (error) {
			const failed = error as {code: number; stdout: string; stderr: string};
			return {code: failed.code, stdout: failed.stdout, stderr: failed.stderr};
		}
	};
	const before = await run('--site', site, '--lang', 'fr', 'inspect', fixturePath('gen_XS_users.mbz'), '--json');
	t.is(before.code, 0, before.stderr);
	t.false((JSON.parse(before.stdout) as {fromThisSite: boolean | null}).fromThisSite, 'the site given before the command was used');
	const restored = await run('--lang=fr', '--site', site, 'restore', fixturePath('gen_XS_users.mbz'), '--target', 'new', '--category', '1', '--json', '--yes');
	t.is(restored.code, 0, restored.stderr);
	const again = await run('--lang', 'fr', 'restore', fixturePath('gen_XS_users.mbz'), '--site', site, '--target', 'new', '--category', '1', '--json', '--yes');
	t.is((JSON.parse(again.stdout) as {review: {course: {fullname: string}}}).review.course.fullname, 'Generator course XS copie 1', '--lang before the command reached restore');
});

const BAD_INPUTS: Array<[string, (dir: string) => Promise<string>, (file: string) => string | RegExp]> = [
	['missing file', async (dir) => join(dir, 'missing.mbz'), (file) => `mbz: ${file}: no such file\n`],
	['a directory', async (dir) => {
		const sub = join(dir, 'folder.mbz');
		await mkdir(sub);
		return sub;
	}, (file) => `mbz: ${file}: is a directory, not a backup file\n`],
	['empty file', broken.emptyFile, (file) => `mbz: ${file}: empty file, not a Moodle backup\n`],
	['not an archive', broken.notAnArchive, (file) => `mbz: ${file}: not a Moodle backup (neither gzip'd tar nor zip)\n`],
	['truncated gzip', broken.truncatedGzip, (file) => `mbz: ${file}: truncated gzip data (unexpected end of file)\n`],
	['bad gzip CRC', broken.badGzipCrc, (file) => `mbz: ${file}: corrupt gzip data (CRC check failed)\n`],
	['corrupt tar header', broken.corruptTarHeader, (file) => `mbz: ${file}: corrupt tar header after entry .ARCHIVE_INDEX (bad checksum or not ustar)\n`],
	['zip with a bad central directory', broken.badZipCentralDirectory, () => /^mbz: .*bad-central-directory\.mbz: corrupt zip \(bad central directory: [^\n]+\)\n$/],
	['no moodle_backup.xml', broken.withoutManifest, (file) => `mbz: ${file}: no moodle_backup.xml: not a Moodle 2+ backup\n`],
	['malformed XML', broken.malformedManifest, () => /^mbz: .*malformed\.mbz: moodle_backup\.xml line 4: [^\n]+\n$/],
	["an entry path with '..'", (dir) => broken.unsafeEntryPath(dir, '../evil.txt', 'dotdot.mbz'), (file) => `mbz: ${file}: ../evil.txt: unsafe entry path (contains '..')\n`],
	['an absolute entry path', (dir) => broken.unsafeEntryPath(dir, '/tmp/evil.txt', 'absolute.mbz'), (file) => `mbz: ${file}: /tmp/evil.txt: unsafe entry path (absolute path)\n`],
	['a Moodle 1.9 backup', broken.moodle19Backup, (file) => `mbz: ${file}: this is a Moodle 1.9 backup (moodle.xml); importing Moodle 1.9 backups is not supported yet\n`],
];

for (const [label, build, message] of BAD_INPUTS) {
	test(`bad input, one line and a non-zero exit: ${label}`, async (t) => {
		const file = await build(await tempDir(t));
		const {code, stdout, stderr} = await inspect(file);
		t.is(code, 1);
		t.is(stdout, '');
		const expected = message(file);
		if (typeof expected === 'string') t.is(stderr, expected);
		else t.regex(stderr, expected);
		t.false(stderr.includes('    at '), 'no stack trace');
	});
}
