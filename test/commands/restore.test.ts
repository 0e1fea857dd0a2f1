import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {restoreCommand} from '../../source/commands/restore.js';
import {PrecheckError, UsageError} from '../../source/engine/errors.js';
import {buildRow} from '../../source/engine/restore/table-rows.js';
import {initSite, openSite} from '../../source/engine/store/site.js';
import {fixture} from '../engine/restore/restore-helpers.js';

let configDir: string;
test.before(async () => {
	configDir = await mkdtemp(join(tmpdir(), 'mbz-restore-cli-config-'));
	process.env['MBZ_CONFIG_DIR'] = configDir;
});
test.after.always(async () => {
	await rm(configDir, {recursive: true, force: true});
});

/** Runs `mbz restore ...` and captures what it prints. */
async function runRestore(args: string[]): Promise<{code: number; stdout: string}> {
	let stdout = '';
	const write = process.stdout.write.bind(process.stdout);
	process.stdout.write = ((chunk: string | Uint8Array) => {
		stdout += String(chunk);
		return true;
	}) as typeof process.stdout.write;
	try {
		const code = await restoreCommand.run(args);
		return {code, stdout};
	} finally {
		process.stdout.write = write;
	}
}

async function withSite(work: (location: string) => Promise<void>, prepare?: (location: string) => Promise<void>): Promise<void> {
	const dir = await mkdtemp(join(tmpdir(), 'mbz-restore-cli-'));
	const location = join(dir, 'site');
	try {
		const site = await initSite(location);
		await site.close();
		await prepare?.(location);
		await work(location);
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
}

async function courseCount(location: string): Promise<number> {
	const site = await openSite(location);
	try {
		return Number((await site.db.get<{n: number}>('SELECT COUNT(*) AS n FROM {course}'))!.n);
	} finally {
		await site.close();
	}
}

test.serial('--dry-run prints the review with the precheck and writes nothing', async (t) => {
	await withSite(async (location) => {
		const before = await courseCount(location);
		const {code, stdout} = await runRestore([fixture('rich101_users.mbz'), '--site', location, '--target', 'new', '--category', '1', '--dry-run']);
		t.is(code, 0);
		t.regex(stdout, /to create \(15\)/);
		t.regex(stdout, /cohort "Cohort sync Promotion 2024": dropped/);
		t.regex(stdout, /admin_8f7cb045b959173e61d77ca71a6901a7/);
		t.is(await courseCount(location), before);
		const noUsers = await runRestore([fixture('rich101_users.mbz'), '--site', location, '--target', 'new', '--category', '1', '--dry-run', '--no-users', '--json']);
		const review = JSON.parse(noUsers.stdout) as {review: {usersIncluded: boolean; precheck: {toCreate: string[]}}};
		t.false(review.review.usersIncluded);
		t.deepEqual(review.review.precheck.toCreate, []);
	});
});

test.serial('choices the backup cannot take are refused, naming why (course options for an activity backup, enrolments with users without users)', async (t) => {
	await withSite(async (location) => {
		await t.throwsAsync(runRestore([fixture('rich101_nousers.mbz'), '--site', location, '--target', 'new', '--category', '1', '--enrolments', 'withusers', '--dry-run']),
			{instanceOf: UsageError, message: '--enrolments withusers needs users in the backup, and this one has none: use never or always'});
		await t.throwsAsync(runRestore([fixture('rich101_activity_forum_users.mbz'), '--site', location, '--target', 'new', '--category', '1', '--fullname', 'X', '--dry-run']),
			{instanceOf: UsageError, message: '--fullname, --shortname and --startdate only apply to course backups; this is an activity backup'});
	});
});

test.serial('--manual-enrolments beside --enrolments never (which already enrols everyone manually) is taken, not refused as locked', async (t) => {
	await withSite(async (location) => {
		const {code, stdout} = await runRestore([fixture('rich101_users.mbz'), '--site', location, '--target', 'new', '--category', '1',
			'--enrolments', 'never', '--manual-enrolments', '--dry-run', '--json']);
		t.is(code, 0);
		const output = JSON.parse(stdout) as {review: {enrolmentMode: string; enrolments: Array<{method: string; outcome: string}>}};
		t.is(output.review.enrolmentMode, 'never');
		t.deepEqual(output.review.enrolments.map(enrolment => [enrolment.method, enrolment.outcome]),
			[['manual', 'converted to manual'], ['guest', 'converted to manual'], ['self', 'converted to manual'], ['cohort', 'converted to manual']]);
		await t.throwsAsync(runRestore([fixture('rich101_users.mbz'), '--site', location, '--target', 'new', '--category', '1', '--no-users', '--manual-enrolments', '--dry-run']),
			{instanceOf: UsageError, message: /manual_enrolments.*locked: requires "Include enrolled users"/});
	});
});

test.serial('--json --yes restores and prints the course id, precheck and warnings', async (t) => {
	await withSite(async (location) => {
		const {code, stdout} = await runRestore([fixture('rich101_users.mbz'), '--site', location, '--target', 'new', '--category', '1', '--json', '--yes',
			'--exclude', 'section:6', '--no-userdata', '445', '--shortname', 'HIST-B', '--startdate', '2025-09-01']);
		t.is(code, 0);
		const output = JSON.parse(stdout) as {courseId: number; precheck: {conflicts: unknown[]; toCreate: string[]}; warnings: string[]; result: {counts: Record<string, number>}};
		t.true(output.courseId > 0);
		t.deepEqual(output.precheck.conflicts, []);
		t.is(output.precheck.toCreate.length, 15);
		t.true(output.warnings.some((warning) => /cohort/.test(warning)));
		const site = await openSite(location);
		try {
			const course = await site.db.get<{shortname: string; startdate: number}>('SELECT shortname, startdate FROM {course} WHERE id = ?', [output.courseId]);
			t.is(course!.shortname, 'HIST-B');
			// The day given at the backup's time of day (rich101 starts 2024-09-02 08:00 UTC), as the wizard does.
			t.is(Number(course!.startdate), Date.UTC(2025, 8, 1, 8) / 1000);
			t.is(Number((await site.db.get<{n: number}>('SELECT COUNT(*) AS n FROM {course_sections} WHERE course = ?', [output.courseId]))!.n), 6);
			t.is(Number((await site.db.get<{n: number}>('SELECT COUNT(*) AS n FROM {forum_posts} p JOIN {forum_discussions} d ON d.id = p.discussion WHERE d.course = ?', [output.courseId]))!.n), 1);
		} finally {
			await site.close();
		}
	});
});

test.serial('conflicts refuse the restore: JSON lists them and the exit code is non-zero', async (t) => {
	await withSite(async (location) => {
		const before = await courseCount(location);
		const args = [fixture('rich101_users.mbz'), '--site', location, '--target', 'new', '--category', '1', '--yes'];
		const {code, stdout} = await runRestore([...args, '--json']);
		t.is(code, 3);
		const output = JSON.parse(stdout) as {precheck: {conflicts: Array<{username: string; reason: string}>}; blockers: string[]; error: {message: string; kind: string; exitCode: number}};
		t.is(output.precheck.conflicts[0]?.username, 'jdupont');
		// The same `error` object as any failure, so a script tests one thing.
		t.like(output.error, {kind: 'PrecheckError', exitCode: 3});
		t.regex(output.error.message, /jdupont/);
		t.regex(output.precheck.conflicts[0]!.reason, /another email/);
		await t.throwsAsync(runRestore(args), {instanceOf: PrecheckError, message: /jdupont/});
		t.is(await courseCount(location), before);
		// The text review of that choice lists the conflicts as set aside, without the refusal's explanation.
		const setAside = await runRestore([...args, '--on-conflict', 'no-users', '--dry-run']);
		t.regex(setAside.stdout, /username conflicts \(1\), set aside \(no user data is restored\):\n {4}jdupont: /);
		t.notRegex(setAside.stdout, /Moodle refuses|Recommended/);
		const noUsers = await runRestore([...args, '--on-conflict', 'no-users', '--json']);
		t.is(noUsers.code, 0);
		t.true((JSON.parse(noUsers.stdout) as {courseId: number}).courseId > 0);
	}, async (location) => {
		const site = await openSite(location);
		try {
			await site.db.insert('user', buildRow('user', {username: 'jdupont', email: 'other@example.org', auth: 'manual', mnethostid: 1, confirmed: 1}));
		} finally {
			await site.close();
		}
	});
});

test.serial('usage errors are caught before anything is opened', async (t) => {
	const file = fixture('rich101_users.mbz');
	await t.throwsAsync(runRestore([file]), {instanceOf: UsageError, message: /--target/});
	await t.throwsAsync(runRestore([file, '--target', 'new']), {instanceOf: UsageError, message: /--category/});
	await t.throwsAsync(runRestore([file, '--target', 'new', '--category', '1', '--keep-groups']), {instanceOf: UsageError, message: /replace/});
	await t.throwsAsync(runRestore([file, '--target', 'merge', '--course', '2', '--on-conflict', 'rename']), {instanceOf: UsageError, message: /on-conflict/});
	await t.throwsAsync(runRestore([file, '--target', 'merge', '--course', '2', '--startdate', '2025-13-01']), {instanceOf: UsageError, message: /startdate/});
	await t.throwsAsync(runRestore(['--target', 'new', '--category', '1']), {instanceOf: UsageError, message: /FILE/});
	// Moodle requires both course names, within their columns.
	await t.throwsAsync(runRestore([file, '--target', 'new', '--category', '1', '--shortname', '', '--dry-run']), {instanceOf: UsageError, message: '--shortname cannot be empty'});
	await t.throwsAsync(runRestore([file, '--target', 'new', '--category', '1', '--fullname', 'x'.repeat(255), '--dry-run']), {instanceOf: UsageError, message: '--fullname takes at most 254 characters (255 given)'});
	// A value outside a flag's choices is a usage error like the others (one line, exit code 2), not an internal error.
	await t.throwsAsync(runRestore([file, '--target', 'new', '--category', '1', '--lang', 'de']), {instanceOf: UsageError, message: /^Unknown value for flag "--lang": "de"\. Value must be one of: \["en", "fr"\]$/});
});
