import type {Db} from '../store/db.js';
import type {SiteUser, SiteUserLookup} from './user-precheck.js';
import {placeholders} from '../store/in-list.js';

type UserRow = {id: number | string; username: string; email: string | null; firstaccess: number | string | null; deleted: number | string; mnethostid: number | string};

const COLUMNS = 'id, username, email, firstaccess, deleted, mnethostid';

function toSiteUser(row: UserRow): SiteUser {
	return {
		id: Number(row.id), username: row.username, email: row.email ?? '', firstaccess: Number(row.firstaccess ?? 0),
		deleted: Number(row.deleted) !== 0, mnethostid: Number(row.mnethostid),
	};
}

/** LIKE pattern that matches `prefix` literally (escape `\`, `%`, `_`). */
function likePrefix(prefix: string): string {
	return prefix.replace(/[\\%_]/g, (character) => `\\${character}`) + '%';
}

/** Deleted accounts of one mnet host, for rules 2B1/2B2 asked once per backup user. */
type DeletedIndex = {byEmail: Map<string, SiteUser[]>; byLowerName: Array<{lower: string; user: SiteUser}>};

/** Up to this many deleted accounts on a host are held in memory (a few MB); beyond, each question is a query. */
const DELETED_IN_MEMORY = 100_000;

async function loadDeletedIndex(db: Db, mnethostid: number, limit: number): Promise<DeletedIndex | null> {
	const counted = await db.get<{n: number | string}>('SELECT COUNT(*) AS n FROM {user} WHERE deleted = 1 AND mnethostid = ?', [mnethostid]);
	if (Number(counted?.n ?? 0) > limit) return null;
	const index: DeletedIndex = {byEmail: new Map(), byLowerName: []};
	for (const row of await db.all<UserRow>(`SELECT ${COLUMNS} FROM {user} WHERE deleted = 1 AND mnethostid = ? ORDER BY id`, [mnethostid])) {
		const user = toSiteUser(row);
		const sameEmail = index.byEmail.get(user.email);
		if (sameEmail) sameEmail.push(user);
		else index.byEmail.set(user.email, [user]);
		index.byLowerName.push({lower: user.username.toLowerCase(), user});
	}
	index.byLowerName.sort((a, b) => (a.lower < b.lower ? -1 : a.lower > b.lower ? 1 : a.user.id - b.user.id));
	return index;
}

/** Accounts whose lower-cased username starts with `prefix`, by id (a binary search, then a walk). */
function withLowerPrefix(index: DeletedIndex, prefix: string): SiteUser[] {
	const names = index.byLowerName;
	let low = 0;
	let high = names.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (names[middle]!.lower < prefix) low = middle + 1;
		else high = middle;
	}
	const found: SiteUser[] = [];
	for (let position = low; position < names.length && names[position]!.lower.startsWith(prefix); position++) found.push(names[position]!.user);
	return found.sort((a, b) => a.id - b.id);
}

