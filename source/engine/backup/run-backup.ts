import type {Site} from '../store/site.js';
import type {BackupRequest, BackupResult} from './types.js';
import {executeBackup} from './execute-backup.js';

export type {BackupRequest, BackupResult, BackupCounts, BackupDestination, BackupProgress, BackupType} from './types.js';

/**
 * Backs up a course, a section or an activity as Moodle 4.1 would: XML built in a temporary directory, packed
 * into a .mbz under a temporary name, renamed when complete and stored where the request says. A failure or an
 * abort leaves nothing behind.
 */
export async function runBackup(site: Site, request: BackupRequest): Promise<BackupResult> {
	return executeBackup(site, request);
}
