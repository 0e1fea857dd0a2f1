import {MbzError, PrecheckError, StoreError} from '../errors.js';
import {IdMap} from '../store/id-map.js';
import {lockSiteForWriting} from '../store/site-lock.js';
import {effectiveSettings} from './effective-settings.js';
import {planCourseEnrolments} from './build-review.js';
import type {RestorePlan} from './restore-plan.js';
import {mapRoles} from './role-mapping.js';
import {progressReporter, restoreCancelled, type RestoreRun} from './run-context.js';
import {restoreActivities} from './steps/activities-step.js';
import {restoreCourse} from './steps/course-step.js';
import {restoreCourseExtras} from './steps/course-extras-step.js';
import {restoreCourseCustomFields} from './steps/custom-fields-step.js';
import {logCourseRestored, restoreLogs} from './steps/logs-step.js';
import {countCourseFiles, restoreCourseFiles, wantedBlobs} from './steps/course-files-step.js';
import {restoreEnrolments} from './steps/enrolments-step.js';
import {restoreGradebook} from './steps/gradebook-step.js';
import {restoreGroups} from './steps/groups-step.js';
import {restoreContextRoles, restoreRoleNames} from './steps/role-assignments-step.js';
import {restoreSections} from './steps/sections-step.js';
import {restoreUsers} from './steps/users-step.js';
import type {RestoreProgress, RestoreResult, RestoreReview} from './types.js';
import {uniqueNotices, type Notice} from '../notices.js';

/**
 * Stage 6: writes the restore in Moodle's order inside ONE database transaction. The file bodies, staged in the
 * plan's own area when it opened, are promoted into the pool only after the commit (those files.xml references);
 * on any failure (corrupt entry, constraint, cancel) the transaction rolls back and nothing is promoted, so the
 * site is exactly as before.
 */
export async function executeRestore(plan: RestorePlan, review: RestoreReview, options: {onProgress?: RestoreProgress; signal?: AbortSignal}): Promise<RestoreResult> {
	if (review.blockers.length > 0) {
		throw refusal(review.blockers);
	}
	const step = progressReporter(plan.file, options.onProgress, options.signal);
	const site = plan.site;
	let precheck = await plan.precheck();
	let settings = effectiveSettings(plan.settings, precheck, plan.options);
	let committed = false;
	try {
		// The bodies were staged in the plan's own area when it opened; those files.xml uses are promoted after the commit.
		const wanted = await plan.fromBackup('wanted bodies', wantedBlobs);
		const result = await site.db.transaction(async (db) => {
			// One writer per site at a time (PostgreSQL would run two restores at once): once it is our turn,
			// check again against what another restore committed meanwhile (users it created, names it took).
			await lockSiteForWriting(db);
			plan.forgetPrecheck();
			review = await plan.review();
			if (review.blockers.length > 0) throw refusal(review.blockers);
			precheck = await plan.precheck();
			settings = effectiveSettings(plan.settings, precheck, plan.options);
			const roles = await mapRoles(db, plan.backup);
			const admin = await db.get<{value: string}>(`SELECT value FROM {config} WHERE name = 'siteadmins'`);
			const run: RestoreRun = {
				db, site, staging: plan.staging, backup: plan.backup, info: plan.info, review, settings, precheck, roles, enrolments: undefined,
				sameSite: plan.sameSite, ids: new IdMap(), courseId: 0, courseContextId: 0,
				adminUserId: Number((admin?.value ?? '2').split(',')[0]) || 2, dateOffset: review.course.dateOffset,
				now: Math.floor(Date.now() / 1000), counts: {}, warnings: [...review.warnings], usersCreated: [], usersMapped: [], afterAll: [], step,
			};
			for (const [oldRole, newRole] of roles.map) run.ids.set('role', oldRole, newRole);
			step('course', review.course.shortname, 0, 1);
			await restoreCourse(run);
			await restoreCourseCustomFields(run);
			const filesBefore = await countCourseFiles(run);
			const defaultSectionId = await restoreSections(run);
			step('users', '', 0, 1);
			await restoreUsers(run);
			if (plan.info.type === 'course') {
				run.enrolments = await planCourseEnrolments(plan, db, review.destination, settings, precheck, roles);
				await restoreEnrolments(run);
				step('roles', '', 0, 1);
				await restoreRoleNames(run);
				await restoreContextRoles(run, 'course/roles.xml', run.courseContextId);
			}
			step('groups', '', 0, 1);
			await restoreGroups(run);
			step('gradebook', '', 0, 1);
			await restoreGradebook(run);
			await restoreActivities(run, defaultSectionId);
			step('courseExtras', '', 0, 1);
			await restoreCourseExtras(run);
			await restoreLogs(run);
			step('files', '', 0, 1);
			await restoreCourseFiles(run);
			run.counts['files'] = (await countCourseFiles(run)) - filesBefore;
			for (const work of run.afterAll) await work();
			await logCourseRestored(run);
			step('done', '', 1, 1);
			return {
				courseId: run.courseId, courseContextId: run.courseContextId, fullname: review.course.fullname, shortname: review.course.shortname,
				usersCreated: run.usersCreated, usersMapped: run.usersMapped,
				enrolments: run.enrolments?.review ?? [], counts: run.counts, warnings: uniqueNotices(run.warnings),
			} satisfies RestoreResult;
		});
		committed = true;
		await plan.staging.promote(wanted);
		return result;
	} catch (error) {
		await plan.staging.discard().catch(() => undefined);
		// A database or pool failure inside the transaction: say what became of the site (the admin's first question).
		if (!committed && error instanceof StoreError) throw new StoreError(`${plan.file}: restore failed, nothing was written: ${error.message}`);
		if (error instanceof MbzError) throw error;
		if (options.signal?.aborted) throw restoreCancelled(plan.file);
		throw new StoreError(`${plan.file}: restore failed, nothing was written: ${(error as Error).message}`);
	}
}

/** Why a restore is refused, as one error: the first reason, how many more, and all of them. */
export function refusal(blockers: readonly Notice[]): PrecheckError {
	const more = blockers.length > 1 ? ` (and ${blockers.length - 1} more)` : '';
	return new PrecheckError(`restore refused: ${blockers[0]?.text ?? ''}${more}`, blockers.map(String));
}
