import test from 'ava';
import {PrecheckError} from '../../../source/engine/errors.js';
import {buildRow} from '../../../source/engine/restore/table-rows.js';
import {openRestore} from '../../../source/engine/restore/restore-plan.js';
import type {Site} from '../../../source/engine/store/site.js';
import {count, courseCounts, fixture, restore, tempSite} from './restore-helpers.js';

/** The foreign-platform conflict: this site already has a jdupont, with another email. */
async function addUser(site: Site, username: string, email: string): Promise<number> {
	return site.db.insert('user', buildRow('user', {username, email, firstname: 'Other', lastname: 'Person', auth: 'manual', mnethostid: 1, confirmed: 1, timecreated: 1}));
}

test('conflict, abort (default): the review explains it and execute refuses without writing', async (t) => {
	const {site, dispose} = await tempSite();
	try {
		await addUser(site, 'jdupont', 'someone.else@example.org');
		const courses = await count(site, '{course}');
		const users = await count(site, '{user}');
		const plan = await openRestore(site, fixture('rich101_users.mbz'));
		try {
			const confirmation = await plan.confirm();
			t.false(confirmation.sameSite);
			t.deepEqual(confirmation.precheck?.conflicts.map((conflict) => conflict.username), ['jdupont']);
			await plan.setDestination({target: 'new', categoryId: 1});
			const review = await plan.review();
			t.is(review.precheck.conflicts[0]?.username, 'jdupont');
			t.regex(review.precheck.conflicts[0]!.reason.text, /another email/);
			t.regex(review.precheck.explanation, /duplicate accounts and name conflicts/);
			t.regex(review.precheck.recommendation, /without user data/);
			t.is(review.blockers.length, 1);
			const error = await t.throwsAsync(plan.execute(), {instanceOf: PrecheckError});
			t.regex(error!.message, /jdupont/);
		} finally {
			await plan.close();
		}
		t.is(await count(site, '{course}'), courses);
		t.is(await count(site, '{user}'), users);
	} finally {
		await dispose();
	}
});

test('conflict, no-users: restored without user data', async (t) => {
	const {site, dispose} = await tempSite();
	try {
		await addUser(site, 'jdupont', 'someone.else@example.org');
		const users = await count(site, '{user}');
		const result = await restore(site, fixture('rich101_users.mbz'), {target: 'new', categoryId: 1}, undefined, {conflictPolicy: 'no-users'});
		t.is(await count(site, '{user}'), users);
		t.true(result.warnings.some((warning) => /restoring without user data/.test(warning.text)));
		t.like(await courseCounts(site, result.courseId), {sections: 7, posts: 0, grades: 0, courseRoleAssignments: 0, enrolMethods: {manual: 0}});
	} finally {
		await dispose();
	}
});

test('conflict, map-by-email: the conflicting user maps to the account with the same email', async (t) => {
	const {site, dispose} = await tempSite();
	try {
		await addUser(site, 'jdupont', 'someone.else@example.org');
		const jean = await addUser(site, 'jean.dupont', 'Jean.Dupont@univ-example.fr');
		const result = await restore(site, fixture('rich101_users.mbz'), {target: 'new', categoryId: 1}, undefined, {conflictPolicy: 'map-by-email'});
		t.deepEqual(result.usersMapped, [{username: 'jdupont', id: jean}]);
		t.is(result.usersCreated.length, 14);
		const teacher = await site.db.get<{userid: number}>(
			`SELECT ra.userid FROM {role_assignments} ra JOIN {role} r ON r.id = ra.roleid JOIN {context} c ON c.id = ra.contextid WHERE r.shortname = 'editingteacher' AND c.contextlevel = 50 AND c.instanceid = ?`, [result.courseId]);
		t.is(Number(teacher?.userid), jean);
	} finally {
		await dispose();
	}
});

test('conflict, map-by-email without an account with that email: still refused', async (t) => {
	const {site, dispose} = await tempSite();
	try {
		await addUser(site, 'jdupont', 'someone.else@example.org');
		const plan = await openRestore(site, fixture('rich101_users.mbz'), {conflictPolicy: 'map-by-email'});
		try {
			await plan.setDestination({target: 'new', categoryId: 1});
			const review = await plan.review();
			t.regex(review.precheck.conflicts[0]!.reason.text, /no account here has its email/);
			await t.throwsAsync(plan.execute(), {instanceOf: PrecheckError});
		} finally {
			await plan.close();
		}
	} finally {
		await dispose();
	}
});

test('without admin conflict resolution the backup admin conflicts with this site\'s admin', async (t) => {
	const {site, dispose} = await tempSite();
	try {
		const plan = await openRestore(site, fixture('rich101_users.mbz'), {allowAdminConflictResolution: false});
		try {
			const confirmation = await plan.confirm();
			t.deepEqual(confirmation.precheck?.conflicts.map((conflict) => conflict.username), ['admin']);
		} finally {
			await plan.close();
		}
	} finally {
		await dispose();
	}
});