/** The precheck's questions answered by SQL on the site's {user} and {mnet_host} tables (read only). */
export async function createDbUserLookup(db: Db, options: {deletedInMemory?: number} = {}): Promise<SiteUserLookup> {
	const setting = await db.get<{value: string}>('SELECT value FROM {config} WHERE name = ?', ['mnet_localhost_id']).catch(() => undefined);
	const localMnetHostId = setting?.value ? Number(setting.value) : 1;
	const hasMnetHosts = (await db.tableNames()).includes('mnet_host');
	// Filled by prefetch() for one batch of backup users at a time: one query instead of one per user.
	let byIdCache = new Map<number, SiteUser | undefined>();
	let byNameCache = new Map<string, SiteUser | undefined>();
	// Every new user of a foreign backup asks about deleted accounts twice: with few deleted accounts (the usual
	// case) they are read once instead of in two queries per user (20,000 queries for 10,000 users).
	const deletedIndexes = new Map<number, Promise<DeletedIndex | null>>();
	const deletedIndex = (mnethostid: number): Promise<DeletedIndex | null> => {
		let index = deletedIndexes.get(mnethostid);
		if (!index) deletedIndexes.set(mnethostid, index = loadDeletedIndex(db, mnethostid, options.deletedInMemory ?? DELETED_IN_MEMORY));
		return index;
	};
	return {
		localMnetHostId,
		async prefetch(users) {
			byIdCache = new Map();
			byNameCache = new Map();
			if (users.length === 0) return;
			const ids = users.map((user) => user.id);
			const names = users.map((user) => user.username);
			for (const id of ids) byIdCache.set(id, undefined);
			for (const name of names) byNameCache.set(name, undefined);
			for (const row of await db.all<UserRow>(`SELECT ${COLUMNS} FROM {user} WHERE id IN (${placeholders(ids.length)})`, ids)) {
				byIdCache.set(Number(row.id), toSiteUser(row));
			}
			for (const row of await db.all<UserRow>(`SELECT ${COLUMNS} FROM {user} WHERE username IN (${placeholders(names.length)}) ORDER BY id`, names)) {
				const user = toSiteUser(row);
				// Keyed by username and host: the rules always ask for both.
				if (!byNameCache.get(`${user.username}\u0000${user.mnethostid}`)) byNameCache.set(`${user.username}\u0000${user.mnethostid}`, user);
				byNameCache.set(user.username, user);
			}
		},
		async mnetHostIdFor(wwwroot) {
			if (!hasMnetHosts) return undefined;
			const row = await db.get<{id: number | string}>('SELECT id FROM {mnet_host} WHERE wwwroot = ? AND deleted = 0', [wwwroot]);
			return row ? Number(row.id) : undefined;
		},
		async byId(id) {
			if (byIdCache.has(id)) return byIdCache.get(id);
			const row = await db.get<UserRow>(`SELECT ${COLUMNS} FROM {user} WHERE id = ?`, [id]);
			return row ? toSiteUser(row) : undefined;
		},
		async byUsername(username, mnethostid) {
			if (byNameCache.has(username)) return byNameCache.get(`${username}\u0000${mnethostid}`);
			const row = await db.get<UserRow>(`SELECT ${COLUMNS} FROM {user} WHERE username = ? AND mnethostid = ?`, [username, mnethostid]);
			return row ? toSiteUser(row) : undefined;
		},
		async deletedByUsernamePrefix(prefix, mnethostid) {
			const index = await deletedIndex(mnethostid);
			if (index) return withLowerPrefix(index, prefix.toLowerCase());
			const rows = await db.all<UserRow>(
				`SELECT ${COLUMNS} FROM {user} WHERE deleted = 1 AND mnethostid = ? AND LOWER(username) LIKE ? ESCAPE '\\' ORDER BY id`,
				[mnethostid, likePrefix(prefix.toLowerCase())]);
			return rows.map(toSiteUser);
		},
		async deletedByEmail(email, mnethostid) {
			if (email === '') return [];
			const index = await deletedIndex(mnethostid);
			if (index) return [...(index.byEmail.get(email) ?? [])];
			const rows = await db.all<UserRow>(`SELECT ${COLUMNS} FROM {user} WHERE deleted = 1 AND mnethostid = ? AND email = ? ORDER BY id`, [mnethostid, email]);
			return rows.map(toSiteUser);
		},
		async byEmailPrefixUpper(upperEmail89, mnethostid) {
			const rows = await db.all<UserRow>(`SELECT ${COLUMNS} FROM {user} WHERE mnethostid = ? AND UPPER(email) LIKE ? ESCAPE '\\' ORDER BY id`,
				[mnethostid, likePrefix(upperEmail89)]);
			return rows.map(toSiteUser).filter((user) => user.email.toUpperCase().slice(0, 89) === upperEmail89);
		},
		async byEmail(email) {
			const rows = await db.all<UserRow>(`SELECT ${COLUMNS} FROM {user} WHERE deleted = 0 AND LOWER(email) = ? ORDER BY id`, [email.toLowerCase()]);
			return rows.map(toSiteUser);
		},
	};
}
