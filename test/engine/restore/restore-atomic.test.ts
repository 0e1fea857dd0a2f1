import {execFileSync} from 'node:child_process';
import {mkdtemp, readdir, rm, truncate, writeFile, readFile} from 'node:fs/promises';
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

test('a corrupt XML entry in the middle of the archive: rolled back with one message naming it', async (t) => {
	const work = await mkdtemp(join(tmpdir(), 'mbz-corrupt-'));
	try {
		const extracted = join(work, 'x');
		execFileSync('mkdir', ['-p', extracted]);
		execFileSync('tar', ['xzf', fixture('rich101_users.mbz'), '-C', extracted]);
		const forum = join(extracted, 'activities', 'forum_445', 'forum.xml');
		await truncate(forum, Math.floor((await readFile(forum)).length / 2));
		const broken = join(work, 'broken.mbz');
		execFileSync('tar', ['czf', broken, '-C', extracted, ...(await readdir(extracted))]);
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
		const extracted = join(work, 'x');
		execFileSync('mkdir', ['-p', extracted]);
		execFileSync('tar', ['xzf', fixture('rich101_users.mbz'), '-C', extracted]);
		const blobs = await listFiles(join(extracted, 'files'));
		const corrupted = blobs.at(-1)!;
		await writeFile(join(extracted, 'files', corrupted), 'not the original content');
		const broken = join(work, 'broken.mbz');
		execFileSync('tar', ['czf', broken, '-C', extracted, ...(await readdir(extracted))]);
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
