import {lockReason} from './labels.js';
import {activitySettingName, sectionSettingName} from './names.js';
import {SettingsPlan} from './settings-plan.js';
import type {ActivityRef, SectionRef, SettingValue} from './types.js';

export type BackupType = 'course' | 'section' | 'activity';

export type BackupPermissions = {
	/** moodle/backup:userinfo — without it users are off and locked. */
	userinfo?: boolean;
	/** moodle/backup:anonymise — without it anonymize is off and locked. */
	anonymise?: boolean;
	/** moodle/backup:configure — without it every setting but filename is locked at its default. */
	configure?: boolean;
};

export type BackupSettingsInput = {
	type: BackupType;
	/** Sections of the backup in course order (one for a section backup, none for an activity backup). */
	sections: readonly SectionRef[];
	/** Activities in course order. */
	activities: readonly ActivityRef[];
	/** Modules whose activities use the question bank (Moodle's question_module_uses_questions): quiz in core. */
	questionUsingModules?: readonly string[];
	/**
	 * Admin defaults (preferences `backupDefaults`): root setting name -> value, and `<name>_locked` -> true to
	 * lock it (ignored by automated backups, as in Moodle).
	 */
	adminDefaults?: Readonly<Record<string, boolean>>;
	mode?: 'general' | 'automated';
	/** Competencies enabled on the site (Moodle's default); when off the setting is 0, hidden and locked. */
	competenciesEnabled?: boolean;
	permissions?: BackupPermissions;
};

/**
 * Root settings in the order of backup_root_task::define_settings(), with Moodle's general (and automated)
 * defaults, and the root settings each one depends on (locked and off while a parent is off).
 */
export const BACKUP_ROOT_SETTINGS: ReadonlyArray<{name: string; value: boolean; dependsOn: readonly string[]}> = [
	{name: 'users', value: true, dependsOn: []},
	{name: 'anonymize', value: false, dependsOn: ['users']},
	{name: 'role_assignments', value: true, dependsOn: ['users']},
	{name: 'activities', value: true, dependsOn: []},
	{name: 'blocks', value: true, dependsOn: []},
	{name: 'files', value: true, dependsOn: []},
	{name: 'filters', value: true, dependsOn: []},
	{name: 'comments', value: true, dependsOn: ['users']},
	{name: 'badges', value: true, dependsOn: ['activities', 'users']},
	{name: 'calendarevents', value: true, dependsOn: []},
	{name: 'userscompletion', value: true, dependsOn: ['users']},
	{name: 'logs', value: false, dependsOn: ['users']},
	{name: 'grade_histories', value: false, dependsOn: ['users', 'activities']},
	{name: 'questionbank', value: true, dependsOn: []},
	{name: 'groups', value: true, dependsOn: []},
	{name: 'competencies', value: true, dependsOn: []},
	{name: 'customfield', value: true, dependsOn: []},
	{name: 'contentbankcontent', value: true, dependsOn: []},
	{name: 'legacyfiles', value: true, dependsOn: []},
];

/** Settings the IMS Common Cartridge 1.1 export locks while it is ticked (backup_root_task::converter_deps()). */
const IMSCC11_LOCKS = ['users', 'blocks', 'filters'] as const;

export const DEFAULT_QUESTION_USING_MODULES: readonly string[] = ['quiz'];

/** The backup settings of one course, section or activity backup, with Moodle's defaults and locks. */
export function createBackupSettings(input: BackupSettingsInput): SettingsPlan {
	const plan = new SettingsPlan('backup');
	const mode = input.mode ?? 'general';
	const questionUsing = new Set(input.questionUsingModules ?? DEFAULT_QUESTION_USING_MODULES);

	plan.add({name: 'filename', level: 'root', type: 'file', value: 'backup.mbz'});
	const withImscc = input.type === 'course' && mode === 'general';
	if (withImscc) plan.add({name: 'imscc11', level: 'root', type: 'bool', value: false});
	for (const root of BACKUP_ROOT_SETTINGS) {
		plan.add({name: root.name, level: 'root', type: 'bool', value: root.value});
		for (const parent of root.dependsOn) plan.addDependency(parent, root.name);
		if (withImscc && (IMSCC11_LOCKS as readonly string[]).includes(root.name)) {
			plan.addDependency('imscc11', root.name, 'disabledIfChecked');
		}
	}
	if (input.competenciesEnabled === false) {
		plan.lock('competencies', 'config', lockReason('competenciesDisabled'), false);
	}

	addSchemaSettings(plan, input.sections, input.activities, questionUsing);

	if (input.adminDefaults) applyBackupAdminDefaults(plan, input.adminDefaults, mode);
	if (input.permissions) applyBackupPermissions(plan, input.permissions);
	return plan;
}

