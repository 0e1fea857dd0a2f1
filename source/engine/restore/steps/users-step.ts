import {CONTEXT_LEVEL, contextIdFor, createContexts} from '../../store/contexts.js';
import {resolveTagId} from '../../plugins/common-elements.js';
import {buildRow} from '../table-rows.js';
import {overrideRow} from './role-assignments-step.js';
import type {Row} from '../../store/db.js';
import {count, userId, type RestoreRun} from '../run-context.js';
import {records} from '../xml-input.js';
import {backupUserOf} from '../read-users.js';
import type {XmlRecord} from '../../xml/read-xml-records.js';
import type {UserClassification} from '../user-precheck.js';
import {warnInto} from '../../notices.js';

/** users.xml fields that are not copied into the new account as they are. */
const NOT_COPIED = new Set(['id', 'contextid', 'mnethosturl', 'password', 'policyagreed', 'username', 'mnethostid']);
const INTERNAL_AUTH = new Set(['manual', 'email']);
const BATCH = 500;

/**
 * Users (restore_dbops::create_included_users): mapped users are only mapped (existing accounts are never
 * updated); the others are created. Without a password in the backup, internal accounts get Moodle's literal
 * `restored` (the login page then sends them through password reset). Deleted users get no context.
 */
export async function restoreUsers(run: RestoreRun): Promise<void> {
	const precheck = run.precheck;
	if (!run.settings.users || !precheck) return;
	for (const entry of precheck.toMap) {
		if (entry.decision.kind !== 'map') continue;
		run.ids.set('user', entry.user.id, entry.decision.siteUserId, entry.user.contextId ?? null);
		run.usersMapped.push({username: entry.user.username, id: entry.decision.siteUserId});
	}
	const toCreate = precheck.toCreate;
	const decisions = new Map(toCreate.map((entry) => [entry.user.id, entry]));
	const details = await userDetailWriter(run);
	// One pass over users.xml: accounts created a batch at a time, their preferences and profile fields
	// written once their batch has its ids (existing accounts are never updated). A batch is written while the
	// next one is read (the database works on its own thread).
	let batch: UserClassification[] = [];
	let done = 0;
	let current: number | undefined;
	let writing: Promise<void> | undefined;
	const createPending = async (): Promise<void> => {
		if (writing) await writing;
		writing = undefined;
		if (batch.length === 0) return;
		const ready = batch;
		batch = [];
		run.step('users', ready.at(-1)!.user.username, done, toCreate.length);
		writing = (async () => {
			await createBatch(run, ready);
			done += ready.length;
			await details.flush(false, current);
		})();
		writing.catch(() => undefined); // awaited by the next batch or at the end
	};
	const userRoles: Array<{owner: number; data: XmlRecord['data']}> = [];
	const userOverrides: Array<{owner: number; data: XmlRecord['data']}> = [];
	const userTags: Array<{owner: number; rawname: string}> = [];
	try {
		for await (const record of records(run.backup, 'users.xml', [USER, PREFERENCE, CUSTOM_FIELD, USER_ROLE, USER_OVERRIDE, USER_TAG])) {
			if (record.path === USER) {
				const user = backupUserOf(record, true);
				const entry = decisions.get(user.id);
				current = entry ? user.id : undefined;
				if (!entry) continue;
				batch.push({...entry, user});
				// Older sites kept the editor choice on the account (user.htmleditor): "no HTML editor" is now a preference.
				if (user.fields['htmleditor'] === '0') details.add(user.id, {...record, path: PREFERENCE, data: {name: 'htmleditor', value: 'textarea'}});
				if (batch.length === BATCH) await createPending();
			} else if (current !== undefined && record.path === USER_ROLE) {
				userRoles.push({owner: current, data: record.data});
			} else if (current !== undefined && record.path === USER_OVERRIDE) {
				userOverrides.push({owner: current, data: record.data});
			} else if (current !== undefined && record.path === USER_TAG) {
				const rawname = record.data['rawname'] ?? record.data['name'] ?? '';
				if (rawname) userTags.push({owner: current, rawname});
			} else if (current !== undefined) {
				details.add(current, record);
			}
		}
		await createPending();
		await writing;
	} finally {
		// On an error, the batch being written finishes before the caller rolls back: nothing writes after it.
		await writing?.catch(() => undefined);
	}
	await details.flush(true);
	await restoreUserContextRoles(run, userRoles);
	await restoreUserContextOverrides(run, userOverrides);
	await restoreUserTags(run, userTags);
	count(run, 'usersCreated', toCreate.length);
	count(run, 'usersMapped', precheck.toMap.length);
}

