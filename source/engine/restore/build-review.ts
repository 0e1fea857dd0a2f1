import {EMPTY_SHA1} from '../store/file-pool.js';
import type {Db} from '../store/db.js';
import {calculateCourseNames, COPY_WORD} from './course-names.js';
import {effectiveSettings, type EffectiveSettings} from './effective-settings.js';
import {planEnrolments, type EnrolmentPlan} from './plan-enrolments.js';
import {readEnrolInstances} from './read-enrolments.js';
import type {RestorePlan} from './restore-plan.js';
import {mapRoles, type RoleMapping} from './role-mapping.js';
import type {RestoreDestination, RestoreReview} from './types.js';
import type {UserPrecheck} from './user-precheck.js';
import {hasEntry, intOf, records} from './xml-input.js';
import {userDataFileAreas} from '../plugins/file-areas.js';
import {gradebookSkipped} from './steps/gradebook-step.js';
import {notice, type Notice} from '../notices.js';

/** The course names and start date the restore will give the target course. */
export async function targetCourseNames(db: Db, plan: RestorePlan, destination: RestoreDestination): Promise<{fullname: string; shortname: string; startdate: number; overwrite: boolean}> {
	const settings = plan.settings;
	const overwrite = destination.target === 'new' || (settings.has('overwrite_conf') && settings.isOn('overwrite_conf'));
	const wanted = {
		fullname: settings.has('course_fullname') ? String(settings.get('course_fullname')) : plan.info.originalCourseFullname,
		shortname: settings.has('course_shortname') ? String(settings.get('course_shortname')) : plan.info.originalCourseShortname,
		startdate: settings.has('course_startdate') ? Number(settings.get('course_startdate')) : plan.info.originalCourseStartdate,
	};
	const excludeId = destination.target === 'new' ? 0 : destination.courseId;
	if (destination.target !== 'new' && (!overwrite || plan.info.type !== 'course')) {
		const current = await db.get<{fullname: string; shortname: string; startdate: number}>('SELECT fullname, shortname, startdate FROM {course} WHERE id = ?', [excludeId]);
		return {fullname: current!.fullname, shortname: current!.shortname, startdate: Number(current!.startdate), overwrite: false};
	}
	const names = await calculateCourseNames(wanted.fullname, wanted.shortname, async (fullname, shortname) =>
		(await db.get('SELECT id FROM {course} WHERE (fullname = ? OR shortname = ?) AND id <> ?', [fullname, shortname, excludeId])) !== undefined,
	COPY_WORD[plan.options.lang ?? 'en']);
	return {fullname: names.fullname, shortname: names.shortname, startdate: wanted.startdate, overwrite: true};
}

function countElements(plan: RestorePlan, entry: string, path: string, filter?: (data: Record<string, string | null>) => boolean): Promise<number> {
	return plan.fromBackup(`count ${entry} ${path}`, async (backup) => {
		let count = 0;
		for await (const record of records(backup, entry, [path])) if (!filter || filter(record.data)) count++;
		return count;
	});
}

/** What becomes of the backup's enrolment methods on the site as `db` sees it (the review's, then the transaction's). */
export async function planCourseEnrolments(
	plan: RestorePlan, db: Db, destination: RestoreDestination, settings: EffectiveSettings, precheck: UserPrecheck | undefined, roles: RoleMapping,
): Promise<EnrolmentPlan> {
	const usernames = new Map<number, string>((precheck?.users ?? []).map((entry) => [entry.user.id, entry.user.username]));
	return planEnrolments({
		db, instances: await plan.fromBackup('enrol instances', readEnrolInstances), destination, settings, sameSite: plan.sameSite, roles,
		usernameOf: (id) => usernames.get(id) ?? `user ${id}`,
	});
}

