import {join} from 'node:path';
import test from 'ava';
import {CancelledError} from '../../../source/engine/errors.js';
import {openRestore} from '../../../source/engine/restore/restore-plan.js';
import type {Site} from '../../../source/engine/store/site.js';
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

// gen_S_users.mbz holds about 9 MB of file bodies: 150-250 ms after the start the restore is copying them into
// the pool. A cancel there must stop the archive pass, reject at once and leave nothing behind.
test('cancelled while the file contents are copied into the pool: rejects promptly, site and pool untouched', async (t) => {
	const {site, dir, dispose} = await tempSite();
	t.teardown(dispose);
	const filedir = join(dir, 'site', 'filedir');
	const before = await dump(site);
	const poolBefore = await listFiles(filedir);
	let duringFiles = 0;
	for (const delay of [150, 175, 200, 225, 250]) {
		const plan = await openRestore(site, fixture('gen_S_users.mbz'));
		try {
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
			if (stageAtAbort === 'files: reading file contents') duringFiles++;
			if (stageAtAbort !== '') {
				t.true(outcome.error instanceof CancelledError, `cancelled after ${delay} ms: ${String(outcome.error)}`);
			}
		} finally {
			await plan.close();
		}
		t.is(await dump(site), before, `cancelled after ${delay} ms: same database`);
		t.deepEqual(await listFiles(filedir), poolBefore, `cancelled after ${delay} ms: same pool`);
	}
	t.true(duringFiles > 0, 'at least one cancel fell in the file stage');
});
