import test from 'ava';
import {notice, NOTICE_TEMPLATES, uniqueNotices} from '../../source/engine/notices.js';

test('a notice says its English sentence with its values, notices within it included', t => {
	const dropped = notice('enrolDropped', {method: notice('enrolMethodNamed', {plugin: 'cohort', name: 'Promo'}), why: notice('cohortMissing', {cohortId: 5})});
	t.is(dropped.text, 'enrolment method cohort "Promo" dropped: cohort id 5 does not exist on this site');
	const conflicts = notice('userConflicts', {count: 2, list: [notice('userConflict', {username: 'a', reason: 'x'}), notice('userConflict', {username: 'b', reason: 'y'})]});
	t.is(conflicts.text, '2 user conflict(s): a (x); b (y)');
	t.is(`${dropped}`, dropped.text);
	t.is(dropped.code, 'enrolDropped');
});

test('--json and logs keep the sentences: a notice serialises as its text', t => {
	const review = {warnings: [notice('gradebookKept')], precheck: {conflicts: [{username: 'jdupont', reason: notice('usernameTaken', {username: 'jdupont', siteId: 3, backupId: 7})}]}};
	t.deepEqual(JSON.parse(JSON.stringify(review)), {
		warnings: [NOTICE_TEMPLATES.gradebookKept],
		precheck: {conflicts: [{username: 'jdupont', reason: 'the username "jdupont" belongs to another account here (id 3, backup id 7)'}]},
	});
});

test('the same sentence twice is listed once, in the order first said', t => {
	const twice = [notice('membershipsSkipped', {count: 2}), notice('gradebookKept'), notice('membershipsSkipped', {count: 2}), notice('membershipsSkipped', {count: 3})];
	t.deepEqual(uniqueNotices(twice).map(String), [twice[0]!.text, twice[1]!.text, twice[3]!.text]);
});