export async function buildReview(plan: RestorePlan, destination: RestoreDestination, precheck: UserPrecheck | undefined): Promise<RestoreReview> {
	const db = plan.site.db;
	const options = plan.options;
	const settings = effectiveSettings(plan.settings, precheck, options);
	const warnings: Notice[] = [];
	const blockers: Notice[] = [];
	if (settings.usersDroppedBecause) warnings.push(settings.usersDroppedBecause);
	if (precheck && precheck.conflicts.length > 0 && settings.users) {
		blockers.push(notice('userConflicts', {
			count: precheck.conflicts.length,
			list: precheck.conflicts.map((conflict) => notice('userConflict', {username: conflict.username, reason: conflict.reason})),
		}));
	}
	if (plan.info.originalCourseFormat === 'site') blockers.push(notice('frontPage'));
	// Users are only matched when they are restored; with the no-users policy the conflicts stay listed (they are why).
	const shown = settings.users ? precheck : undefined;
	const conflictsShown = settings.users || settings.usersDroppedBecause ? precheck?.conflicts ?? [] : [];
	if (shown?.adminResolution) {
		warnings.push(notice(shown.adminResolution.created ? 'adminCreated' : 'adminMapped', {username: shown.adminResolution.username}));
	}

	const names = await targetCourseNames(db, plan, destination);
	const roles = await mapRoles(db, plan.backup);
	for (const role of roles.unmapped) warnings.push(notice('roleUnmapped', {role: role.shortname}));
	const enrolments = plan.info.type === 'course' ? await planCourseEnrolments(plan, db, destination, settings, precheck, roles) : undefined;
	warnings.push(...(enrolments?.warnings ?? []));

	const included = (name: string) => !plan.settings.has(name) || plan.settings.isOn(name);
	const sections = plan.info.sections.map((section) => ({
		sectionId: section.sectionId, title: section.title,
		included: section.included && included(`section_${section.sectionId}_included`),
		userinfo: settings.users && section.userinfo && included(`section_${section.sectionId}_userinfo`),
	}));
	const activities = plan.info.activities.map((activity) => ({
		cmid: activity.cmid, modulename: activity.modulename, title: activity.title,
		included: settings.activities && activity.included && included(`${activity.modulename}_${activity.cmid}_included`),
		userinfo: settings.users && activity.userinfo && included(`${activity.modulename}_${activity.cmid}_userinfo`),
	}));
	const restoredFiles = await countRestoredFiles(plan, settings, sections, activities, names.overwrite);
	const counts: Record<string, number> = {
		sections: sections.filter((section) => section.included).length,
		activities: activities.filter((activity) => activity.included).length,
		usersToCreate: settings.users ? precheck?.toCreate.length ?? 0 : 0,
		usersToMap: settings.users ? precheck?.toMap.length ?? 0 : 0,
		userConflicts: conflictsShown.length,
		enrolMethods: enrolments?.methodsAdded ?? 0,
		userEnrolments: enrolments?.userEnrolments ?? 0,
		groups: settings.groups ? await countElements(plan, 'groups.xml', '/groups/group') : 0,
		groupings: settings.groups ? await countElements(plan, 'groups.xml', '/groups/groupings/grouping') : 0,
		questions: await countElements(plan, 'questions.xml', '/question_categories/question_category/question_bank_entries/question_bank_entry/question_version/question_versions/questions/question'),
		files: restoredFiles.count,
	};
	// Said before anything is written: files the restore will have to skip (Moodle finds out file by file).
	if (restoredFiles.withoutContent > 0) {
		warnings.push(notice(plan.info.includeFiles ? 'filesWithoutContent' : 'filesNotInBackup', {count: restoredFiles.withoutContent}));
	}
	for (const activity of activities) {
		if (activity.included) counts[`activity.${activity.modulename}`] = (counts[`activity.${activity.modulename}`] ?? 0) + 1;
	}
	if (destination.target === 'replace') warnings.push(await whatReplaceDeletes(db, destination));
	// Said before anything is written: whether the course gradebook comes back (a replaced course's is deleted first).
	if (hasEntry(plan.backup, 'gradebook.xml')) {
		const gradebook = await gradebookSkipped(db, destination.target === 'merge' ? destination.courseId : undefined, activities);
		if (gradebook) warnings.push(gradebook);
	}
	return {
		file: plan.file, type: plan.info.type, destination, destinationName: await destinationName(db, destination), conflictPolicy: options.conflictPolicy,
		course: {fullname: names.fullname, shortname: names.shortname, startdate: names.startdate, dateOffset: plan.dateOffset()},
		settings: plan.settings.values(), usersIncluded: settings.users, enrolmentMode: settings.enrolments,
		precheck: {
			sameSite: plan.sameSite,
			toCreate: (shown?.toCreate ?? []).map((entry) => entry.decision.kind === 'create' ? entry.decision.username : entry.user.username),
			toMap: (shown?.toMap ?? []).map((entry) => ({username: entry.user.username, siteUsername: entry.decision.kind === 'map' ? entry.decision.siteUsername : '', rule: entry.decision.rule})),
			conflicts: conflictsShown.map((conflict) => ({username: conflict.username, reason: conflict.reason})),
			mappedByEmail: (shown?.mappedByEmail ?? []).map((entry) => ({username: entry.username, siteUsername: entry.siteUsername})),
			...(shown?.adminResolution ? {adminResolution: shown.adminResolution} : {}),
			policy: options.conflictPolicy,
			explanation: conflictsShown.length ? precheck?.explanation ?? '' : '',
			recommendation: conflictsShown.length ? precheck?.recommendation ?? '' : '',
		},
		blockers, counts, enrolments: enrolments?.review ?? [], sections, activities, warnings,
	};
}

