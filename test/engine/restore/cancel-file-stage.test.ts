import {readdir} from 'node:fs/promises';
import {join} from 'node:path';
import test from 'ava';
import {CancelledError} from '../../../source/engine/errors.js';
import {openRestore} from '../../../source/engine/restore/restore-plan.js';
import {dump, fixture, tempSite, listFiles} from './restore-helpers.js';

/** Settles within `ms`, or says it did not. */
function within<T>(promise: Promise<T>, ms: number): Promise<{settled: true; value?: T; error?: unknown} | {settled: false}> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<{settled: false}>((resolve) => {
		timer = setTimeout(() => resolve({settled: false}), ms);
	});
	return Promise.race([
		promise.then((value) => ({settled: true as const, value}), (error: unknown) => ({settled: true as const, error})),
		timeout,
	]).finally(() => clearTimeout(timer));
}

/** How many file bodies sit in the pool's staging areas right now. */
async function stagedBodies(filedir: string): Promise<number> {
	const entries = await readdir(join(filedir, '.staging'), {recursive: true}).catch(() => [] as string[]);
	return entries.filter((name) => /[0-9a-f]{40}$/.test(name)).length;
}

// Opening a restore reads the archive once: XML to a temporary directory, file bodies (gen_S_users.mbz holds
// about 9 MB of them) into the plan's staging area. A cancel in that pass, once some bodies are staged, rejects
// promptly and leaves the site, the pool and the staging directory as they were.
test('cancelled while the file bodies are copied at open: rejects promptly, site and pool untouched', async (t) => {
	const {site, dir, dispose} = await tempSite();
	t.teardown(dispose);
	const filedir = join(dir, 'site', 'filedir');
	const before = await dump(site);
	const poolBefore = await listFiles(filedir);
	for (const wanted of [1, 5, 20]) {
		const controller = new AbortController();
		const opening = openRestore(site, fixture('gen_S_users.mbz'), {signal: controller.signal});
		let staged = 0;
		let abortedAt = 0;
		const watch = (async () => {
			for (let round = 0; round < 2000 && abortedAt === 0; round++) {
				staged = await stagedBodies(filedir);
				if (staged >= wanted) {
					abortedAt = Date.now();
					controller.abort();
				}
				await new Promise((resolve) => setTimeout(resolve, 1));
			}
		})();
		const outcome = await within(opening, 10_000);
		const answeredIn = Date.now() - abortedAt;
		abortedAt ||= -1;
		await watch;
		t.true(outcome.settled, `cancelled with ${staged} bodies staged: openRestore settled`);
		if (!outcome.settled) return;
		if (outcome.value) await outcome.value.close();
		t.true(outcome.error instanceof CancelledError, `cancelled with ${staged} bodies staged: ${String(outcome.error ?? 'opened anyway')}`);
		t.true(answeredIn < 500, `answered ${answeredIn} ms after the cancel`);
		t.is(await dump(site), before, `cancelled with ${staged} bodies staged: same database`);
		t.deepEqual(await listFiles(filedir), poolBefore, `cancelled with ${staged} bodies staged: same pool, no staging left`);
	}
});

// Execute no longer reads the archive: it writes the rows and, after the commit, promotes the staged bodies.
// A cancel anywhere in execute rolls back the rows and promotes nothing.
test('cancelled during execute: rejects promptly, site and pool untouched', async (t) => {
	const {site, dir, dispose} = await tempSite();
	t.teardown(dispose);
	const filedir = join(dir, 'site', 'filedir');
	const before = await dump(site);
	const poolBefore = await listFiles(filedir);
	let duringExecute = 0;
	let finished = false;
	for (const delay of [5, 20, 40, 80, 120]) {
		if (finished) break;
		const plan = await openRestore(site, fixture('gen_S_users.mbz'));
		try {
			t.true(await stagedBodies(filedir) > 0, 'the bodies were staged at open');
			await plan.setDestination({target: 'new', categoryId: 1});
			await plan.review();
			const controller = new AbortController();
			let stage = '';
			let stageAtAbort = '';
			const running = plan.execute({signal: controller.signal, onProgress: (name, item) => {
				stage = `${name}: ${item}`;
			}});
			const timer = setTimeout(() => {
				stageAtAbort = stage;
				controller.abort();
			}, delay);
			const outcome = await within(running, 10_000);
			clearTimeout(timer);
			t.true(outcome.settled, `cancelled after ${delay} ms (during "${stageAtAbort}"): execute settled`);
			if (!outcome.settled) {
				// Left hanging: nothing more to check, and the site cannot be reused safely.
				return;
			}
			if (stageAtAbort !== '' && !stageAtAbort.startsWith('done')) {
				duringExecute++;
				t.true(outcome.error instanceof CancelledError, `cancelled after ${delay} ms (during "${stageAtAbort}"): ${String(outcome.error)}`);
			}
			t.log(`cancel after ${delay} ms, during "${stageAtAbort}": ${outcome.error === undefined ? 'finished first' : String(outcome.error)}`);
			// Finished before the cancel: the site holds the course now, so the later (longer) delays are not run.
			finished = outcome.error === undefined;
		} finally {
			await plan.close();
		}
		if (finished) break;
		t.is(await dump(site), before, `cancelled after ${delay} ms: same database`);
		t.deepEqual(await listFiles(filedir), poolBefore, `cancelled after ${delay} ms: same pool, no staging left`);
	}
	t.true(duringExecute > 0, 'at least one cancel fell during execute');
});
