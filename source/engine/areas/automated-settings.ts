import {openPreferences, type PreferenceStore} from '../../config.js';
import {UsageError} from '../errors.js';

/** Automated backup settings (Moodle's backup_auto_*), kept in the preferences under `automated`. */
export type AutomatedSettings = {
	/** backup_auto_skip_hidden: only visible courses are backed up. */
	activeOnly: boolean;
	/** backup_auto_skip_modif_prev: skip courses not modified since their last automated backup. */
	skipUnmodified: boolean;
	/** backup_auto_skip_modif_days: skip courses not modified in this many days (0 = never skip for that). */
	skipModifiedDays: number;
	/** backup_auto_max_kept: how many automated backups of a course to keep, newest first (0 = all). */
	keep: number;
};

/**
 * Defaults: Moodle's for hidden courses; "skip unmodified" on and 2 kept, as the admin asked for (Moodle's own
 * defaults are off and 1); the N-days rule off since "unmodified since the last backup" covers it.
 */
export const DEFAULT_AUTOMATED_SETTINGS: AutomatedSettings = {activeOnly: true, skipUnmodified: true, skipModifiedDays: 0, keep: 2};

export function loadAutomatedSettings(prefs: PreferenceStore = openPreferences()): AutomatedSettings {
	const stored = prefs.get('automated') ?? {};
	return {
		activeOnly: stored.activeOnly ?? DEFAULT_AUTOMATED_SETTINGS.activeOnly,
		skipUnmodified: stored.skipUnmodified ?? DEFAULT_AUTOMATED_SETTINGS.skipUnmodified,
		skipModifiedDays: stored.skipModifiedDays ?? DEFAULT_AUTOMATED_SETTINGS.skipModifiedDays,
		keep: stored.keep ?? DEFAULT_AUTOMATED_SETTINGS.keep,
	};
}

export function saveAutomatedSettings(settings: Partial<AutomatedSettings>, prefs: PreferenceStore = openPreferences()): AutomatedSettings {
	for (const key of ['keep', 'skipModifiedDays'] as const) {
		const value = settings[key];
		if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw new UsageError(`automated backups: ${key} must be a whole number >= 0`);
	}
	const merged = {...loadAutomatedSettings(prefs), ...settings};
	prefs.set('automated', merged);
	return merged;
}
