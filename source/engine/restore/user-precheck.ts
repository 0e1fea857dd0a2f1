import {createHash} from 'node:crypto';
import {notice, type Notice} from '../notices.js';

/**
 * The user precheck (Moodle's restore_dbops::precheck_user / precheck_included_users, spec §6): every user of
 * users.xml either maps to an existing account, will be created, or conflicts. Rules are evaluated top to
 * bottom, first hit wins, with separate rule sets for a backup made on this site and one from another platform.
 */

/** The fields of a users.xml <user> the matching rules look at (the full record travels in `fields`). */
export type BackupUser = {
	id: number;
	contextId: number | undefined;
	username: string;
	email: string;
	firstname: string;
	lastname: string;
	firstaccess: number;
	deleted: boolean;
	auth: string;
	/** <mnethosturl>, present only for users of a remote mnet host. */
	mnetHostUrl: string | undefined;
	/** Every leaf field of the <user> element, as read (null for $@NULL@$). */
	fields: Record<string, string | null>;
};

/** An account of this site, as far as the rules need it. */
export type SiteUser = {
	id: number;
	username: string;
	email: string;
	firstaccess: number;
	deleted: boolean;
	mnethostid: number;
};

/** Read-only questions the rules ask the site. The SQL implementation is db-user-lookup.ts. */
export interface SiteUserLookup {
	readonly localMnetHostId: number;
	/** mnet_host id for a remote host's wwwroot; undefined when the host is unknown here. */
	mnetHostIdFor(wwwroot: string): Promise<number | undefined>;
	byId(id: number): Promise<SiteUser | undefined>;
	byUsername(username: string, mnethostid: number): Promise<SiteUser | undefined>;
	/** Deleted accounts whose username starts with `prefix` (case-insensitive): Moodle renames deleted users to `<email>.<time>`. */
	deletedByUsernamePrefix(prefix: string, mnethostid: number): Promise<SiteUser[]>;
	/** Deleted accounts whose email is exactly `email` (Moodle stores md5(username) there on deletion). */
	deletedByEmail(email: string, mnethostid: number): Promise<SiteUser[]>;
	/** Accounts whose upper-cased email, cut to 89 characters, equals `upperEmail89`. */
	byEmailPrefixUpper(upperEmail89: string, mnethostid: number): Promise<SiteUser[]>;
	/** Non-deleted accounts with this email (case-insensitive): used by the map-by-email policy. */
	byEmail(email: string): Promise<SiteUser[]>;
	/** Optional: loads what byId/byUsername will be asked for a batch of backup users in one go. */
	prefetch?(users: readonly BackupUser[]): Promise<void>;
}

export type PrecheckContext = {
	/** original_site_identifier_hash === md5(this site's identifier). */
	sameSite: boolean;
	/** The backup's original_site_identifier_hash (names the admin_<hash> account). */
	originalSiteHash: string;
	/** Moodle's backup/import_general_duplicate_admin_allowed; ours defaults to on (spec §6.4). */
	allowAdminConflictResolution: boolean;
};

export type UserDecision =
	| {kind: 'map'; rule: string; siteUserId: number; siteUsername: string}
	| {kind: 'create'; rule: string; username: string}
	| {kind: 'conflict'; rule: string; reason: Notice; siteUserId: number};

export type UserClassification = {user: BackupUser; mnethostid: number; decision: UserDecision};

const ANON_USERNAME = /^anon\d*$/;
const ANON_FIRSTNAME = /^anonfirstname\d*$/;
const ANON_LASTNAME = /^anonlastname\d*$/;
const ANON_EMAIL = /^anon\d*@doesntexist\.(com|invalid)$/;

export function isAnonymisedUser(user: Pick<BackupUser, 'username' | 'firstname' | 'lastname' | 'email'>): boolean {
	return ANON_USERNAME.test(user.username) && ANON_FIRSTNAME.test(user.firstname)
		&& ANON_LASTNAME.test(user.lastname) && ANON_EMAIL.test(user.email);
}

export function md5(text: string): string {
	return createHash('md5').update(text).digest('hex');
}

/** Moodle: a remote host unknown here, or no host at all, counts as the local host (§6.2). */
export async function resolveMnetHostId(user: BackupUser, lookup: SiteUserLookup, siteWwwroot: string): Promise<number> {
	if (!user.mnetHostUrl || user.mnetHostUrl === siteWwwroot) return lookup.localMnetHostId;
	return (await lookup.mnetHostIdFor(user.mnetHostUrl)) ?? lookup.localMnetHostId;
}