/** What "delete the contents, then restore" removes from the course, for the review (delete-course-contents.ts does it). */
async function whatReplaceDeletes(db: Db, destination: Extract<RestoreDestination, {target: 'replace'}>): Promise<Notice> {
	const courseId = destination.courseId;
	const number = async (sql: string, params: Array<number | string>): Promise<number> => Number((await db.get<{n: number}>(`SELECT COUNT(*) AS n FROM ${sql}`, params))?.n ?? 0);
	const context = await db.get<{id: number}>('SELECT id FROM {context} WHERE contextlevel = 50 AND instanceid = ?', [courseId]);
	const contextId = Number(context?.id ?? 0);
	return notice('replaceDeletes', {
		activities: await number('{course_modules} WHERE course = ?', [courseId]),
		enrolments: destination.keepRolesAndEnrolments
			? notice('replaceKeepsEnrolments')
			: notice('replaceDeletesEnrolments', {count: await number("{user_enrolments} WHERE enrolid IN (SELECT id FROM {enrol} WHERE courseid = ? AND enrol IN ('manual', 'self'))", [courseId])}),
		groups: destination.keepGroupsAndGroupings ? notice('replaceKeepsGroups') : notice('replaceDeletesGroups', {count: await number('{groups} WHERE courseid = ?', [courseId])}),
		// The course's own backup areas and its activities' (course and automated backups).
		backups: await number("{files} WHERE component = 'backup' AND filename <> '.' AND (contextid = ? OR contextid IN (SELECT id FROM {context} WHERE contextlevel = 70 AND path LIKE ?))", [contextId, `%/${contextId}/%`]),
	});
}

/** The category (a new course) or the course (merge, replace) by its name on this site. */
async function destinationName(db: Db, destination: RestoreDestination): Promise<string> {
	if (destination.target === 'new') {
		const category = await db.get<{name: string}>('SELECT name FROM {course_categories} WHERE id = ?', [destination.categoryId]);
		return category?.name ?? String(destination.categoryId);
	}
	const course = await db.get<{fullname: string; shortname: string}>('SELECT fullname, shortname FROM {course} WHERE id = ?', [destination.courseId]);
	return course ? `${course.fullname} (${course.shortname})` : String(destination.courseId);
}

type BackupFile = {contextId: number; component: string; filearea: string; itemid: number; contenthash: string};

