import type {BackupDetails} from '../details/types.js';
import {lockReason} from './labels.js';
import {activitySettingName, sectionSettingName} from './names.js';
import {restoreSettingsSourceFromDetails} from './restore-source.js';
import {SettingsPlan} from './settings-plan.js';
import type {ActivityRef, SectionRef, SettingOption, SettingValue} from './types.js';

/** Moodle's course columns and form limits: fullname varchar(254), shortname varchar(100). */
export const COURSE_FULLNAME_MAX = 254;
export const COURSE_SHORTNAME_MAX = 100;

/** What the restore settings need to know about a backup (from moodle_backup.xml). */
export type RestoreSettingsSource = {
	type: 'course' | 'section' | 'activity';
	/** Root settings of the backup by name, as written ('1', '0', file name ...). */
	rootSettings: Readonly<Record<string, string>>;
	/** Section and activity settings of the backup by name (`section_12_userinfo`, `forum_445_userinfo` ...). */
	schemaSettings: Readonly<Record<string, string>>;
	/** Included sections (source ids) in backup order. */
	sections: readonly SectionRef[];
	/** Included activities (source cmids) in backup order. */
	activities: readonly ActivityRef[];
	course: {fullname: string; shortname: string; startdate: number};
};

/** Moodle's restore targets: new course, merge into an existing one (ADDING), delete its contents first (DELETING). */
export type RestoreTarget = 'new' | 'merge' | 'replace';

export type RestoreSettingsOptions = {
	target: RestoreTarget;
	/** The existing target course: its current names and date are kept when `overwrite_conf` is off. */
	targetCourse?: {fullname: string; shortname: string; startdate: number};
	/** Admin defaults (Moodle's restore_general_* / restore_merge_* / restore_replace_*), by setting name; `<name>_locked` locks. */
	adminDefaults?: Readonly<Record<string, SettingValue>>;
	competenciesEnabled?: boolean;
	permissions?: {
		/** moodle/restore:userinfo — without it users are off and locked. */
		userinfo?: boolean;
		/** moodle/restore:configure — without it every setting is locked at its default. */
		configure?: boolean;
	};
};

/** `enrolments` values (Moodle's backup::ENROL_NEVER / ENROL_WITHUSERS / ENROL_ALWAYS = 0 / 1 / 2). */
export type EnrolmentsMode = 'never' | 'withusers' | 'always';
export const ENROLMENTS_MOODLE_VALUE: Record<EnrolmentsMode, number> = {never: 0, withusers: 1, always: 2};

/** Root restore settings in restore_root_task::define_settings() order, with their dependencies. */
const RESTORE_ROOT_SETTINGS: ReadonlyArray<{name: string; backupName: string; dependsOn: readonly string[]; availableIfAbsent?: boolean}> = [
	{name: 'users', backupName: 'users', dependsOn: []},
	// enrolments and manual_enrolments are inserted after users (see below).
	{name: 'role_assignments', backupName: 'role_assignments', dependsOn: ['users']},
	{name: 'permissions', backupName: 'permissions', dependsOn: [], availableIfAbsent: true},
	{name: 'activities', backupName: 'activities', dependsOn: []},
	{name: 'blocks', backupName: 'blocks', dependsOn: []},
	{name: 'filters', backupName: 'filters', dependsOn: []},
	{name: 'comments', backupName: 'comments', dependsOn: ['users']},
	{name: 'badges', backupName: 'badges', dependsOn: ['activities', 'users']},
	{name: 'calendarevents', backupName: 'calendarevents', dependsOn: []},
	{name: 'userscompletion', backupName: 'userscompletion', dependsOn: ['users']},
	{name: 'logs', backupName: 'logs', dependsOn: ['users']},
	{name: 'grade_histories', backupName: 'grade_histories', dependsOn: ['users', 'activities']},
	{name: 'groups', backupName: 'groups', dependsOn: [], availableIfAbsent: true},
	{name: 'competencies', backupName: 'competencies', dependsOn: []},
	{name: 'customfields', backupName: 'customfield', dependsOn: []},
	{name: 'contentbankcontent', backupName: 'contentbankcontent', dependsOn: []},
];