function mapTo(rule: string, siteUser: SiteUser): UserDecision {
	return {kind: 'map', rule, siteUserId: siteUser.id, siteUsername: siteUser.username};
}

/** Deleted backup usernames carry a trailing `.<timestamp>`; Moodle strips it and upper-cases for rules 1D/2C. */
function trimmedDeletedUsername(username: string): string {
	return username.replace(/\.\d+$/, '').toUpperCase().slice(0, 89);
}

/** Classifies one user. Admin conflict resolution is applied by classifyUsers, as Moodle does it after the rules. */
export async function precheckUser(user: BackupUser, mnethostid: number, lookup: SiteUserLookup, context: PrecheckContext): Promise<UserDecision> {
	const emailPrefix = user.email.slice(0, 89).toLowerCase() + '.';
	if (context.sameSite) {
		const sameId = await lookup.byId(user.id);
		// 1A: same id, username and mnet host.
		if (sameId && sameId.username === user.username && sameId.mnethostid === mnethostid) return mapTo('1A', sameId);
		// 1B: anonymised user: any account with that username (MDL-31484; merges anonN of different backups).
		if (isAnonymisedUser(user)) {
			const anon = await lookup.byUsername(user.username, mnethostid);
			if (anon) return mapTo('1B', anon);
		}
		// 1C: the account with the same id was deleted here after the backup.
		if (sameId && sameId.mnethostid === mnethostid && sameId.deleted) {
			const renamedFromEmail = user.email !== '' && sameId.username.toLowerCase().startsWith(emailPrefix);
			if (renamedFromEmail || (sameId.email !== '' && sameId.email === md5(user.username))) return mapTo('1C', sameId);
		}
		// 1D: the backup user was already deleted; its username is the old email.
		if (user.deleted && sameId && sameId.mnethostid === mnethostid
			&& sameId.email.toUpperCase().slice(0, 89) === trimmedDeletedUsername(user.username)) return mapTo('1D', sameId);
		// 1E: the username belongs to another account.
		const sameName = await lookup.byUsername(user.username, mnethostid);
		if (sameName && sameName.id !== user.id) {
			return {
				kind: 'conflict', rule: '1E', siteUserId: sameName.id,
				reason: notice('usernameTaken', {username: user.username, siteId: sameName.id, backupId: user.id}),
			};
		}
		return {kind: 'create', rule: '1F', username: user.username};
	}

	const sameName = await lookup.byUsername(user.username, mnethostid);
	// 2A1: same username and mnet host, and the same email (case-insensitive) or the same non-zero first access.
	if (sameName && (sameName.email.toLowerCase() === user.email.toLowerCase()
		|| (user.firstaccess !== 0 && sameName.firstaccess === user.firstaccess))) return mapTo('2A1', sameName);
	// 2A2: a previous admin conflict resolution already created admin_<hash>.
	if (context.allowAdminConflictResolution && user.username === 'admin' && mnethostid === lookup.localMnetHostId) {
		const resolved = await lookup.byUsername(`admin_${context.originalSiteHash}`, mnethostid);
		if (resolved) return mapTo('2A2', resolved);
	}
	// 2B1 / 2B2: the account was deleted here (username renamed to <email>.<time>, email set to md5(username)).
	for (const deleted of await lookup.deletedByEmail(md5(user.username), mnethostid)) {
		if (deleted.username.toLowerCase().startsWith(emailPrefix)
			|| (user.firstaccess !== 0 && deleted.firstaccess === user.firstaccess)) return mapTo('2B1', deleted);
	}
	if (user.firstaccess !== 0) {
		for (const deleted of await lookup.deletedByUsernamePrefix(emailPrefix, mnethostid)) {
			if (deleted.firstaccess === user.firstaccess) return mapTo('2B2', deleted);
		}
	}
	// 2C: the backup user was already deleted; match its old email and first access.
	if (user.deleted && user.firstaccess !== 0) {
		for (const candidate of await lookup.byEmailPrefixUpper(trimmedDeletedUsername(user.username), mnethostid)) {
			if (candidate.firstaccess === user.firstaccess) return mapTo('2C', candidate);
		}
	}
	// 2D: same username, but neither the email nor the first access matches.
	if (sameName) {
		return {
			kind: 'conflict', rule: '2D', siteUserId: sameName.id,
			reason: notice('usernameOtherEmail', {username: user.username, backupEmail: user.email || notice('noEmail'), siteEmail: sameName.email || notice('noEmail')}),
		};
	}
	return {kind: 'create', rule: '2E', username: user.username};
}

