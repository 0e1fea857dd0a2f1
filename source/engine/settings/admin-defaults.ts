import {openPreferences, type PreferenceStore} from '../../config.js';
import {UsageError} from '../errors.js';
import {BACKUP_ROOT_SETTINGS} from './backup-settings.js';

const ROOT_NAMES = new Set(BACKUP_ROOT_SETTINGS.map(root => root.name));

/** The admin's backup defaults from preferences (`backupDefaults`): name -> value and `<name>_locked` -> true. */
export function loadBackupDefaults(prefs: PreferenceStore = openPreferences()): Record<string, boolean> {
	return {...(prefs.get('backupDefaults') ?? {})};
}

/** Stores backup defaults after checking every name is a backup root setting (or its `_locked` twin). */
export function saveBackupDefaults(defaults: Readonly<Record<string, boolean>>, prefs: PreferenceStore = openPreferences()): void {
	for (const [name, value] of Object.entries(defaults)) {
		const base = name.endsWith('_locked') ? name.slice(0, -'_locked'.length) : name;
		if (!ROOT_NAMES.has(base)) throw new UsageError(`"${name}" is not a backup setting that takes a default`);
		if (typeof value !== 'boolean') throw new UsageError(`backup default "${name}" must be true or false`);
	}
	prefs.set('backupDefaults', {...defaults});
}
