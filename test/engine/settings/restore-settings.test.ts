import test from 'ava';
import {UsageError} from '../../../source/engine/errors.js';
import {createRestoreSettings, type RestoreSettingsSource} from '../../../source/engine/settings/index.js';
import {restoreSourceOf} from './fixture-source.js';

const USER_DATA_ROOTS = ['role_assignments', 'comments', 'userscompletion', 'logs', 'grade_histories'];

test('rich101_nousers: users and everything about users off and locked "not in the backup"', async t => {
	const plan = createRestoreSettings(await restoreSourceOf('rich101_nousers.mbz'), {target: 'new'});
	for (const name of ['users', 'manual_enrolments', ...USER_DATA_ROOTS]) {
		t.like(plan.item(name), {value: false, locked: true, lockKind: 'content'}, name);
		t.is(plan.item(name).lockReason?.code, 'notInBackup', name);
		t.is(plan.item(name).lockReason?.text, 'not in the backup');
	}
	// badges is in the backup but needs users (restore_root_task dependency).
	t.like(plan.item('badges'), {value: false, locked: true, lockKind: 'dependency'});
	t.like(plan.item('badges').lockReason, {code: 'needs', setting: 'users'});
	const enrolments = plan.item('enrolments');
	t.is(enrolments.value, 'never');
	t.false(enrolments.locked);
	t.deepEqual(enrolments.options?.map(option => [option.value, option.label]), [['never', 'No'], ['always', 'Yes, always']]);
	t.throws(() => plan.set('enrolments', 'withusers'), {instanceOf: UsageError});
	plan.set('enrolments', 'always');
	t.is(plan.get('enrolments'), 'always');
	t.throws(() => plan.set('users', true), {instanceOf: UsageError, message: /"users".*locked: not in the backup/});
	// Every section and activity: included free, user data locked as not in the backup.
	const schema = plan.list().filter(item => item.level === 'section' || item.level === 'activity');
	t.is(schema.length, (7 + 17) * 2);
	for (const item of schema) {
		if (item.name.endsWith('_userinfo')) t.like(item, {value: false, locked: true, lockKind: 'content'}, item.name);
		else t.like(item, {value: true, locked: false}, item.name);
	}
});

test('rich101_users: user data available, enrolments with the three options, logs and histories not in the backup', async t => {
	const source = await restoreSourceOf('rich101_users.mbz');
	const plan = createRestoreSettings(source, {target: 'new'});
	t.deepEqual(plan.list('root').map(item => item.name), [
		'users', 'enrolments', 'manual_enrolments', 'role_assignments', 'permissions', 'activities', 'blocks', 'filters', 'comments',
		'badges', 'calendarevents', 'userscompletion', 'logs', 'grade_histories', 'groups', 'competencies', 'customfields',
		'contentbankcontent', 'legacyfiles',
	]);
	t.like(plan.item('users'), {value: true, locked: false});
	t.like(plan.item('manual_enrolments'), {value: false, locked: false});
	t.deepEqual(plan.item('enrolments').options?.map(option => option.value), ['never', 'withusers', 'always']);
	t.is(plan.item('enrolments').options?.[0]?.label, 'No, restore users as manual enrolments');
	t.is(plan.get('enrolments'), 'withusers');
	for (const name of ['role_assignments', 'comments', 'userscompletion', 'badges']) t.like(plan.item(name), {value: true, locked: false}, name);
	for (const name of ['logs', 'grade_histories']) t.like(plan.item(name), {value: false, locked: true, lockKind: 'content'}, name);
	// Settings under the backup's own ids: 7 sections, 17 activities, Moodle's order.
	t.is(plan.list('section').length, 14);
	t.is(plan.list('activity').length, 34);
	const first = source.sections[0]!;
	t.is(plan.list('section')[0]!.name, `section_${first.id}_included`);
	t.true(plan.has('forum_445_userinfo'));
	t.true(plan.has('quiz_449_included'));
	t.false(plan.item('forum_445_userinfo').locked);

	plan.set('users', false);
	for (const name of [...USER_DATA_ROOTS.slice(0, 3), 'badges', 'manual_enrolments', 'forum_445_userinfo', `section_${first.id}_userinfo`]) {
		t.like(plan.item(name), {value: false, locked: true}, name);
		t.like(plan.item(name).lockReason, {code: 'needs', setting: 'users'}, name);
	}
	plan.set('users', true);
	t.true(plan.get('forum_445_userinfo') as boolean);
	plan.set('activities', false);
	t.false(plan.get('quiz_449_included') as boolean);
	t.false(plan.get('badges') as boolean);
});