/**
 * The files the restore will write, from files.xml as the settings now stand: an activity's only if it is included
 * (its user-data areas only with user data), badge images only with badges from a course backup, a section's only if
 * the section is, group files only with groups; a section or activity backup brings no other course-level files
 * (Moodle lists the course's badge images in every files.xml).
 */
async function countRestoredFiles(
	plan: RestorePlan, settings: EffectiveSettings,
	sections: ReadonlyArray<{sectionId: number; included: boolean}>, activities: ReadonlyArray<{cmid: number; modulename: string; included: boolean; userinfo: boolean}>,
	/** A new course, or "overwrite course configuration": the course summary and overview files come too. */
	courseSettingsWritten: boolean,
): Promise<{count: number; withoutContent: number}> {
	const files = await plan.fromBackup('files.xml entries', async (backup) => {
		const list: BackupFile[] = [];
		for await (const record of records(backup, 'files.xml', ['/files/file'])) {
			const data = record.data;
			if (data['filename'] === '.') continue;
			list.push({contextId: intOf(data['contextid']), component: data['component'] ?? '', filearea: data['filearea'] ?? '', itemid: intOf(data['itemid']), contenthash: data['contenthash'] ?? ''});
		}
		return list;
	});
	const contexts = await plan.fromBackup('activity contexts', async (backup) => {
		const byCmid = new Map<number, number>();
		for (const activity of plan.info.activities) {
			// The root element is reported as soon as the module's own element opens: one chunk read, whatever the size.
			for await (const record of records(backup, `${activity.directory}/${activity.modulename}.xml`, ['/activity', `/activity/${activity.modulename}`])) {
				if (record.path === '/activity') byCmid.set(activity.cmid, intOf(record.attrs['contextid']));
				break;
			}
		}
		return byCmid;
	});
	const byContext = new Map<number, {included: boolean; userinfo: boolean; userAreas: Set<string>}>();
	for (const activity of activities) {
		const contextId = contexts.get(activity.cmid);
		if (contextId) byContext.set(contextId, {included: activity.included, userinfo: activity.userinfo, userAreas: userDataFileAreas(activity.modulename)});
	}
	const courseBackup = plan.info.type === 'course';
	const includedSections = new Set(sections.filter((section) => section.included).map((section) => section.sectionId));
	let count = 0;
	let withoutContent = 0;
	const known = new Map<string, boolean>();
	const hasContent = async (sha1: string): Promise<boolean> => {
		if (sha1 === '' || sha1 === EMPTY_SHA1 || plan.staging.has(sha1)) return true;
		let found = known.get(sha1);
		if (found === undefined) known.set(sha1, found = await plan.site.pool.has(sha1));
		return found;
	};
	// A body neither in the archive nor in this site's pool (a backup made without files, -nf) is skipped.
	const take = async (file: BackupFile): Promise<void> => {
		if (await hasContent(file.contenthash)) count++;
		else withoutContent++;
	};
	for (const file of files) {
		const activity = byContext.get(file.contextId);
		if (activity) {
			if (!activity.included || (!activity.userinfo && activity.userAreas.has(`${file.component}/${file.filearea}`))) continue;
			await take(file);
			continue;
		}
		if (file.contextId === plan.info.originalCourseContextId) {
			if (file.component === 'badges' && !(courseBackup && settings.badges)) continue;
			if (file.component === 'course' && file.filearea === 'section' && !includedSections.has(file.itemid)) continue;
			if ((file.component === 'group' || file.component === 'grouping') && !settings.groups) continue;
			if (file.component === 'course' && (file.filearea === 'summary' || file.filearea === 'overviewfiles') && !(courseBackup && courseSettingsWritten)) continue;
			if (!courseBackup && !(file.component === 'course' && file.filearea === 'section') && file.component !== 'question' && !file.component.startsWith('qtype_')) continue;
		}
		await take(file);
	}
	return {count, withoutContent};
}