function truthy(value: string | undefined): boolean {
	return value !== undefined && value !== '' && value !== '0';
}

function enrolmentOptions(usersAvailable: boolean): SettingOption[] {
	return usersAvailable
		? [
			{value: 'never', labelKey: 'settings.enrolments.never_manual', label: 'No, restore users as manual enrolments'},
			{value: 'withusers', labelKey: 'settings.enrolments.withusers', label: 'Yes, but only if users are included'},
			{value: 'always', labelKey: 'settings.enrolments.always', label: 'Yes, always'},
		]
		: [
			{value: 'never', labelKey: 'settings.enrolments.never', label: 'No'},
			{value: 'always', labelKey: 'settings.enrolments.always', label: 'Yes, always'},
		];
}

/**
 * The restore settings for a backup and a target, limited to what the backup contains: a setting whose content
 * is absent (or 0) in the backup is off and locked with the reason "not in the backup".
 * Takes the backup's details (readBackupDetails) or an already extracted RestoreSettingsSource.
 */
export function createRestoreSettings(input: RestoreSettingsSource | BackupDetails, options: RestoreSettingsOptions): SettingsPlan {
	const source = 'rootSettings' in input ? input : restoreSettingsSourceFromDetails(input);
	const plan = new SettingsPlan('restore');
	const notInBackup = lockReason('notInBackup');
	const available = (backupName: string, ifAbsent = false): boolean => {
		const value = source.rootSettings[backupName];
		return value === undefined ? ifAbsent : truthy(value);
	};
	const unchangeable = new Set<string>();
	const addRoot = (name: string, isAvailable: boolean, dependsOn: readonly string[]) => {
		plan.add({name, level: 'root', type: 'bool', value: isAvailable});
		for (const parent of dependsOn) plan.addDependency(parent, name);
		if (!isAvailable) {
			plan.lock(name, 'content', notInBackup, false);
			unchangeable.add(name);
		}
	};

	const usersAvailable = available('users');
	for (const root of RESTORE_ROOT_SETTINGS) {
		let isAvailable = available(root.backupName, root.availableIfAbsent);
		if (root.name === 'customfields' && source.rootSettings['customfield'] === undefined) isAvailable = available('groups', true);
		addRoot(root.name, isAvailable, root.dependsOn);
		if (root.name === 'users') {
			plan.add({name: 'enrolments', level: 'root', type: 'select', value: usersAvailable ? 'withusers' : 'never', options: enrolmentOptions(usersAvailable)});
			// Beyond Moodle: users of a cohort method that cannot be restored here keep their access as manual enrolments.
			plan.add({name: 'manual_enrolments', level: 'root', type: 'bool', value: false});
			plan.addDependency('users', 'manual_enrolments');
			// "No, restore users as manual enrolments" already enrols every user manually, missing cohorts' included.
			plan.addCoveredBy('enrolments', 'never', 'manual_enrolments');
			if (!usersAvailable) {
				plan.lock('manual_enrolments', 'content', notInBackup, false);
				unchangeable.add('manual_enrolments');
			}
		}
		if (root.name === 'competencies' && isAvailable && options.competenciesEnabled === false) {
			plan.lock('competencies', 'config', lockReason('competenciesDisabled'), false);
		}
	}
	plan.add({name: 'legacyfiles', level: 'root', type: 'bool', value: true});

	addCourseSettings(plan, source, options);
	addSchemaSettings(plan, source, unchangeable);

	if (options.adminDefaults) {
		for (const item of plan.list()) {
			if (item.level === 'section' || item.level === 'activity' || unchangeable.has(item.name)) continue;
			const value = options.adminDefaults[item.name];
			if (value === undefined) continue;
			plan.applyDefault(item.name, value, options.adminDefaults[`${item.name}_locked`] === true);
		}
	}
	if (options.permissions?.userinfo === false) {
		plan.lock('users', 'permission', lockReason('noPermission', {capability: 'moodle/restore:userinfo'}), false);
	}
	if (options.permissions?.configure === false) {
		const reason = lockReason('noPermission', {capability: 'moodle/restore:configure'});
		for (const item of plan.list()) plan.lock(item.name, 'permission', reason, item.value);
	}
	return plan;
}

