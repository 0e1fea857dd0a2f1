import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import {PreferencesError} from './engine/errors.js';

/** What the admin's preferences hold. Everything optional: defaults apply when absent. */
export type Preferences = {
	/** Site location: a directory (SQLite site) or a postgres:// URL. */
	site?: string;
	/** File pool directory for PostgreSQL sites. */
	filedir?: string;
	lang?: 'en' | 'fr';
	/** Last used / default backup root settings, by Moodle setting name (users, anonymize, ...). */
	backupDefaults?: Record<string, boolean>;
	/** The wizard's last backup choices: where its next backup starts (never the commands', which cron runs). */
	backupLastUsed?: Record<string, boolean>;
	/** Automated backup settings (Moodle's backup_auto_*). */
	automated?: {
		activeOnly?: boolean;
		skipModifiedDays?: number;
		skipUnmodified?: boolean;
		keep?: number;
	};
};

export type PreferenceStore = {
	get<K extends keyof Preferences>(key: K): Preferences[K];
	set<K extends keyof Preferences>(key: K, value: Preferences[K]): void;
	readonly path: string;
};

/**
 * The admin's preferences through conf. Tests and scripts can point them elsewhere with
 * MBZ_CONFIG_DIR (or `cwd`), so they never touch the real user's file.
 * A preferences folder that cannot be made (cron as a system user without a home) leaves the defaults: commands
 * given what they need (--site) still run; only saving a preference fails, saying where and what to do.
 */
export function openPreferences(cwd: string | undefined = process.env['MBZ_CONFIG_DIR']): PreferenceStore {
	let conf: Conf<Preferences>;
	try {
		conf = new Conf<Preferences>({projectName: 'mbz-wizard', ...(cwd ? {cwd} : {})});
	} catch (error) {
		if (error instanceof SyntaxError) {
			// Opened again without reading it, only to name the file.
			const file = new Conf<Preferences>({projectName: 'mbz-wizard', ...(cwd ? {cwd} : {}), deserialize: () => ({})}).path;
			throw new PreferencesError(`${file}: the preferences file is not valid JSON (${error.message}); fix or delete it, or set MBZ_CONFIG_DIR`);
		}
		return unwritablePreferences(error);
	}
	return {
		get: key => conf.get(key),
		set: (key, value) => {
			try {
				if (value === undefined) conf.delete(key);
				else conf.set(key, value);
			} catch (error) {
				throw new PreferencesError(`cannot save the preferences in ${conf.path}: ${reasonOf(error)}`);
			}
		},
		path: conf.path,
	};
}

function reasonOf(error: unknown): string {
	const code = (error as NodeJS.ErrnoException).code;
	const path = (error as NodeJS.ErrnoException).path;
	if (code === 'EACCES' || code === 'EPERM') return `permission denied${path ? ` (${path})` : ''}`;
	if (error instanceof SyntaxError) return `not valid JSON (${error.message})`;
	return error instanceof Error ? error.message : String(error);
}

function unwritablePreferences(error: unknown): PreferenceStore {
	const reason = reasonOf(error);
	return {
		get: () => undefined,
		set: () => {
			throw new PreferencesError(`cannot save the preferences: ${reason}; set MBZ_CONFIG_DIR to a writable folder`);
		},
		path: '',
	};
}

/** Where the embedded demo site lives when nothing else is configured. */
export function defaultSiteDir(): string {
	const dataHome = process.env['XDG_DATA_HOME'] ?? path.join(os.homedir(), '.local', 'share');
	return path.join(dataHome, 'mbz-wizard', 'site');
}

/** Site location by precedence: --site flag, MBZ_SITE, preferences, the default demo site. */
export function resolveSiteLocation(flag: string | undefined, prefs: PreferenceStore = openPreferences()): string {
	return flag ?? process.env['MBZ_SITE'] ?? prefs.get('site') ?? defaultSiteDir();
}

/**
 * The admin's language, for the wizard and for the words the commands write (backup file names, a taken course
 * name's suffix): --lang, else the preferences, else LANG/LC_ALL/LC_MESSAGES (fr* → fr), else English.
 */
export function resolveLanguage(flag: string | undefined, preference: string | undefined, env: NodeJS.ProcessEnv = process.env): 'en' | 'fr' {
	for (const candidate of [flag, preference]) {
		if (candidate === 'en' || candidate === 'fr') return candidate;
	}
	const locale = env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || '';
	return locale.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}
