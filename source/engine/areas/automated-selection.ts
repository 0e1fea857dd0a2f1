import type {AutomatedSettings} from './automated-settings.js';

/** backup_cron_helper::BACKUP_STATUS_* as stored in backup_courses.laststatus. */
export const BACKUP_STATUS = {ERROR: 0, OK: 1, UNFINISHED: 2, SKIPPED: 3, WARNING: 4, NOTYETRUN: 5, QUEUED: 6} as const;

export type CourseCandidate = {
	id: number;
	shortname: string;
	visible: boolean;
	/** Latest change to the course: course.timemodified, and content/log changes (see lastCourseChange()). */
	lastChange: number;
};

/** A backup_courses row (undefined when the course never entered the automated backups). */
export type CourseBackupState = {laststarttime: number; lastendtime: number; laststatus: number; nextstarttime: number};

export type SkipReason = 'hidden' | 'unmodifiedSinceLastBackup' | 'unmodifiedForDays';

export type CourseDecision = {action: 'backup'} | {action: 'skip'; reason: SkipReason; text: string};

const DAY = 86_400;

/**
 * Moodle's skip rules (backup_cron_helper::run_automated_backup(), spec §4.3 step 6), for a run that backs up
 * immediately (like admin/cli/automated_backups.php). `all` forces every course (the yearly full run).
 * The "not modified" rules only apply after a successful backup, as in Moodle; unlike Moodle, a backup that
 * finished with warnings counts as successful (Moodle only warns about missing pool files; this tool also warns
 * about parts it skipped, and re-running an unchanged course would only repeat them).
 */
export function decideCourse(course: CourseCandidate, state: CourseBackupState | undefined, settings: AutomatedSettings, now: number, options: {all?: boolean} = {}): CourseDecision {
	if (options.all) return {action: 'backup'};
	if (settings.activeOnly && !course.visible) return {action: 'skip', reason: 'hidden', text: 'not visible'};
	const lastSucceeded = state !== undefined
		&& (state.laststatus === BACKUP_STATUS.OK || state.laststatus === BACKUP_STATUS.SKIPPED || state.laststatus === BACKUP_STATUS.WARNING)
		&& state.laststarttime > 0 && state.lastendtime > 0;
	if (!lastSucceeded) return {action: 'backup'};
	if (settings.skipModifiedDays > 0) {
		const since = now - settings.skipModifiedDays * DAY;
		if (course.lastChange <= since) {
			return {action: 'skip', reason: 'unmodifiedForDays', text: `not modified in the last ${settings.skipModifiedDays} days`};
		}
	}
	if (settings.skipUnmodified && course.lastChange <= state.laststarttime) {
		return {action: 'skip', reason: 'unmodifiedSinceLastBackup', text: 'not modified since its last automated backup'};
	}
	return {action: 'backup'};
}

export type RetainedFile = {id: number; timemodified: number};

/**
 * Which automated backups of one course to delete (backup_cron_helper::get_backups_to_delete(), spec §4.4):
 * newest first, keep `keep` (0 = all). With `deleteDays`, only the newest ones younger than that are kept,
 * but never fewer than `minKept`.
 * Deliberate differences: files with the same timestamp are all considered (Moodle keys them by time and
 * loses all but one), and keep = 0 ("all") with deleteDays keeps every young file instead of only minKept.
 */
export function backupsToDelete<T extends RetainedFile>(files: readonly T[], options: {keep: number; deleteDays?: number; minKept?: number; now?: number}): T[] {
	const deleteDays = options.deleteDays ?? 0;
	if (options.keep === 0 && deleteDays === 0) return [];
	const newestFirst = [...files].sort((a, b) => b.timemodified - a.timemodified || b.id - a.id);
	let toKeep = options.keep === 0 ? newestFirst.length : options.keep;
	if (deleteDays > 0) {
		const threshold = (options.now ?? Math.floor(Date.now() / 1000)) - deleteDays * DAY;
		let young = 0;
		for (const file of newestFirst) {
			if (file.timemodified < threshold || young >= toKeep) break;
			young++;
		}
		toKeep = Math.max(young, options.minKept ?? 0);
	}
	return newestFirst.slice(toKeep);
}
