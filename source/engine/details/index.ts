export {readBackupDetails, type ReadDetailsOptions} from './read-backup-details.js';
export type {BackupActivity, BackupCounts, BackupCourse, BackupDetails, BackupSection} from './types.js';
