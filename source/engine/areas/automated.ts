import type {Db} from '../store/db.js';
import type {Site} from '../store/site.js';
import {planBackup} from '../backup/plan-backup.js';
import {runBackup, type BackupResult} from '../backup/run-backup.js';
import {deleteAreaFile, listAreas} from './backup-areas.js';
import {BACKUP_STATUS, backupsToDelete, decideCourse, type CourseBackupState, type CourseCandidate, type SkipReason} from './automated-selection.js';
import {DEFAULT_AUTOMATED_SETTINGS, type AutomatedSettings} from './automated-settings.js';
import type {Notice} from '../notices.js';

export type AutomatedCourseReport = {
	courseId: number;
	shortname: string;
	outcome: 'backedUp' | 'skipped' | 'failed';
	/** Why it was skipped, or the error. */
	reason?: SkipReason | 'error';
	text?: string;
	filename?: string;
	areaFileId?: number;
	bytes?: number;
	warnings?: Notice[];
	/** Older automated backups of this course deleted by the retention rule. */
	deleted: Array<{id: number; filename: string}>;
};

export type AutomatedReport = {
	startedAt: number;
	finishedAt: number;
	settings: AutomatedSettings;
	all: boolean;
	courses: AutomatedCourseReport[];
	backedUp: number;
	skipped: number;
	failed: number;
	deleted: number;
};

/** Produces one course's automated backup into the automated area. */
export type CourseBackupRunner = (site: Site, courseId: number) => Promise<Pick<BackupResult, 'filename' | 'areaFileId' | 'bytes' | 'warnings'>>;

export type AutomatedRunOptions = {
	all?: boolean;
	settings?: AutomatedSettings;
	/** Unix time source (tests). */
	now?: () => number;
	/** The backup step; by default the backup engine with Moodle's automated-mode defaults. */
	backupCourse?: CourseBackupRunner;
	onCourse?(report: AutomatedCourseReport): void;
};

const defaultBackupCourse: CourseBackupRunner = async (site, courseId) => {
	const {plan} = await planBackup(site.db, 'course', courseId, {mode: 'automated'});
	return runBackup(site, {type: 'course', id: courseId, settings: plan, destination: {area: 'automated'}});
};

type CourseRow = {id: number; shortname: string; visible: number; timemodified: number; sections: number | null; modules: number | null; logs: number | null};

/**
 * Every course but the site course, with its latest change: course.timemodified, and (beyond Moodle, which only
 * reads the logs) the newest section change and module addition, since sites restored by this tool have no live logs.
 */
async function loadCandidates(db: Db): Promise<CourseCandidate[]> {
	const rows = await db.all<CourseRow>(`SELECT c.id, c.shortname, c.visible, c.timemodified,
		(SELECT MAX(s.timemodified) FROM {course_sections} s WHERE s.course = c.id) AS sections,
		(SELECT MAX(m.added) FROM {course_modules} m WHERE m.course = c.id) AS modules,
		(SELECT MAX(l.timecreated) FROM {logstore_standard_log} l WHERE l.courseid = c.id AND l.crud <> 'r' AND l.target <> 'course_backup') AS logs
		FROM {course} c WHERE c.format <> 'site' ORDER BY c.id`);
	return rows.map(row => ({
		id: Number(row.id),
		shortname: row.shortname,
		visible: Number(row.visible) === 1,
		lastChange: Math.max(Number(row.timemodified), Number(row.sections ?? 0), Number(row.modules ?? 0), Number(row.logs ?? 0)),
	}));
}

async function loadState(db: Db, courseId: number): Promise<CourseBackupState | undefined> {
	const row = await db.get<CourseBackupState>('SELECT laststarttime, lastendtime, laststatus, nextstarttime FROM {backup_courses} WHERE courseid = ?', [courseId]);
	if (!row) return undefined;
	return {laststarttime: Number(row.laststarttime), lastendtime: Number(row.lastendtime), laststatus: Number(row.laststatus), nextstarttime: Number(row.nextstarttime)};
}

