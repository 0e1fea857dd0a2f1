import {execFileSync} from 'node:child_process';
import {mkdir, mkdtemp, readdir, rm, truncate, writeFile, readFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {ArchiveError, CancelledError, MbzError} from '../../../source/engine/errors.js';
import {openRestore} from '../../../source/engine/restore/restore-plan.js';
import type {Site} from '../../../source/engine/store/site.js';
import {forEachSiteAdapter} from '../../helpers/site-adapters.js';
import {dump, fixture, listFiles, restore, siteAt, tempSite} from './restore-helpers.js';

/** Runs a restore expected to fail and checks the site is exactly as before (database and file pool). */
async function assertUntouched(t: import('ava').ExecutionContext, file: string, given: {site: Site; filedir: string} | undefined, run: (site: Site, file: string) => Promise<unknown>): Promise<MbzError> {
	const temporary = given ? undefined : await tempSite();
	const site = given?.site ?? temporary!.site;
	const filedir = given?.filedir ?? join(temporary!.dir, 'site', 'filedir');
	try {
		const before = await dump(site);
		const poolBefore = await listFiles(filedir);
		const error = await t.throwsAsync(run(site, file));
		t.true(error instanceof MbzError, `a clear error, got ${String(error)}`);
		t.is(await dump(site), before);
		t.deepEqual(await listFiles(filedir), poolBefore);
		return error as MbzError;
	} finally {
		await temporary?.dispose();
	}
}

/** rich101_users.mbz extracted, changed by `edit` and packed again with tar into `work` (the archive a site might get). */
async function repacked(work: string, edit: (extracted: string) => Promise<void>): Promise<string> {
	const extracted = join(work, 'x');
	execFileSync('mkdir', ['-p', extracted]);
	execFileSync('tar', ['xzf', fixture('rich101_users.mbz'), '-C', extracted]);
	await edit(extracted);
	const broken = join(work, 'broken.mbz');
	execFileSync('tar', ['czf', broken, '-C', extracted, ...(await readdir(extracted))]);
	return broken;
}

forEachSiteAdapter('cancelled in the middle of the activities: nothing written, no new blobs', async (t, location) => {
	const {site: target, filedir} = await siteAt(location);
	t.teardown(() => target.close());
	const error = await assertUntouched(t, fixture('rich101_users.mbz'), {site: target, filedir}, async (site, file) => {
		const plan = await openRestore(site, file);
		const controller = new AbortController();
		try {
			await plan.setDestination({target: 'new', categoryId: 1});
			await plan.execute({signal: controller.signal, onProgress: (stage, _item, done) => {
				if (stage === 'activities' && done === 6) controller.abort();
			}});
		} finally {
			await plan.close();
		}
	});
	t.true(error instanceof CancelledError);
});

forEachSiteAdapter('a constraint violation in the middle of the restore (the forum posts): rolled back with one message; database and pool as before', async (t, location) => {
	const {site: target, filedir} = await siteAt(location);
	t.teardown(() => target.close());
	// The site refuses any new forum post, as a constraint of the server would: the restore is past the course, users,
	// enrolments, groups and gradebook, and a forum's discussions, when it meets it.
	if (target.db.dialect === 'sqlite') {
		await target.db.run(`CREATE TRIGGER mbz_refuse_posts BEFORE INSERT ON {forum_posts} BEGIN SELECT RAISE(ABORT, 'injected: forum posts refused'); END`);
	} else {
		await target.db.run('ALTER TABLE {forum_posts} ADD CONSTRAINT mbz_refuse_posts CHECK (id < 0) NOT VALID');
	}
	let reachedActivities = false;
	const error = await assertUntouched(t, fixture('rich101_users.mbz'), {site: target, filedir}, async (site, file) => {
		const plan = await openRestore(site, file);
		try {
			await plan.setDestination({target: 'new', categoryId: 1});
			await plan.execute({onProgress: (stage) => {
				if (stage === 'activities') reachedActivities = true;
			}});
		} finally {
			await plan.close();
		}
	});
	t.true(reachedActivities, 'the failure came in the middle of the writes');
	t.regex(error.message, /^\S+rich101_users\.mbz: restore failed, nothing was written: .*(database error: injected: forum posts refused|violates check constraint "mbz_refuse_posts")/);
	t.false(error.message.includes('\n'), 'one line');
});

// Serial: the extraction goes to a temporary directory of its own here (TMPDIR), which no other test may share meanwhile.
test.serial('the disk fills up while the bodies are staged: one message naming the entry; nothing staged, no extracted XML left', async (t) => {
	const {site, dir, dispose} = await tempSite();
	t.teardown(dispose);
	const temporary = join(dir, 'tmp');
	await mkdir(temporary);
	const previousTmpdir = process.env['TMPDIR'];
	process.env['TMPDIR'] = temporary;
	t.teardown(() => {
		if (previousTmpdir === undefined) delete process.env['TMPDIR'];
		else process.env['TMPDIR'] = previousTmpdir;
	});
	// The pool's staging areas write as a full disk would make them: the third body fails with ENOSPC.
	const openStaging = site.pool.openStaging.bind(site.pool);
	let bodies = 0;
	site.pool.openStaging = () => {
		const area = openStaging();
		const full = () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'}));
		const stageBuffer = area.stageBuffer.bind(area);
		area.stageBuffer = async (content, sha1) => (++bodies === 3 ? full() : stageBuffer(content, sha1));
		return area;
	};
	const error = await assertUntouched(t, fixture('rich101_users.mbz'), {site, filedir: join(dir, 'site', 'filedir')}, async (target, file) => {
		await restore(target, file, {target: 'new', categoryId: 1});
	});
	t.true(error instanceof ArchiveError, String(error));
	t.regex(error.message, /rich101_users\.mbz: files\/[0-9a-f]{2}\/[0-9a-f]{40}: cannot store this file: .*no space left on device/);
	t.false(error.message.includes('\n'), 'one line');
	t.deepEqual(await readdir(temporary), [], 'the extracted XML is removed');
});

test('a corrupt XML entry in the middle of the archive: rolled back with one message naming it', async (t) => {
	const work = await mkdtemp(join(tmpdir(), 'mbz-corrupt-'));
	try {
		const broken = await repacked(work, async (extracted) => {
			const forum = join(extracted, 'activities', 'forum_445', 'forum.xml');
			await truncate(forum, Math.floor((await readFile(forum)).length / 2));
		});
		const error = await assertUntouched(t, broken, undefined, async (site, file) => {
			await restore(site, file, {target: 'new', categoryId: 1});
		});
		t.regex(error.message, /forum_445\/forum\.xml/);
	} finally {
		await rm(work, {recursive: true, force: true});
	}
});

test('a file body that does not match its hash: refused when the backup is opened, naming the entry; nothing staged is left', async (t) => {
	const work = await mkdtemp(join(tmpdir(), 'mbz-corrupt-'));
	try {
		let corrupted = '';
		const broken = await repacked(work, async (extracted) => {
			corrupted = (await listFiles(join(extracted, 'files'))).at(-1)!;
			await writeFile(join(extracted, 'files', corrupted), 'not the original content');
		});
		let opened = false;
		const error = await assertUntouched(t, broken, undefined, async (site, file) => {
			await restore(site, file, {target: 'new', categoryId: 1}, () => {
				opened = true;
			});
		});
		t.false(opened, 'openRestore itself refused the backup');
		t.true(error instanceof ArchiveError);
		t.true(error.message.includes(`files/${corrupted}`), error.message);
		t.regex(error.message, /does not match/);
	} finally {
		await rm(work, {recursive: true, force: true});
	}
});

test('an activity\'s XML missing from the archive: refused when the backup is opened, naming the entry, no temporary path', async (t) => {
	const work = await mkdtemp(join(tmpdir(), 'mbz-missing-'));
	try {
		const broken = await repacked(work, async (extracted) => {
			await rm(join(extracted, 'activities', 'quiz_449', 'quiz.xml'));
		});
		const error = await assertUntouched(t, broken, undefined, async (site, file) => {
			await restore(site, file, {target: 'new', categoryId: 1});
		});
		t.true(error instanceof ArchiveError);
		t.is(error.message, `${broken}: activities/quiz_449/quiz.xml: missing from the backup, which moodle_backup.xml lists`);
		// inspect (the Confirm step's details) says the same, rather than describing a backup that cannot restore.
		const {readBackupDetails} = await import('../../../source/engine/details/index.js');
		await t.throwsAsync(readBackupDetails(broken), {instanceOf: ArchiveError, message: error.message});
	} finally {
		await rm(work, {recursive: true, force: true});
	}
});

test('a truncated archive: refused when the backup is opened; site, pool and staging as before', async (t) => {
	const work = await mkdtemp(join(tmpdir(), 'mbz-truncated-'));
	try {
		const broken = join(work, 'truncated.mbz');
		const whole = await readFile(fixture('rich101_users.mbz'));
		// Cut in the middle: some XML and file bodies were already extracted and staged when the end comes.
		await writeFile(broken, whole.subarray(0, Math.floor(whole.length * 0.8)));
		let opened = false;
		const error = await assertUntouched(t, broken, undefined, async (site, file) => {
			const plan = await openRestore(site, file);
			opened = true;
			await plan.close();
		});
		t.false(opened, 'openRestore itself refused the backup');
		t.true(error instanceof ArchiveError, String(error));
		t.regex(error.message, /truncated/);
	} finally {
		await rm(work, {recursive: true, force: true});
	}
});

test('nothing is written before execute(): confirm, destination, settings and review only read', async (t) => {
	const {site, dir, dispose} = await tempSite();
	try {
		const before = await dump(site);
		const poolBefore = await listFiles(join(dir, 'site', 'filedir'));
		const plan = await openRestore(site, fixture('rich101_users.mbz'));
		try {
			await plan.confirm();
			await plan.setDestination({target: 'new', categoryId: 1});
			plan.settings.set('manual_enrolments', true);
			await plan.review();
		} finally {
			await plan.close();
		}
		t.is(await dump(site), before);
		t.deepEqual(await listFiles(join(dir, 'site', 'filedir')), poolBefore);
	} finally {
		await dispose();
	}
});

test('two plans opened at once on one site stage apart: closing one leaves the other whole, and it restores every file', async (t) => {
	const {site, dir, dispose} = await tempSite();
	t.teardown(dispose);
	const filedir = join(dir, 'site', 'filedir');
	const [first, second] = await Promise.all([openRestore(site, fixture('rich101_users.mbz')), openRestore(site, fixture('rich101_users.mbz'))]);
	try {
		t.not(first.staging.dir, second.staging.dir);
		const staged = second.staging.hashes().sort();
		t.true(staged.length > 0);
		t.deepEqual(first.staging.hashes().sort(), staged);
		await first.close();
		t.deepEqual(second.staging.hashes().sort(), staged, 'the other plan keeps its bodies');
		await second.setDestination({target: 'new', categoryId: 1});
		const result = await second.execute();
		const used = await site.db.all<{contenthash: string}>(
			`SELECT DISTINCT f.contenthash FROM {files} f JOIN {context} c ON c.id = f.contextid WHERE f.filename <> '.' AND (c.id = ? OR c.path LIKE ?)`,
			[result.courseContextId, `%/${result.courseContextId}/%`]);
		t.true(used.length > 0);
		for (const {contenthash} of used) t.true(await site.pool.has(contenthash), `blob ${contenthash} promoted`);
		t.deepEqual((await listFiles(filedir)).filter((name) => name.startsWith('.staging')), [], 'no staging left');
	} finally {
		await first.close();
		await second.close();
	}
});
