import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {openPreferences} from '../../../source/config.js';
import {UsageError} from '../../../source/engine/errors.js';
import {createBackupSettings, loadBackupDefaults, saveBackupDefaults} from '../../../source/engine/settings/index.js';

const sections = [{id: 1, name: 'General'}];
const activities = [{cmid: 7, modname: 'assign', sectionId: 1, name: 'Essay'}];
const tempPrefs = () => openPreferences(mkdtempSync(path.join(os.tmpdir(), 'mbz-prefs-')));

test('the quirk cannot happen: users=0 with role_assignments/comments/userscompletion=1 as admin defaults', t => {
	const plan = createBackupSettings({
		type: 'course', sections, activities,
		adminDefaults: {users: false, role_assignments: true, comments: true, userscompletion: true, logs: true, grade_histories: true, anonymize: true},
	});
	for (const name of ['anonymize', 'role_assignments', 'comments', 'userscompletion', 'logs', 'grade_histories', 'badges', 'section_1_userinfo', 'assign_7_userinfo']) {
		t.false(plan.get(name) as boolean, name);
		t.true(plan.item(name).locked, name);
	}
	t.true(plan.toMoodleSettings().filter(entry => ['role_assignments', 'comments', 'userscompletion'].includes(entry.name)).every(entry => entry.value === '0'));
});

test('the quirk cannot happen in any order, even when the children are locked by the admin', t => {
	const defaults = {role_assignments: true, role_assignments_locked: true, comments: true, comments_locked: true, users: false};
	const plan = createBackupSettings({type: 'course', sections, activities, adminDefaults: defaults});
	t.false(plan.get('role_assignments') as boolean);
	t.false(plan.get('comments') as boolean);
	t.is(plan.item('role_assignments').lockReason?.code, 'needs');
});

test('admin defaults apply and their _locked twins lock (general mode only)', t => {
	const defaults = {logs: true, blocks: false, blocks_locked: true};
	const general = createBackupSettings({type: 'course', sections, activities, adminDefaults: defaults});
	t.true(general.get('logs') as boolean);
	t.like(general.item('blocks'), {value: false, locked: true, lockKind: 'config'});
	t.is(general.item('blocks').lockReason?.code, 'adminLocked');
	t.throws(() => general.set('blocks', true), {instanceOf: UsageError, message: /"blocks".*locked/});
	const automated = createBackupSettings({type: 'course', sections, activities, adminDefaults: defaults, mode: 'automated'});
	t.false(automated.get('blocks') as boolean);
	t.false(automated.item('blocks').locked);
});

test('a locked-by-admin users=1 still lets the user untick anonymize etc.', t => {
	const plan = createBackupSettings({type: 'course', sections, activities, adminDefaults: {users: true, users_locked: true}});
	t.true(plan.item('users').locked);
	plan.set('anonymize', true);
	t.true(plan.get('anonymize') as boolean);
});

test('defaults round-trip through the preferences and unknown names are refused', t => {
	const prefs = tempPrefs();
	t.deepEqual(loadBackupDefaults(prefs), {});
	saveBackupDefaults({users: false, logs: true, files_locked: true}, prefs);
	t.deepEqual(loadBackupDefaults(prefs), {users: false, logs: true, files_locked: true});
	t.throws(() => saveBackupDefaults({filename: true}, prefs), {instanceOf: UsageError});
	t.throws(() => saveBackupDefaults({nonsense: true}, prefs), {instanceOf: UsageError});
	const plan = createBackupSettings({type: 'course', sections, activities, adminDefaults: loadBackupDefaults(prefs)});
	t.false(plan.get('users') as boolean);
	t.false(plan.get('logs') as boolean, 'logs needs users');
	plan.set('users', true);
	t.true(plan.get('logs') as boolean, 'the admin default comes back once users is on');
});
