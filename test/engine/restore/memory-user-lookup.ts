import type {SiteUser, SiteUserLookup} from '../../../source/engine/restore/user-precheck.js';

/** An in-memory site for the pure precheck tests (the SQL lookup is exercised by the restore tests). */
export function memoryUserLookup(users: Array<Partial<SiteUser> & {id: number; username: string}>, hosts: Record<string, number> = {}): SiteUserLookup {
	const all: SiteUser[] = users.map((user) => ({email: '', firstaccess: 0, deleted: false, mnethostid: 1, ...user}));
	return {
		localMnetHostId: 1,
		async mnetHostIdFor(wwwroot) { return hosts[wwwroot]; },
		async byId(id) { return all.find((user) => user.id === id); },
		async byUsername(username, host) { return all.find((user) => user.username === username && user.mnethostid === host); },
		async deletedByUsernamePrefix(prefix, host) { return all.filter((user) => user.deleted && user.mnethostid === host && user.username.toLowerCase().startsWith(prefix.toLowerCase())); },
		async deletedByEmail(email, host) { return all.filter((user) => user.deleted && user.mnethostid === host && user.email === email); },
		async byEmailPrefixUpper(upper, host) { return all.filter((user) => user.mnethostid === host && user.email.toUpperCase().slice(0, 89) === upper); },
		async byEmail(email) { return all.filter((user) => !user.deleted && user.email.toLowerCase() === email.toLowerCase()); },
	};
}
