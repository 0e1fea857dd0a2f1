/** Levels of the settings tree, as in Moodle's backup_setting (root, course, section, activity). */
export type SettingLevel = 'root' | 'course' | 'section' | 'activity';

export type SettingValue = boolean | number | string;

/** bool: checkbox; int: number (dates); text: free text; file: a file name; select: one of `options`. */
export type SettingType = 'bool' | 'int' | 'text' | 'file' | 'select';

export type SettingOption = {value: string; labelKey: string; label: string};

/**
 * Why a setting cannot be changed. `lockKind`:
 * - dependency: another root/course setting disables it (no users -> no anonymize);
 * - hierarchy: a setting of a higher level disables it (users -> section userinfo, section -> its activities);
 * - config: the admin's defaults lock it (Moodle's `<name>_locked`), or the target forces it (new course);
 * - permission: the person running the operation lacks a capability;
 * - content: a restore setting whose content is not in the backup.
 */
export type LockKind = 'dependency' | 'hierarchy' | 'config' | 'permission' | 'content';

export type LockReasonCode =
	/** `setting` must be on (or non-empty) for this one to be available. */
	| 'needs'
	/** `setting` is on and excludes this one (IMS Common Cartridge export). */
	| 'excludedBy'
	/** Restore: the backup does not contain this. */
	| 'notInBackup'
	/** The admin's defaults lock this setting. */
	| 'adminLocked'
	/** A missing capability (`capability` names it). */
	| 'noPermission'
	/** Restore into a new course: the course configuration is always restored. */
	| 'newCourse'
	/** Restore: only meaningful when the target course's contents are deleted first. */
	| 'notDeleting'
	/** Competencies are disabled on the site. */
	| 'competenciesDisabled'
	/** `setting` has the value `value`, which already does what this one would. */
	| 'coveredBy';

/** A lock reason the UI can render in any language from `code` (+ `setting`), with an English `text`. */
export type LockReason = {
	code: LockReasonCode;
	/** The setting this one depends on (needs / excludedBy / coveredBy). */
	setting?: string;
	/** coveredBy: the setting's value that covers this one. */
	value?: string;
	capability?: string;
	text: string;
};

export type SectionRef = {id: number; number?: number; name: string};
export type ActivityRef = {cmid: number; modname: string; sectionId: number; name: string};

/** One setting, ready to display. */
export type SettingItem = {
	name: string;
	level: SettingLevel;
	type: SettingType;
	value: SettingValue;
	/** Moodle's default for this operation (before admin defaults and user choices). */
	default: SettingValue;
	locked: boolean;
	lockKind?: LockKind;
	lockReason?: LockReason;
	/** Hidden settings exist (and are applied) but Moodle's UI does not show them. */
	visible: boolean;
	/** i18n key for the label (e.g. `settings.users`); `label` is the English text. */
	labelKey: string;
	label: string;
	options?: readonly SettingOption[];
	section?: SectionRef;
	activity?: ActivityRef;
};

/**
 * How a dependency fires (Moodle's setting_dependency kinds):
 * - disabledIfNot: the child is locked and switched off while the parent is off (DISABLED_NOT_CHECKED / DISABLED_EMPTY / DISABLED_FALSE);
 * - disabledIfChecked: the child is locked while the parent is on (DISABLED_CHECKED; IMS CC export).
 */
/**
 * disabledIfNot: the child is off while the parent is off; disabledIfChecked: the child is off while the parent is on;
 * coveredByValue: while the parent has a given value, that value already does what the child asks (the child is locked on).
 */
export type DependencyKind = 'disabledIfNot' | 'disabledIfChecked' | 'coveredByValue';

/** A setting as the backup writer serialises it in moodle_backup.xml (`settings/setting`). */
export type MoodleSettingEntry = {
	level: 'root' | 'section' | 'activity';
	section?: string;
	activity?: string;
	name: string;
	value: string;
};
