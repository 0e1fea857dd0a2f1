export {SettingsPlan, type SettingDefinition} from './settings-plan.js';
export {
	createBackupSettings, applyBackupAdminDefaults, BACKUP_ROOT_SETTINGS, DEFAULT_QUESTION_USING_MODULES,
	type BackupSettingsInput, type BackupPermissions, type BackupType,
} from './backup-settings.js';
export {
	createRestoreSettings, ENROLMENTS_MOODLE_VALUE,
	type RestoreSettingsSource, type RestoreSettingsOptions, type RestoreTarget, type EnrolmentsMode,
} from './restore-settings.js';
export {restoreSettingsSourceFromDetails} from './restore-source.js';
export {loadBackupDefaults, saveBackupDefaults} from './admin-defaults.js';
export {sectionSettingName, activitySettingName} from './names.js';
export {lockReason, settingLabel, settingLabelKey} from './labels.js';
export type * from './types.js';
