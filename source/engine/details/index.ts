export {readBackupDetails, readExtractedDetails, type ExtractedBackup, type ReadDetailsOptions} from './read-backup-details.js';
export type {BackupActivity, BackupCounts, BackupCourse, BackupDetails, BackupSection} from './types.js';
