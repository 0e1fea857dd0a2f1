export {AREA_FILEAREAS, areaNameOf, backupAreaFor, type BackupAreaName, type BackupAreaTarget, type BackupAreaChoice} from './area-kinds.js';
export {storeInArea, listAreas, getAreaFile, exportAreaFile, deleteAreaFile, BACKUP_MIMETYPE, type AreaFile, type StoreMeta} from './backup-areas.js';
export {DEFAULT_AUTOMATED_SETTINGS, loadAutomatedSettings, saveAutomatedSettings, type AutomatedSettings} from './automated-settings.js';
export {
	BACKUP_STATUS, decideCourse, backupsToDelete,
	type CourseCandidate, type CourseBackupState, type CourseDecision, type SkipReason, type RetainedFile,
} from './automated-selection.js';
export {runAutomatedBackups, type AutomatedReport, type AutomatedCourseReport, type AutomatedRunOptions, type CourseBackupRunner} from './automated.js';
