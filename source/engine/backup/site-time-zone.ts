import type {Db} from '../store/db.js';

/** Moodle's "99": no zone of its own, the next one down applies. */
const DEFAULT_ZONE = '99';

function usable(zone: unknown): string | undefined {
	if (typeof zone !== 'string' || zone === '' || zone === DEFAULT_ZONE) return undefined;
	try {
		new Intl.DateTimeFormat('en', {timeZone: zone});
		return zone;
	} catch {
		return undefined;
	}
}

/**
 * The time zone Moodle writes a backup's name in (userdate(…, 99)): the admin's own zone, else the site's
 * (`timezone` in config), else the server's (undefined here: the process's). A cron run on a UTC server still
 * names a Paris site's backups in Paris time.
 */
export async function siteTimeZone(db: Db): Promise<string | undefined> {
	const admins = await db.get<{value: string}>("SELECT value FROM {config} WHERE name = 'siteadmins'");
	const adminId = Number((admins?.value ?? '2').split(',')[0]) || 2;
	const admin = await db.get<{timezone: string}>('SELECT timezone FROM {user} WHERE id = ?', [adminId]);
	const site = await db.get<{value: string}>("SELECT value FROM {config} WHERE name = 'timezone'");
	return usable(admin?.timezone) ?? usable(site?.value);
}