const USER = '/users/user';
const PREFERENCE = '/users/user/preferences/preference';
const CUSTOM_FIELD = '/users/user/custom_fields/custom_field';
const USER_ROLE = '/users/user/roles/role_assignments/assignment';
const USER_OVERRIDE = '/users/user/roles/role_overrides/override';
const USER_TAG = '/users/user/tags/tag';

/**
 * Preferences and profile fields of the accounts this restore creates, keyed by backup user id until the account
 * exists. A profile field comes back only when a field with the same short name and type exists here (Moodle's rule).
 */
async function userDetailWriter(run: RestoreRun): Promise<{add(oldUserId: number, record: XmlRecord): void; flush(all: boolean, reading?: number): Promise<void>}> {
	const tables = new Set(await run.db.tableNames());
	const enabled = tables.has('user_preferences') && tables.has('user_info_data') && tables.has('user_info_field');
	const fields = enabled
		? new Map((await run.db.all<{id: number; shortname: string; datatype: string}>('SELECT id, shortname, datatype FROM {user_info_field}'))
			.map((field) => [`${field.shortname}\u0000${field.datatype}`, Number(field.id)]))
		: new Map<string, number>();
	let waiting: Array<{oldUserId: number; record: XmlRecord}> = [];
	return {
		add(oldUserId, record) {
			if (enabled) waiting.push({oldUserId, record});
		},
		/** Writes what belongs to created accounts, but for the account being read (`reading`): its records are not all in. */
		async flush(all, reading) {
			const preferences = new Map<string, Row>();
			const data: Row[] = [];
			const later: typeof waiting = [];
			for (const item of waiting) {
				const userid = run.ids.get('user', item.oldUserId);
				if (userid === undefined || (!all && item.oldUserId === reading)) {
					if (!all) later.push(item);
					continue;
				}
				const values = item.record.data;
				if (item.record.path === PREFERENCE) {
					const preference = restoredPreference(values['name'] ?? '', values['value'] ?? '');
					if (!preference) continue;
					const key = `${userid}\u0000${preference.name}`;
					const merged = preferences.get(key);
					if (merged && preference.merge) merged['value'] = mergeProcessors(String(merged['value']), preference.value);
					else preferences.set(key, buildRow('user_preferences', {userid, name: preference.name, value: preference.value}));
				} else {
					const fieldid = fields.get(`${values['field_name'] ?? ''}\u0000${values['field_type'] ?? ''}`);
					if (fieldid) data.push(buildRow('user_info_data', {userid, fieldid, data: values['field_data'] ?? '', dataformat: 0}));
				}
			}
			waiting = later;
			if (preferences.size) await run.db.insertMany('user_preferences', [...preferences.values()]);
			if (data.length) await run.db.insertMany('user_info_data', data);
		},
	};
}

/**
 * A preference as Moodle 4 restores it: the message preferences of older sites, `message_provider_<x>_loggedin` and
 * `_loggedoff`, become one `message_provider_<x>_enabled` holding the processors of both (`merge`).
 */
function restoredPreference(name: string, value: string): {name: string; value: string; merge: boolean} | undefined {
	if (!name) return undefined;
	const legacy = /^(message_provider_.+)_(loggedin|loggedoff)$/.exec(name);
	return legacy ? {name: `${legacy[1]}_enabled`, value, merge: true} : {name, value, merge: false};
}

/** Two processor lists ('popup,email' or 'none') as one, without repeats. */
function mergeProcessors(first: string, second: string): string {
	const processors = new Set<string>();
	for (const list of [second, first]) for (const processor of list.split(',')) if (processor && processor !== 'none') processors.add(processor);
	return processors.size === 0 ? 'none' : [...processors].join(',');
}

/**
 * Roles given over a created account in its own user context (a parent or mentor role), written once every account
 * exists: the one assigned may come after the account in users.xml. Needs a mapped role and a restored assignee.
 */
