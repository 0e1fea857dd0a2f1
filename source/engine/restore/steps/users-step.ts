import {CONTEXT_LEVEL, createContexts} from '../../store/contexts.js';
import {buildRow} from '../table-rows.js';
import type {Row} from '../../store/db.js';
import {count, type RestoreRun} from '../run-context.js';
import {records} from '../xml-input.js';
import {readBackupUsers} from '../read-users.js';
import type {UserClassification} from '../user-precheck.js';

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
	// users.xml is read again with every field, and the accounts created a batch at a time.
	const decisions = new Map(toCreate.map((entry) => [entry.user.id, entry]));
	let batch: UserClassification[] = [];
	let done = 0;
	for await (const user of readBackupUsers(run.backup.xmlDir, run.backup.file, {withFields: true})) {
		const entry = decisions.get(user.id);
		if (!entry) continue;
		batch.push({...entry, user});
		if (batch.length === BATCH) {
			run.step('users', user.username, done, toCreate.length);
			await createBatch(run, batch);
			done += batch.length;
			batch = [];
		}
	}
	if (batch.length) await createBatch(run, batch);
	count(run, 'usersCreated', toCreate.length);
	count(run, 'usersMapped', precheck.toMap.length);
	if (toCreate.length) await restoreUserDetails(run, new Set(run.usersCreated.map((user) => user.id)));
}

const USER = '/users/user';
const PREFERENCE = '/users/user/preferences/preference';
const CUSTOM_FIELD = '/users/user/custom_fields/custom_field';

/**
 * Preferences and profile fields of the accounts this restore created (existing accounts are never updated).
 * A profile field comes back only when a field with the same short name and type exists here (Moodle's rule).
 */
async function restoreUserDetails(run: RestoreRun, created: ReadonlySet<number>): Promise<void> {
	const tables = new Set(await run.db.tableNames());
	if (!tables.has('user_preferences') || !tables.has('user_info_data') || !tables.has('user_info_field')) return;
	const fields = new Map((await run.db.all<{id: number; shortname: string; datatype: string}>('SELECT id, shortname, datatype FROM {user_info_field}'))
		.map((field) => [`${field.shortname}\u0000${field.datatype}`, Number(field.id)]));
	let current: number | undefined;
	const preferences: Row[] = [];
	const data: Row[] = [];
	for await (const record of records(run.backup, 'users.xml', [USER, PREFERENCE, CUSTOM_FIELD])) {
		if (record.path === USER) {
			const id = run.ids.get('user', Number(record.attrs['id']));
			current = id && created.has(id) ? id : undefined;
			continue;
		}
		if (current === undefined) continue;
		if (record.path === PREFERENCE) {
			const name = record.data['name'] ?? '';
			if (name) preferences.push(buildRow('user_preferences', {userid: current, name, value: record.data['value'] ?? ''}));
		} else {
			const fieldid = fields.get(`${record.data['field_name'] ?? ''}\u0000${record.data['field_type'] ?? ''}`);
			if (fieldid) data.push(buildRow('user_info_data', {userid: current, fieldid, data: record.data['field_data'] ?? '', dataformat: 0}));
		}
		if (preferences.length >= BATCH) await run.db.insertMany('user_preferences', preferences.splice(0));
		if (data.length >= BATCH) await run.db.insertMany('user_info_data', data.splice(0));
	}
	await run.db.insertMany('user_preferences', preferences);
	await run.db.insertMany('user_info_data', data);
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
