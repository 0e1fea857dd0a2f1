import {UsageError} from '../errors.js';
import {createBackupSettings, type SettingsPlan} from '../settings/index.js';
import {activitySettingName, sectionSettingName} from '../settings/names.js';
import type {Db} from '../store/db.js';
import {loadBackupStructure, type BackupStructure} from './course-structure.js';
import type {BackupType} from './types.js';

export type BackupChoices = {
	/** Root settings by Moodle name (users, anonymize, files, ...). */
	root?: Readonly<Record<string, boolean>>;
	/** Course module ids left out of the backup. */
	excludeCmids?: readonly number[];
	/** Section numbers left out of the backup. */
	excludeSectionNumbers?: readonly number[];
	/** Course module ids whose user data is left out. */
	noUserdataCmids?: readonly number[];
	/** Admin defaults (preferences), applied before the choices. */
	adminDefaults?: Readonly<Record<string, boolean>>;
	mode?: 'general' | 'automated';
};

/**
 * The settings plan of one backup with Moodle's defaults and locks, then the admin's choices applied in
 * dependency order (a locked choice is a UsageError naming the setting and why).
 */
export async function planBackup(db: Db, type: BackupType, id: number, choices: BackupChoices = {}): Promise<{structure: BackupStructure; plan: SettingsPlan}> {
	const structure = await loadBackupStructure(db, type, id);
	const plan = createBackupSettings({
		type,
		sections: structure.sectionRefs,
		activities: structure.activityRefs,
		...(choices.adminDefaults ? {adminDefaults: choices.adminDefaults} : {}),
		...(choices.mode ? {mode: choices.mode} : {}),
	});
	// Parents first, so turning users off is applied before anything that depends on it.
	const root = Object.entries(choices.root ?? {});
	const order = plan.list('root').map(item => item.name);
	root.sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
	for (const [name, value] of root) {
		if (!plan.has(name)) throw new UsageError(`unknown backup setting "${name}"`);
		if (plan.get(name) === value) continue;
		plan.set(name, value);
	}
	for (const number of choices.excludeSectionNumbers ?? []) {
		const section = structure.sections.find(candidate => candidate.number === number);
		if (!section) throw new UsageError(`section number ${number} is not part of this backup`);
		const name = sectionSettingName(section.id, 'included');
		if (plan.has(name) && plan.get(name) !== false) plan.set(name, false);
	}
	for (const cmid of choices.excludeCmids ?? []) {
		const activity = structure.activities.find(candidate => candidate.cmid === cmid);
		if (!activity) throw new UsageError(`course module ${cmid} is not part of this backup`);
		const name = activitySettingName(activity.modname, cmid, 'included');
		if (plan.has(name) && plan.get(name) !== false) plan.set(name, false);
	}
	for (const cmid of choices.noUserdataCmids ?? []) {
		const activity = structure.activities.find(candidate => candidate.cmid === cmid);
		if (!activity) throw new UsageError(`course module ${cmid} is not part of this backup`);
		const name = activitySettingName(activity.modname, cmid, 'userinfo');
		if (plan.has(name) && plan.get(name) !== false) plan.set(name, false);
	}
	return {structure, plan};
}
