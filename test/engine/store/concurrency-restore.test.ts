/**
 * Two restores into one site at the same time, through two site handles (as two mbz processes would).
 * PostgreSQL: both commit, with distinct ids and each course complete; their write phases take turns (the site
 * write lock), and the second checks users and names again against what the first committed. SQLite: the
 * second writer waits for the busy timeout, then fails with a clear message, leaving nothing of itself behind.
 */
import test from 'ava';
import {StoreError} from '../../../source/engine/errors.js';
import {openRestore} from '../../../source/engine/restore/restore-plan.js';
import type {RestoreResult} from '../../../source/engine/restore/types.js';
import {openSite, type Site} from '../../../source/engine/store/site.js';
import {courseCounts, fixture, restore} from '../restore/restore-helpers.js';
import {forEachSiteAdapter, initTestSite, openTestSite} from '../../helpers/site-adapters.js';

// fixtures/MANIFEST.md, RICH101 restored onto another site (the cohort method is dropped, as in Moodle).
const RICH101 = {sections: 7, enrolMethods: {guest: 0, manual: 10, self: 0}, groups: 3, groupMembers: 9, gradeItems: 5, grades: 40, files: 13, questions: 4, posts: 10};

async function courseIds(site: Site): Promise<number[]> {
	return (await site.db.all<{id: number}>('SELECT id FROM {course} ORDER BY id')).map(row => Number(row.id));
}

forEachSiteAdapter('two restores at the same time into one site', async (t, location) => {
	const created = await initTestSite(location);
	await created.close();
	if (location.adapter === 'postgres') {
		const first = await openTestSite(location);
		const second = await openTestSite(location);
		t.teardown(async () => {
			await first.close();
			await second.close();
		});
		const [a, b] = await Promise.all([
			restore(first, fixture('rich101_users.mbz'), {target: 'new', categoryId: 1}),
			restore(second, fixture('rich101_users.mbz'), {target: 'new', categoryId: 1}),
		]);
		t.not(a.courseId, b.courseId);
		t.deepEqual(await courseIds(first), [1, a.courseId, b.courseId].sort((x, y) => x - y));
		for (const result of [a, b]) t.like(await courseCounts(first, result.courseId), RICH101);
		// The restore that waited saw what the first committed: the course name taken, the users there to map.
		const names = (await first.db.all<{shortname: string}>('SELECT shortname FROM {course} WHERE id <> 1 ORDER BY shortname')).map(row => row.shortname);
		t.deepEqual(names, ['RICH101', 'RICH101_1']);
		t.deepEqual([a.usersCreated.length, b.usersCreated.length].sort(), [0, 15]);
		t.deepEqual([a.usersMapped.length, b.usersMapped.length].sort(), [0, 15]);
		t.deepEqual(await first.db.all('SELECT username FROM {user} GROUP BY username HAVING COUNT(*) > 1'), []);
		t.is(new Set([a.courseContextId, b.courseContextId]).size, 2);
	} else {
		// SQLite: one writer at a time. Both backups are opened first, then both restores write at once: the loser
		// waits 20 ms for the lock (far less than the winner's write takes), then gives up cleanly.
		const first = await openSite(location.location, {busyTimeoutMs: 20});
		const second = await openSite(location.location, {busyTimeoutMs: 20});
		t.teardown(async () => {
			await first.close();
			await second.close();
		});
		const plans = await Promise.all([first, second].map(async (site) => {
			const plan = await openRestore(site, fixture('rich101_users.mbz'));
			await plan.setDestination({target: 'new', categoryId: 1});
			return plan;
		}));
		t.teardown(async () => {
			for (const plan of plans) await plan.close();
		});
		const outcomes = await Promise.allSettled(plans.map(async (plan) => plan.execute()));
		const succeeded = outcomes.filter((outcome): outcome is PromiseFulfilledResult<RestoreResult> => outcome.status === 'fulfilled');
		const failed = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
		t.is(succeeded.length, 1);
		t.is(failed.length, 1);
		t.true(failed[0]!.reason instanceof StoreError);
		t.regex((failed[0]!.reason as Error).message, /site is busy: another mbz process is writing/);
		const winner = succeeded[0]!.value;
		t.deepEqual(await courseIds(first), [1, winner.courseId]);
		t.like(await courseCounts(first, winner.courseId), RICH101);
	}
});