/** Section settings, each followed by its activities' settings (Moodle's task order). */
function addSchemaSettings(plan: SettingsPlan, sections: readonly SectionRef[], activities: readonly ActivityRef[], questionUsing: ReadonlySet<string>): void {
	const sectionIds = new Set(sections.map(section => section.id));
	for (const section of sections) {
		const included = sectionSettingName(section.id, 'included');
		const userinfo = sectionSettingName(section.id, 'userinfo');
		plan.add({name: included, level: 'section', type: 'bool', value: true, section, labelKey: 'settings.section_included', label: section.name});
		plan.add({name: userinfo, level: 'section', type: 'bool', value: true, section, labelKey: 'settings.section_userinfo', label: `${section.name}: user data`});
		plan.addDependency('users', userinfo);
		plan.addDependency(included, userinfo);
		for (const activity of activities) {
			if (activity.sectionId === section.id) addActivitySettings(plan, activity, true, questionUsing);
		}
	}
	for (const activity of activities) {
		if (!sectionIds.has(activity.sectionId)) addActivitySettings(plan, activity, false, questionUsing);
	}
}

function addActivitySettings(plan: SettingsPlan, activity: ActivityRef, inSection: boolean, questionUsing: ReadonlySet<string>): void {
	const included = activitySettingName(activity.modname, activity.cmid, 'included');
	const userinfo = activitySettingName(activity.modname, activity.cmid, 'userinfo');
	plan.add({name: included, level: 'activity', type: 'bool', value: true, activity, labelKey: 'settings.activity_included', label: activity.name});
	plan.add({name: userinfo, level: 'activity', type: 'bool', value: true, activity, labelKey: 'settings.activity_userinfo', label: `${activity.name}: user data`});
	plan.addDependency('activities', included);
	if (inSection) plan.addDependency(sectionSettingName(activity.sectionId, 'included'), included);
	if (questionUsing.has(activity.modname)) plan.addDependency('questionbank', included);
	plan.addDependency('users', userinfo);
	if (inSection) plan.addDependency(sectionSettingName(activity.sectionId, 'userinfo'), userinfo);
	plan.addDependency(included, userinfo);
}

/**
 * Admin defaults on the root settings. A default never overrides a dependency: a child whose parent is off stays
 * off and locked whatever its default says (so `users=0` + `role_assignments=1` cannot produce Moodle's quirk).
 * Automated backups ignore the `_locked` flags, as in Moodle.
 */
export function applyBackupAdminDefaults(plan: SettingsPlan, defaults: Readonly<Record<string, boolean>>, mode: 'general' | 'automated' = 'general'): void {
	for (const root of BACKUP_ROOT_SETTINGS) {
		const value = defaults[root.name];
		if (typeof value !== 'boolean') continue;
		plan.applyDefault(root.name, value, mode === 'general' && defaults[`${root.name}_locked`] === true);
	}
}

function applyBackupPermissions(plan: SettingsPlan, permissions: BackupPermissions): void {
	if (permissions.userinfo === false) {
		plan.lock('users', 'permission', lockReason('noPermission', {capability: 'moodle/backup:userinfo'}), false);
	}
	if (permissions.anonymise === false) {
		plan.lock('anonymize', 'permission', lockReason('noPermission', {capability: 'moodle/backup:anonymise'}), false);
	}
	if (permissions.configure === false) {
		const reason = lockReason('noPermission', {capability: 'moodle/backup:configure'});
		for (const item of plan.list()) {
			if (item.name !== 'filename') plan.lock(item.name, 'permission', reason, item.value as SettingValue);
		}
	}
}