export type ConflictPolicy = 'abort' | 'no-users' | 'map-by-email';

export type UserPrecheck = {
	sameSite: boolean;
	users: UserClassification[];
	toMap: UserClassification[];
	toCreate: UserClassification[];
	conflicts: Array<{username: string; userId: number; reason: Notice}>;
	/** Conflicts resolved by the policy map-by-email (username → the account it maps to). */
	mappedByEmail: Array<{username: string; siteUserId: number; siteUsername: string}>;
	/** admin → admin_<hash> (created or reused), shown in the review. */
	adminResolution: {username: string; created: boolean} | undefined;
	/** Why conflicts matter, for display next to them. Empty when there are none. */
	explanation: string;
	recommendation: string;
};

export const CONFLICT_EXPLANATION = 'Moodle refuses such a restore: these backup accounts would be recreated beside existing ones'
	+ ' with the same username, which gives duplicate accounts and name conflicts, and their posts, grades and'
	+ ' enrolments could end up on the wrong person.';
export const CONFLICT_RECOMMENDATION = 'Restore without user data (--on-conflict no-users / --no-users), or map each'
	+ ' conflicting user to the existing account with the same email (--on-conflict map-by-email).';

/**
 * Classifies every user and applies Moodle's admin conflict resolution and our per-run policy. It never throws for
 * conflicts: the caller decides (abort refuses, no-users drops user data, map-by-email maps by email where it can).
 */
export async function classifyUsers(
	users: Iterable<BackupUser> | AsyncIterable<BackupUser>,
	lookup: SiteUserLookup,
	context: PrecheckContext & {siteWwwroot: string; policy: ConflictPolicy},
): Promise<UserPrecheck> {
	const result: UserPrecheck = {
		sameSite: context.sameSite, users: [], toMap: [], toCreate: [], conflicts: [], mappedByEmail: [],
		adminResolution: undefined, explanation: '', recommendation: '',
	};
	const batch: BackupUser[] = [];
	const flush = async () => {
		await lookup.prefetch?.(batch);
		for (const user of batch) await classifyOne(user);
		batch.length = 0;
	};
	for await (const user of users) {
		batch.push(user);
		if (batch.length === PREFETCH_BATCH) await flush();
	}
	await flush();
	if (result.conflicts.length > 0) {
		result.explanation = CONFLICT_EXPLANATION;
		result.recommendation = CONFLICT_RECOMMENDATION;
	}
	return result;

	async function classifyOne(user: BackupUser): Promise<void> {
		const mnethostid = await resolveMnetHostId(user, lookup, context.siteWwwroot);
		let decision = await precheckUser(user, mnethostid, lookup, context);
		if (decision.kind === 'map' && decision.rule === '2A2') result.adminResolution = {username: decision.siteUsername, created: false};
		if (decision.kind === 'conflict' && user.username === 'admin' && context.allowAdminConflictResolution
			&& mnethostid === lookup.localMnetHostId) {
			// Moodle's "allow admin conflict resolution": a new admin_<original site hash> account.
			const username = `admin_${context.originalSiteHash}`;
			decision = {kind: 'create', rule: 'admin', username};
			result.adminResolution = {username, created: true};
		}
		if (decision.kind === 'conflict' && context.policy === 'map-by-email' && user.email !== '') {
			const sameEmail = (await lookup.byEmail(user.email)).filter((candidate) => candidate.mnethostid === mnethostid);
			if (sameEmail.length === 1) {
				decision = mapTo('email', sameEmail[0]!);
				result.mappedByEmail.push({username: user.username, siteUserId: sameEmail[0]!.id, siteUsername: sameEmail[0]!.username});
			} else {
				decision = {
					...decision,
					reason: sameEmail.length === 0
						? notice('noEmailMatch', {reason: decision.reason})
						: notice('manyEmailMatches', {reason: decision.reason, count: sameEmail.length}),
				};
			}
		}
		const classification = {user, mnethostid, decision};
		result.users.push(classification);
		if (decision.kind === 'map') result.toMap.push(classification);
		else if (decision.kind === 'create') result.toCreate.push(classification);
		else result.conflicts.push({username: user.username, userId: user.id, reason: decision.reason});
	}
}

const PREFETCH_BATCH = 500;