test('"No, restore users as manual enrolments" covers "restore as manual enrolments": on and locked, the choice back after', async t => {
	const plan = createRestoreSettings(await restoreSourceOf('rich101_users.mbz'), {target: 'new'});
	plan.set('enrolments', 'never');
	t.like(plan.item('manual_enrolments'), {value: true, locked: true, lockKind: 'dependency'});
	t.like(plan.item('manual_enrolments').lockReason, {code: 'coveredBy', setting: 'enrolments', value: 'never'});
	t.is(plan.item('manual_enrolments').lockReason?.text, 'already done by "Include enrolment methods": "No, restore users as manual enrolments"');
	t.throws(() => plan.set('manual_enrolments', false), {instanceOf: UsageError, message: /locked: already done by/});
	plan.set('enrolments', 'always');
	t.like(plan.item('manual_enrolments'), {value: false, locked: false});
	// Without users nothing is enrolled, manually or not: "needs users" comes first.
	plan.set('enrolments', 'never');
	plan.set('users', false);
	t.like(plan.item('manual_enrolments'), {value: false, locked: true});
	t.is(plan.item('manual_enrolments').lockReason?.code, 'needs');
});

test('rich101_nousers_usersflagonly (Moodle\'s quirk): role assignments, comments and completion in the backup stay off without users', async t => {
	const source = await restoreSourceOf('rich101_nousers_usersflagonly.mbz');
	t.is(source.rootSettings['role_assignments'], '1', 'the backup itself is inconsistent');
	const plan = createRestoreSettings(source, {target: 'new'});
	for (const name of ['role_assignments', 'comments', 'userscompletion']) {
		t.like(plan.item(name), {value: false, locked: true}, name);
		t.is(plan.item(name).lockReason?.code, 'needs', name);
	}
});

test('anonymized and zip fixtures offer users like fixture 1', async t => {
	const plan = createRestoreSettings(await restoreSourceOf('rich101_users_anon.mbz'), {target: 'new'});
	t.like(plan.item('users'), {value: true, locked: false});
});

test('an activity backup restores its activity only: no course-level settings, no section settings', async t => {
	const plan = createRestoreSettings(await restoreSourceOf('rich101_activity_forum_users.mbz'), {target: 'merge'});
	t.deepEqual(plan.list().filter(item => item.level !== 'root').map(item => item.name), ['forum_445_included', 'forum_445_userinfo']);
	t.false(plan.has('overwrite_conf'));
});

test('generator fixture: sections and activities from the backup', async t => {
	const plan = createRestoreSettings(await restoreSourceOf('gen_S_users.mbz'), {target: 'new'});
	t.is(plan.list('section').length, 11 * 2);
	t.is(plan.list('activity').length, 64 * 2);
});

const target = {fullname: 'Existing course', shortname: 'EXIST', startdate: 1_600_000_000};

test('targets: new course forces overwrite_conf; merge keeps the target\'s names until overwrite_conf is on', async t => {
	const source = await restoreSourceOf('rich101_users.mbz');
	const fresh = createRestoreSettings(source, {target: 'new'});
	t.like(fresh.item('overwrite_conf'), {value: true, locked: true, visible: false, lockKind: 'config'});
	t.is(fresh.item('overwrite_conf').lockReason?.code, 'newCourse');
	t.is(fresh.get('course_fullname'), 'Rich fixture course – Histoire & Géographie');
	t.is(fresh.get('course_startdate'), 1725264000);
	fresh.set('course_shortname', 'RICH102');
	t.is(fresh.get('course_shortname'), 'RICH102');

	const merge = createRestoreSettings(source, {target: 'merge', targetCourse: target});
	t.like(merge.item('overwrite_conf'), {value: false, locked: false, visible: true});
	for (const [name, value] of [['course_fullname', target.fullname], ['course_shortname', target.shortname], ['course_startdate', target.startdate]] as const) {
		t.like(merge.item(name), {value, locked: true, lockKind: 'dependency'}, name);
		t.like(merge.item(name).lockReason, {code: 'needs', setting: 'overwrite_conf'});
	}
	merge.set('overwrite_conf', true);
	t.is(merge.get('course_fullname'), 'Rich fixture course – Histoire & Géographie');
	t.is(merge.get('course_shortname'), 'RICH101');
	for (const name of ['keep_roles_and_enrolments', 'keep_groups_and_groupings']) {
		t.like(merge.item(name), {value: false, locked: true, visible: false}, name);
		t.is(merge.item(name).lockReason?.code, 'notDeleting');
	}

	const replace = createRestoreSettings(source, {target: 'replace', targetCourse: target});
	for (const name of ['keep_roles_and_enrolments', 'keep_groups_and_groupings']) {
		t.like(replace.item(name), {value: false, locked: false, visible: true}, name);
		replace.set(name, true);
		t.true(replace.get(name) as boolean);
	}
});