async function restoreUserContextRoles(run: RestoreRun, userRoles: ReadonlyArray<{owner: number; data: XmlRecord['data']}>): Promise<void> {
	if (userRoles.length === 0 || !run.settings.roleAssignments) return;
	const rows: Row[] = [];
	for (const {owner, data} of userRoles) {
		const ownerId = run.ids.get('user', owner);
		const roleid = run.roles.map.get(Number(data['roleid']));
		const assignee = userId(run, Number(data['userid']));
		if (!ownerId || !roleid || !assignee) continue;
		const contextid = await contextIdFor(run.db, CONTEXT_LEVEL.USER, ownerId);
		if (contextid === undefined) continue; // a deleted account has no context
		rows.push(buildRow('role_assignments', {
			roleid, contextid, userid: assignee, component: '', itemid: 0, timemodified: run.now,
			modifierid: userId(run, Number(data['modifierid'])) ?? run.adminUserId, sortorder: data['sortorder'] ?? '0',
		}));
	}
	await run.db.insertMany('role_assignments', rows);
	count(run, 'roleAssignments', rows.length);
}

/**
 * Permissions overridden for a role in a created account's user context (what a parent or mentor role may do over
 * that account), restored like a course's overrides: whatever the role assignments setting, with a mapped role.
 */
async function restoreUserContextOverrides(run: RestoreRun, overrides: ReadonlyArray<{owner: number; data: XmlRecord['data']}>): Promise<void> {
	const rows: Row[] = [];
	const seen = new Set<string>();
	for (const {owner, data} of overrides) {
		const ownerId = run.ids.get('user', owner);
		const roleid = run.roles.map.get(Number(data['roleid']));
		const capability = data['capability'] ?? '';
		if (!ownerId || !roleid || !capability) continue;
		const contextid = await contextIdFor(run.db, CONTEXT_LEVEL.USER, ownerId);
		if (contextid === undefined) continue;
		const key = `${contextid}:${roleid}:${capability}`;
		if (seen.has(key)) continue; // one permission per context, role and capability (the table's unique key)
		seen.add(key);
		rows.push(overrideRow(run, contextid, roleid, data));
	}
	await run.db.insertMany('role_capabilities', rows);
	count(run, 'roleOverrides', rows.length);
}

/** The interests of created accounts (tags on the user, in the account's context), each tag found by name or created. */
async function restoreUserTags(run: RestoreRun, userTags: ReadonlyArray<{owner: number; rawname: string}>): Promise<void> {
	const ordering = new Map<number, number>();
	const warn = warnInto(run.warnings);
	for (const {owner, rawname} of userTags) {
		const userid = run.ids.get('user', owner);
		if (!userid) continue;
		const contextid = await contextIdFor(run.db, CONTEXT_LEVEL.USER, userid);
		if (contextid === undefined) continue;
		const scope = {db: run.db, idMap: run.ids, courseId: run.courseId, contextId: contextid, warn};
		const tagid = await resolveTagId(scope, rawname);
		const position = ordering.get(userid) ?? 0;
		ordering.set(userid, position + 1);
		await run.db.insert('tag_instance', buildRow('tag_instance', {
			tagid, component: 'core', itemtype: 'user', itemid: userid, contextid, ordering: position, timecreated: run.now, timemodified: run.now,
		}));
		count(run, 'userTags');
	}
}

async function createBatch(run: RestoreRun, batch: UserClassification[]): Promise<void> {
	const rows = batch.map((entry) => {
		const values: Record<string, string | number | null> = {};
		for (const [name, value] of Object.entries(entry.user.fields)) if (!NOT_COPIED.has(name)) values[name] = value;
		const username = entry.decision.kind === 'create' ? entry.decision.username : entry.user.username;
		let auth = entry.user.auth || 'manual';
		// An mnet account whose host is this site becomes a local one.
		if (auth === 'mnet' && entry.mnethostid === 1) auth = 'manual';
		const password = entry.user.fields['password'];
		return buildRow('user', {
			...values, username, auth, mnethostid: entry.mnethostid, policyagreed: 0,
			password: password ? password : INTERNAL_AUTH.has(auth) ? 'restored' : '',
			timecreated: Number(values['timecreated'] ?? 0) || run.now, timemodified: run.now,
		});
	});
	const ids = await run.db.insertMany('user', rows);
	const living: Array<{index: number; id: number}> = [];
	batch.forEach((entry, index) => {
		const id = ids[index]!;
		run.ids.set('user', entry.user.id, id, entry.user.contextId ?? null);
		run.usersCreated.push({username: String(rows[index]!['username']), id});
		if (!entry.user.deleted) living.push({index, id});
	});
	const contextIds = await createContexts(run.db, CONTEXT_LEVEL.USER, living.map((user) => user.id), 1);
	living.forEach((user, position) => {
		const oldContext = batch[user.index]!.user.contextId;
		if (oldContext) run.ids.set('context', oldContext, contextIds[position]!);
	});
}