async function saveState(db: Db, courseId: number, values: Partial<CourseBackupState>): Promise<void> {
	const entries = Object.entries(values);
	await db.run(`UPDATE {backup_courses} SET ${entries.map(([name]) => `${name} = ?`).join(', ')} WHERE courseid = ?`,
		[...entries.map(([name, value]) => (name === 'laststatus' ? String(value) : value!)), courseId]);
}

/**
 * Runs the automated backups now (like admin/cli/automated_backups.php): every course Moodle's rules select is
 * backed up into its automated area, older automated backups beyond `keep` are deleted, and backup_courses
 * records each course's state. A course whose backup fails is reported and the run goes on.
 * nextstarttime stays 0: the schedule belongs to whatever runs the command (cron).
 */
export async function runAutomatedBackups(site: Site, options: AutomatedRunOptions = {}): Promise<AutomatedReport> {
	const now = options.now ?? (() => Math.floor(Date.now() / 1000));
	const settings = options.settings ?? DEFAULT_AUTOMATED_SETTINGS;
	const backupCourse = options.backupCourse ?? defaultBackupCourse;
	const startedAt = now();
	const report: AutomatedReport = {startedAt, finishedAt: startedAt, settings, all: options.all === true, courses: [], backedUp: 0, skipped: 0, failed: 0, deleted: 0};

	// Rows of deleted courses go first (spec §4.3 step 3).
	await site.db.run('DELETE FROM {backup_courses} WHERE courseid NOT IN (SELECT id FROM {course})');
	for (const course of await loadCandidates(site.db)) {
		let state = await loadState(site.db, course.id);
		if (!state) {
			await site.db.insert('backup_courses', {courseid: course.id, laststarttime: 0, lastendtime: 0, laststatus: String(BACKUP_STATUS.NOTYETRUN), nextstarttime: 0});
			state = {laststarttime: 0, lastendtime: 0, laststatus: BACKUP_STATUS.NOTYETRUN, nextstarttime: 0};
		}
		const decision = decideCourse(course, state, settings, now(), {all: options.all === true});
		const entry: AutomatedCourseReport = {courseId: course.id, shortname: course.shortname, outcome: 'skipped', deleted: []};
		if (decision.action === 'skip') {
			await saveState(site.db, course.id, {laststatus: BACKUP_STATUS.SKIPPED, nextstarttime: 0});
			entry.reason = decision.reason;
			entry.text = decision.text;
			report.skipped++;
		} else {
			await saveState(site.db, course.id, {laststarttime: now(), laststatus: BACKUP_STATUS.UNFINISHED});
			try {
				const result = await backupCourse(site, course.id);
				entry.outcome = 'backedUp';
				entry.filename = result.filename;
				if (result.areaFileId !== undefined) entry.areaFileId = result.areaFileId;
				entry.bytes = result.bytes;
				if (result.warnings.length > 0) entry.warnings = result.warnings;
				const existing = await listAreas(site, {courseId: course.id, area: 'automated'});
				for (const file of backupsToDelete(existing, {keep: settings.keep})) {
					await deleteAreaFile(site, file.id);
					entry.deleted.push({id: file.id, filename: file.filename});
				}
				report.deleted += entry.deleted.length;
				report.backedUp++;
				await saveState(site.db, course.id, {
					laststatus: result.warnings.length > 0 ? BACKUP_STATUS.WARNING : BACKUP_STATUS.OK, lastendtime: now(), nextstarttime: 0,
				});
			} catch (error) {
				entry.outcome = 'failed';
				entry.reason = 'error';
				entry.text = (error as Error).message;
				report.failed++;
				await saveState(site.db, course.id, {laststatus: BACKUP_STATUS.ERROR, lastendtime: now(), nextstarttime: 0});
			}
		}
		report.courses.push(entry);
		options.onCourse?.(entry);
	}
	report.finishedAt = now();
	return report;
}
