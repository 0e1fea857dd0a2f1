import test from 'ava';
import {UsageError} from '../../../source/engine/errors.js';
import {createBackupSettings, type BackupSettingsInput} from '../../../source/engine/settings/index.js';

const sections = [{id: 10, number: 0, name: 'General'}, {id: 11, number: 1, name: 'Assessment'}];
const activities = [
	{cmid: 100, modname: 'forum', sectionId: 10, name: 'Announcements'},
	{cmid: 101, modname: 'quiz', sectionId: 11, name: 'Quiz'},
	{cmid: 102, modname: 'page', sectionId: 11, name: 'Notes'},
];
const course = (extra: Partial<BackupSettingsInput> = {}) => createBackupSettings({type: 'course', sections, activities, ...extra});

test('root settings come in Moodle\'s order with Moodle\'s general defaults', t => {
	const roots = course().list('root');
	t.deepEqual(roots.map(item => item.name), [
		'filename', 'imscc11', 'users', 'anonymize', 'role_assignments', 'activities', 'blocks', 'files', 'filters',
		'comments', 'badges', 'calendarevents', 'userscompletion', 'logs', 'grade_histories', 'questionbank', 'groups',
		'competencies', 'customfield', 'contentbankcontent', 'legacyfiles',
	]);
	const values = Object.fromEntries(roots.map(item => [item.name, item.value]));
	t.like(values, {
		filename: 'backup.mbz', imscc11: false, users: true, anonymize: false, role_assignments: true, activities: true,
		blocks: true, files: true, filters: true, comments: true, badges: true, calendarevents: true, userscompletion: true,
		logs: false, grade_histories: false, questionbank: true, groups: true, competencies: true, customfield: true,
		contentbankcontent: true, legacyfiles: true,
	});
	t.true(roots.every(item => !item.locked));
});

test('imscc11 is offered for course backups only', t => {
	t.false(createBackupSettings({type: 'activity', sections: [], activities: [activities[0]!]}).has('imscc11'));
	t.false(createBackupSettings({type: 'section', sections: [sections[0]!], activities: [activities[0]!]}).has('imscc11'));
	t.false(course({mode: 'automated'}).has('imscc11'));
});

// Every root dependency of spec §2.2: child locked and off while the parent is off.
const rootDependencies: Array<[parent: string, child: string]> = [
	['users', 'anonymize'], ['users', 'role_assignments'], ['users', 'comments'], ['users', 'badges'],
	['activities', 'badges'], ['users', 'userscompletion'], ['users', 'logs'], ['users', 'grade_histories'],
	['activities', 'grade_histories'],
];
for (const [parent, child] of rootDependencies) {
	test(`${parent} off locks ${child} off, and on again restores its value`, t => {
		const plan = course();
		plan.set(child, true);
		plan.set(parent, false);
		const item = plan.item(child);
		t.false(item.value);
		t.true(item.locked);
		t.is(item.lockKind, 'dependency');
		t.like(item.lockReason, {code: 'needs', setting: parent});
		const error = t.throws(() => plan.set(child, true), {instanceOf: UsageError});
		t.regex(error.message, new RegExp(`"${child}".*locked.*requires`));
		plan.set(parent, true);
		t.true(plan.get(child) as boolean);
		t.false(plan.item(child).locked);
	});
}

test('settings without dependencies stay unlocked when users and activities are off', t => {
	const plan = course();
	plan.set('users', false);
	plan.set('activities', false);
	for (const name of ['blocks', 'files', 'filters', 'calendarevents', 'questionbank', 'groups', 'competencies', 'customfield', 'contentbankcontent', 'legacyfiles']) {
		t.false(plan.item(name).locked, name);
		t.true(plan.get(name) as boolean, name);
	}
});

test('imscc11 locks users, blocks and filters while ticked', t => {
	const plan = course();
	plan.set('imscc11', true);
	for (const name of ['users', 'blocks', 'filters']) {
		t.true(plan.item(name).locked, name);
		t.like(plan.item(name).lockReason, {code: 'excludedBy', setting: 'imscc11'});
	}
	t.false(plan.item('files').locked);
	// Locked off, as Moodle's disabledif_checked sets them: what depends on users goes with them.
	for (const name of ['users', 'blocks', 'filters', 'anonymize', 'role_assignments']) t.false(plan.get(name) as boolean, name);
	t.true(plan.item('role_assignments').locked);
	plan.set('imscc11', false);
	t.false(plan.item('users').locked);
	t.true(plan.get('users') as boolean, 'the choice comes back');
	t.true(plan.get('role_assignments') as boolean);
});

