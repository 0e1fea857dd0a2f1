import {decodeContentLinks, isActivitySupported, restoreActivity, restoreQuestionBank} from '../../plugins/index.js';
import type {ActivitySettings, RestoreActivityContext} from '../../plugins/types.js';
import {count, type RestoreRun} from '../run-context.js';
import {notice, warnInto} from '../../notices.js';

/** The plugins' view of this restore: one context object (and one cache) for the question bank and every activity. */
export function activityContext(run: RestoreRun, defaultSectionId: number, cache: Record<string, unknown>): RestoreActivityContext {
	const settings: ActivitySettings = {
		users: run.settings.users, role_assignments: run.settings.roleAssignments, comments: run.settings.comments,
		userscompletion: run.settings.usersCompletion, calendarevents: run.settings.calendarEvents, grade_histories: run.settings.gradeHistories,
		files: true, groups: run.settings.groups, filters: run.settings.filters, competencies: run.settings.competencies,
	};
	return {
		db: run.db, idMap: run.ids, pool: run.site.pool, staging: run.staging, xmlDir: run.backup.xmlDir, file: run.backup.file,
		courseId: run.courseId, courseContextId: run.courseContextId, defaultSectionId, userinfo: run.settings.users, settings,
		originalWwwroot: run.info.originalWwwroot, targetWwwroot: run.site.wwwroot,
		// Every plugin's date columns move with the course start date (Moodle's apply_date_offset).
		...(run.dateOffset ? {dateOffset: run.dateOffset} : {}),
		warn: warnInto(run.warnings), cache,
	};
}

/** Tables an activity writes that the restore's counts also name at course level. */
const COURSE_COUNTED_TABLES: Record<string, string> = {role_assignments: 'roleAssignments', comments: 'comments', grade_items: 'gradeItems', grade_grades: 'grades'};

/**
 * Question bank, then every included activity through the plugin registry (the engine never names a module),
 * then content links decoded once at the very end — after everything they may point at exists.
 */
export async function restoreActivities(run: RestoreRun, defaultSectionId: number): Promise<void> {
	const cache: Record<string, unknown> = {};
	const context = activityContext(run, defaultSectionId, cache);
	run.step('questions', '', 0, 1);
	const bank = await restoreQuestionBank(context);
	count(run, 'questionCategories', bank.categories);
	count(run, 'questions', bank.questions);
	const activities = run.review.activities.filter((activity) => activity.included);
	let done = 0;
	for (const activity of activities) {
		run.step('activities', activity.title, done++, activities.length);
		if (!isActivitySupported(activity.modulename)) {
			run.warnings.push(notice('activityTypeNotRestored', {title: activity.title, type: activity.modulename}));
			continue;
		}
		const reference = run.info.activities.find((candidate) => candidate.cmid === activity.cmid)!;
		const result = await restoreActivity({...context, userinfo: activity.userinfo}, reference.directory);
		if ('skipped' in result) {
			run.warnings.push(notice('activitySkipped', {title: activity.title, why: result.skipped}));
			continue;
		}
		count(run, `activity.${activity.modulename}`);
		count(run, 'activities');
		// What the activity brought of the kinds the course counts too (its role assignments, comments, grades).
		for (const [table, kind] of Object.entries(COURSE_COUNTED_TABLES)) if (result.rows[table]) count(run, kind, result.rows[table]);
	}
	run.step('links', '', 0, 1);
	run.afterAll.push(async () => {
		await decodeContentLinks(context);
	});
}