const everything: RestoreSettingsSource = {
	type: 'course',
	rootSettings: Object.fromEntries(['users', 'role_assignments', 'activities', 'blocks', 'filters', 'comments', 'badges', 'calendarevents',
		'userscompletion', 'logs', 'grade_histories', 'groups', 'competencies', 'customfield', 'contentbankcontent', 'legacyfiles'].map(name => [name, '1'])),
	schemaSettings: {section_5_userinfo: '1', page_8_userinfo: '0', quiz_9_userinfo: '1'},
	sections: [{id: 5, name: 'Topic'}],
	activities: [{cmid: 8, modname: 'page', sectionId: 5, name: 'Page'}, {cmid: 9, modname: 'quiz', sectionId: 5, name: 'Quiz'}],
	course: {fullname: 'F', shortname: 'S', startdate: 0},
};

// restore_root_task dependencies (spec §2.6): every one, with the parent switched off.
const restoreDependencies: Array<[string, string]> = [
	['users', 'role_assignments'], ['users', 'comments'], ['users', 'badges'], ['activities', 'badges'], ['users', 'userscompletion'],
	['users', 'logs'], ['users', 'grade_histories'], ['activities', 'grade_histories'], ['users', 'manual_enrolments'],
	['users', 'section_5_userinfo'], ['section_5_included', 'section_5_userinfo'], ['activities', 'quiz_9_included'],
	['section_5_included', 'quiz_9_included'], ['section_5_userinfo', 'quiz_9_userinfo'], ['quiz_9_included', 'quiz_9_userinfo'], ['users', 'quiz_9_userinfo'],
];
for (const [parent, child] of restoreDependencies) {
	test(`restore: ${parent} off locks ${child}`, t => {
		const plan = createRestoreSettings(everything, {target: 'new'});
		t.false(plan.item(child).locked);
		plan.set(parent, false);
		t.like(plan.item(child), {locked: true, value: false});
		t.is(plan.item(child).lockReason?.code, 'needs');
	});
}

test('restore: activity user data absent from the backup is locked, permissions/groups default on when absent', t => {
	const plan = createRestoreSettings(everything, {target: 'new'});
	t.like(plan.item('page_8_userinfo'), {value: false, locked: true, lockKind: 'content'});
	t.like(plan.item('quiz_9_userinfo'), {value: true, locked: false});
	const unwritten = createRestoreSettings({...everything, schemaSettings: {}}, {target: 'new'});
	t.like(unwritten.item('quiz_9_userinfo'), {value: false, locked: true, lockKind: 'content'}, 'not written at all in the backup');
	t.like(plan.item('permissions'), {value: true, locked: false});
	const old = createRestoreSettings({...everything, rootSettings: {users: '1'}}, {target: 'new'});
	t.like(old.item('groups'), {value: true, locked: false});
	t.like(old.item('customfields'), {value: true, locked: false});
	t.like(old.item('blocks'), {value: false, locked: true});
});

test('restore admin defaults and permissions', t => {
	const plan = createRestoreSettings(everything, {target: 'new', adminDefaults: {users: false, blocks: false, blocks_locked: true, enrolments: 'bogus'}});
	t.false(plan.get('users') as boolean);
	t.false(plan.item('users').locked);
	t.like(plan.item('blocks'), {value: false, locked: true, lockKind: 'config'});
	t.is(plan.get('enrolments'), 'never', 'a value that is not an option falls back to the first option, as Moodle');
	const noUserinfo = createRestoreSettings(everything, {target: 'new', permissions: {userinfo: false}});
	t.like(noUserinfo.item('users'), {value: false, locked: true, lockKind: 'permission'});
	t.false(noUserinfo.get('role_assignments') as boolean);
	const competenciesOff = createRestoreSettings(everything, {target: 'new', competenciesEnabled: false});
	t.like(competenciesOff.item('competencies'), {value: false, locked: true});
});

test('the course names are required and within Moodle\'s column sizes (254 / 100 characters)', async t => {
	const plan = createRestoreSettings(await restoreSourceOf('rich101_nousers.mbz'), {target: 'new'});
	t.throws(() => plan.set('course_shortname', '  '), {instanceOf: UsageError, message: 'setting "course_shortname" (Course short name) cannot be empty'});
	t.throws(() => plan.set('course_fullname', ''), {instanceOf: UsageError, message: /cannot be empty/});
	t.throws(() => plan.set('course_shortname', 'é'.repeat(101)), {instanceOf: UsageError, message: 'setting "course_shortname" (Course short name) takes at most 100 characters, got 101'});
	plan.set('course_shortname', 'é'.repeat(100));
	t.is(plan.get('course_shortname'), 'é'.repeat(100));
});