// Section and activity bindings of spec §2.3: switching the parent off locks exactly these settings off
// (transitively), with the lock kind: hierarchy from a higher level, dependency within a level.
type Kind = 'dependency' | 'hierarchy';
const schemaDependencies: Array<[string, Array<[string, Kind]>]> = [
	['users', [['section_10_userinfo', 'hierarchy'], ['section_11_userinfo', 'hierarchy'], ['forum_100_userinfo', 'hierarchy'], ['quiz_101_userinfo', 'hierarchy'], ['page_102_userinfo', 'hierarchy']]],
	['activities', [['forum_100_included', 'hierarchy'], ['quiz_101_included', 'hierarchy'], ['page_102_included', 'hierarchy'], ['forum_100_userinfo', 'dependency'], ['quiz_101_userinfo', 'dependency'], ['page_102_userinfo', 'dependency']]],
	['questionbank', [['quiz_101_included', 'hierarchy'], ['quiz_101_userinfo', 'dependency']]],
	['section_11_included', [['section_11_userinfo', 'dependency'], ['quiz_101_included', 'hierarchy'], ['page_102_included', 'hierarchy'], ['quiz_101_userinfo', 'hierarchy'], ['page_102_userinfo', 'hierarchy']]],
	['section_11_userinfo', [['quiz_101_userinfo', 'hierarchy'], ['page_102_userinfo', 'hierarchy']]],
	['page_102_included', [['page_102_userinfo', 'dependency']]],
];
for (const [parent, children] of schemaDependencies) {
	test(`${parent} off locks ${children.map(([name]) => name).join(', ')}`, t => {
		const plan = course();
		plan.set(parent, false);
		for (const [child, kind] of children) {
			const item = plan.item(child);
			t.false(item.value, child);
			t.true(item.locked, child);
			t.is(item.lockKind, kind, child);
			t.is(item.lockReason?.code, 'needs', child);
		}
		const names = new Set([parent, ...children.map(([name]) => name)]);
		for (const item of plan.list()) {
			if (item.level !== 'root' && !names.has(item.name)) t.false(item.locked, item.name);
		}
	});
}

test('questionbank off only excludes question-using activities, and the list is configurable', t => {
	const plan = course({questionUsingModules: ['quiz', 'page']});
	plan.set('questionbank', false);
	t.false(plan.get('quiz_101_included') as boolean);
	t.false(plan.get('page_102_included') as boolean);
	t.true(plan.get('forum_100_included') as boolean);
});

test('schema settings follow Moodle\'s task order and carry their section / activity', t => {
	const plan = course();
	t.deepEqual(plan.list().filter(item => item.level !== 'root').map(item => item.name), [
		'section_10_included', 'section_10_userinfo', 'forum_100_included', 'forum_100_userinfo',
		'section_11_included', 'section_11_userinfo', 'quiz_101_included', 'quiz_101_userinfo', 'page_102_included', 'page_102_userinfo',
	]);
	t.is(plan.item('section_11_included').section?.name, 'Assessment');
	t.is(plan.item('quiz_101_userinfo').activity?.cmid, 101);
	t.is(plan.item('section_11_included').label, 'Assessment');
});

test('moodle_backup.xml entries: booleans as 1/0, section and activity tags', t => {
	const plan = course();
	plan.set('filename', 'backup-moodle2-course-9-x-20260101-0000.mbz');
	const entries = plan.toMoodleSettings();
	t.deepEqual(entries[0], {level: 'root', name: 'filename', value: 'backup-moodle2-course-9-x-20260101-0000.mbz'});
	t.deepEqual(entries.find(entry => entry.name === 'logs'), {level: 'root', name: 'logs', value: '0'});
	t.deepEqual(entries.find(entry => entry.name === 'section_11_userinfo'), {level: 'section', section: 'section_11', name: 'section_11_userinfo', value: '1'});
	t.deepEqual(entries.find(entry => entry.name === 'quiz_101_included'), {level: 'activity', activity: 'quiz_101', name: 'quiz_101_included', value: '1'});
});

test('set() rejects unknown settings and wrong types', t => {
	const plan = course();
	t.throws(() => plan.set('nonsense', true), {instanceOf: UsageError, message: /unknown backup setting "nonsense"/});
	t.throws(() => plan.set('users', 'yes'), {instanceOf: UsageError, message: /"users" expects true or false/});
	t.throws(() => plan.set('filename', ''), {instanceOf: UsageError});
});

test('an activity backup has no section settings and binds its activity to the roots', t => {
	const plan = createBackupSettings({type: 'activity', sections: [], activities: [activities[1]!]});
	t.deepEqual(plan.list().filter(item => item.level !== 'root').map(item => item.name), ['quiz_101_included', 'quiz_101_userinfo']);
	plan.set('users', false);
	t.false(plan.get('quiz_101_userinfo') as boolean);
});

test('competencies disabled on the site: off and locked', t => {
	const item = course({competenciesEnabled: false}).item('competencies');
	t.false(item.value);
	t.true(item.locked);
	t.is(item.lockReason?.code, 'competenciesDisabled');
});

test('permissions: no userinfo locks users off (and every user setting), no configure locks everything but the filename', t => {
	const noUserinfo = course({permissions: {userinfo: false, anonymise: false}});
	t.like(noUserinfo.item('users'), {value: false, locked: true, lockKind: 'permission'});
	t.like(noUserinfo.item('role_assignments'), {value: false, locked: true});
	t.like(noUserinfo.item('anonymize'), {value: false, locked: true});
	const noConfigure = course({permissions: {configure: false}});
	t.false(noConfigure.item('filename').locked);
	t.true(noConfigure.list().filter(item => item.name !== 'filename').every(item => item.locked));
	t.true(noConfigure.get('users') as boolean);
});

test('a plan of thousands of settings builds in linear time', t => {
	const manySections = Array.from({length: 101}, (_, index) => ({id: 1000 + index, name: `S${index}`}));
	const many = Array.from({length: 3000}, (_, index) => ({cmid: 5000 + index, modname: index % 3 === 0 ? 'quiz' : 'page', sectionId: 1000 + (index % 101), name: `A${index}`}));
	const started = performance.now();
	const plan = createBackupSettings({type: 'course', sections: manySections, activities: many});
	plan.set('users', false);
	t.false(plan.get('quiz_5000_userinfo') as boolean);
	t.is(plan.list().length, 21 + 101 * 2 + 3000 * 2);
	// Quadratic evaluation took ~8 s here; linear takes well under one.
	t.true(performance.now() - started < 2000, `${Math.round(performance.now() - started)} ms`);
});