/** Course-level settings (restore_course_task::define_settings()); only course backups have them. */
function addCourseSettings(plan: SettingsPlan, source: RestoreSettingsSource, options: RestoreSettingsOptions): void {
	if (source.type !== 'course') return;
	const isNew = options.target === 'new';
	plan.add({name: 'overwrite_conf', level: 'course', type: 'bool', value: isNew, visible: !isNew});
	if (isNew) plan.lock('overwrite_conf', 'config', lockReason('newCourse'), true);
	const current = options.targetCourse;
	// Moodle's course form: both names required, at most 254 and 100 characters.
	plan.add({name: 'course_fullname', level: 'course', type: 'text', value: source.course.fullname, required: true, maxLength: COURSE_FULLNAME_MAX});
	plan.add({name: 'course_shortname', level: 'course', type: 'text', value: source.course.shortname, required: true, maxLength: COURSE_SHORTNAME_MAX});
	plan.add({name: 'course_startdate', level: 'course', type: 'int', value: source.course.startdate});
	if (!isNew) {
		// overwrite_conf = No keeps the target course's current names and start date (DISABLED_FALSE).
		plan.addDependency('overwrite_conf', 'course_fullname', 'disabledIfNot', current?.fullname ?? source.course.fullname);
		plan.addDependency('overwrite_conf', 'course_shortname', 'disabledIfNot', current?.shortname ?? source.course.shortname);
		plan.addDependency('overwrite_conf', 'course_startdate', 'disabledIfNot', current?.startdate ?? source.course.startdate);
	}
	const deleting = options.target === 'replace';
	for (const name of ['keep_roles_and_enrolments', 'keep_groups_and_groupings']) {
		plan.add({name, level: 'course', type: 'bool', value: false, visible: deleting});
		if (!deleting) plan.lock(name, 'config', lockReason('notDeleting'), false);
	}
}

/** Section and activity settings under the backup's own ids (restore_section_task / restore_activity_task). */
function addSchemaSettings(plan: SettingsPlan, source: RestoreSettingsSource, unchangeable: Set<string>): void {
	const notInBackup = lockReason('notInBackup');
	const sectionIds = new Set(source.sections.map(section => section.id));
	const addUserinfo = (name: string, base: Parameters<SettingsPlan['add']>[0]) => {
		plan.add(base);
		if (!truthy(source.schemaSettings[name])) {
			plan.lock(name, 'content', notInBackup, false);
			unchangeable.add(name);
		}
	};
	const addActivity = (activity: ActivityRef, inSection: boolean) => {
		const included = activitySettingName(activity.modname, activity.cmid, 'included');
		const userinfo = activitySettingName(activity.modname, activity.cmid, 'userinfo');
		plan.add({name: included, level: 'activity', type: 'bool', value: true, activity, labelKey: 'settings.activity_included', label: activity.name});
		plan.addDependency('activities', included);
		if (inSection) plan.addDependency(sectionSettingName(activity.sectionId, 'included'), included);
		addUserinfo(userinfo, {name: userinfo, level: 'activity', type: 'bool', value: true, activity, labelKey: 'settings.activity_userinfo', label: `${activity.name}: user data`});
		plan.addDependency('users', userinfo);
		if (inSection) plan.addDependency(sectionSettingName(activity.sectionId, 'userinfo'), userinfo);
		plan.addDependency(included, userinfo);
	};
	for (const section of source.sections) {
		const included = sectionSettingName(section.id, 'included');
		const userinfo = sectionSettingName(section.id, 'userinfo');
		plan.add({name: included, level: 'section', type: 'bool', value: true, section, labelKey: 'settings.section_included', label: section.name});
		addUserinfo(userinfo, {name: userinfo, level: 'section', type: 'bool', value: true, section, labelKey: 'settings.section_userinfo', label: `${section.name}: user data`});
		plan.addDependency('users', userinfo);
		plan.addDependency(included, userinfo);
		for (const activity of source.activities) {
			if (activity.sectionId === section.id) addActivity(activity, true);
		}
	}
	for (const activity of source.activities) {
		if (!sectionIds.has(activity.sectionId)) addActivity(activity, false);
	}
}
