import type {Db} from '../store/db.js';
import {cohortMemberIds, linkedCourseUserIds, metaLinkChanges} from './live-enrolments.js';
import {chooseEnrolmentStep, decideEnrolInstance, DEFAULT_ENABLED_ENROL_PLUGINS, type BackupEnrolInstance, type EnrolDecision, type EnrolmentStep, type ExistingEnrolInstance} from './enrolment-rules.js';
import type {EffectiveSettings} from './effective-settings.js';
import type {RoleMapping} from './role-mapping.js';
import type {EnrolmentReview, RestoreDestination} from './types.js';
import {notice, type Notice} from '../notices.js';

export type PlannedEnrolment = {instance: BackupEnrolInstance; decision: EnrolDecision};
/**
 * `methodsAdded`: enrolment instances the restore adds to the course (restored ones, the manual one that converted
 * methods need when the course has none, a new course's defaults); `userEnrolments`: user enrolments it writes from
 * the backup, a user of several methods converted to manual once.
 */
export type EnrolmentPlan = {step: EnrolmentStep; planned: PlannedEnrolment[]; review: EnrolmentReview[]; warnings: Notice[]; methodsAdded: number; userEnrolments: number};

/** restore_default_enrolments_step: what a course without them gets (manual; guest and self disabled). */
export const DEFAULT_ENROL_INSTANCES = ['manual', 'guest', 'self'] as const;

/** The target course's instances as they will be when the backup's are restored (after a delete-contents). */
export async function survivingEnrolInstances(db: Db, destination: RestoreDestination): Promise<ExistingEnrolInstance[]> {
	if (destination.target === 'new') return [];
	const rows = await db.all<{id: number; enrol: string; status: number; roleid: number; customint1: number | null}>(
		'SELECT id, enrol, status, roleid, customint1 FROM {enrol} WHERE courseid = ? ORDER BY sortorder, id', [destination.courseId]);
	const existing = rows.map((row) => ({id: Number(row.id), enrol: row.enrol, status: Number(row.status), roleid: Number(row.roleid), customint1: row.customint1 === null ? null : Number(row.customint1)}));
	// remove_course_contents() deletes only instances that allow unenrolment (manual, self) unless they are kept.
	if (destination.target === 'replace' && !destination.keepRolesAndEnrolments) return existing.filter((instance) => instance.enrol !== 'manual' && instance.enrol !== 'self');
	return existing;
}

export async function planEnrolments(input: {
	db: Db;
	instances: BackupEnrolInstance[];
	destination: RestoreDestination;
	settings: EffectiveSettings;
	sameSite: boolean;
	roles: RoleMapping;
	usernameOf(oldUserId: number): string;
}): Promise<EnrolmentPlan> {
	const {db, destination, settings} = input;
	const step = chooseEnrolmentStep(settings.users, settings.enrolments, destination.target);
	const result: EnrolmentPlan = {step, planned: [], review: [], warnings: [], methodsAdded: 0, userEnrolments: 0};
	if (step === 'none') return result;
	const existing = await survivingEnrolInstances(db, destination);
	if (step === 'site-defaults') {
		result.methodsAdded = DEFAULT_ENROL_INSTANCES.filter((enrol) => !existing.some((instance) => instance.enrol === enrol)).length;
		return result;
	}
	const cohortIds = new Set<number>();
	const courseIds = new Set<number>();
	const tables = new Set(await db.tableNames());
	for (const instance of input.instances) {
		const linked = Number(instance.fields['customint1'] ?? 0);
		if (!linked) continue;
		if (instance.enrol === 'cohort' && tables.has('cohort') && await db.get('SELECT id FROM {cohort} WHERE id = ?', [linked])) cohortIds.add(linked);
		if (instance.enrol === 'meta' && await db.get('SELECT id FROM {course} WHERE id = ?', [linked])) courseIds.add(linked);
	}
	for (const instance of input.instances) {
		const decision = decideEnrolInstance(instance, {
			sameSite: input.sameSite, target: destination.target, mode: settings.enrolments, manualRescue: settings.manualEnrolments,
			enabledPlugins: DEFAULT_ENABLED_ENROL_PLUGINS, existing,
			mapRole: (id) => input.roles.map.get(id), cohortExists: (id) => cohortIds.has(id), courseExists: (id) => courseIds.has(id),
		});
		result.planned.push({instance, decision});
		const users = step === 'with-users' ? instance.userEnrolments.length : 0;
		const base = {method: instance.enrol, name: instance.name, users};
		switch (decision.action) {
			case 'manual': {
				// The backup's manual method goes into the course's own when it has one (merging): kept, not restored anew.
				const own = existing.some((candidate) => candidate.enrol === 'manual');
				const outcome = decision.why === 'converted' ? 'converted to manual' : decision.why === 'rescued' ? 'rescued as manual' : own ? 'reused' : 'manual';
				result.review.push({...base, outcome, ...(decision.note ? {detail: decision.note} : {})});
				if (decision.note) result.warnings.push(decision.note);
				break;
			}
			case 'create':
			case 'reuse': {
				const outcome = decision.action === 'create' ? 'restored' : 'reused';
				const live = decision.restoreUsers ? undefined : await liveEnrolments(db, instance, decision.action === 'reuse' ? decision.instanceId : undefined);
				result.review.push(live ? {...base, outcome, ...live} : {...base, outcome, users: decision.restoreUsers ? users : 0});
				break;
			}
			case 'guest':
				result.review.push({...base, outcome: decision.createFields ? 'guest' : 'reused', users: 0});
				break;
			case 'drop':
				result.review.push({...base, outcome: 'dropped', detail: decision.warning, lostUsers: []});
				break;
		}
	}
	const toManual = result.planned.some(({decision}) => decision.action === 'manual');
	result.methodsAdded = result.planned.filter(({decision}) => decision.action === 'create' || (decision.action === 'guest' && decision.createFields)).length
		+ (toManual && !existing.some((instance) => instance.enrol === 'manual') ? 1 : 0);
	const enrolled = new Set<string>();
	result.planned.forEach(({instance, decision}, index) => {
		if (step !== 'with-users') return;
		const target = decision.action === 'manual' ? 'manual' : (decision.action === 'create' || decision.action === 'reuse') && decision.restoreUsers ? `method ${index}` : undefined;
		if (target) for (const enrolment of instance.userEnrolments) enrolled.add(`${target}:${enrolment.userid}`);
	});
	result.userEnrolments = enrolled.size + result.review.reduce((sum, entry, index) => {
		const decision = result.planned[index]!.decision;
		// Cohort and meta methods enrol from the live site (their review entry counts those users).
		return sum + ((decision.action === 'create' || decision.action === 'reuse') && !decision.restoreUsers ? entry.users : 0);
	}, 0);
	// Who really loses access: users of dropped methods that no restored method enrols.
	const kept = new Set<number>();
	result.planned.forEach(({instance, decision}) => {
		const enrolsUsers = decision.action === 'manual' || ((decision.action === 'create' || decision.action === 'reuse') && decision.restoreUsers);
		if (enrolsUsers) for (const enrolment of instance.userEnrolments) kept.add(enrolment.userid);
	});
	result.planned.forEach(({instance, decision}, index) => {
		if (decision.action !== 'drop') return;
		const entry = result.review[index]!;
		const lost = step === 'with-users' ? instance.userEnrolments.map((enrolment) => enrolment.userid).filter((id) => !kept.has(id)) : [];
		entry.lostUsers = lost.map((id) => input.usernameOf(id));
		const warning = entry.lostUsers.length
			? notice('enrolDroppedLosingUsers', {dropped: decision.warning, count: entry.lostUsers.length, users: entry.lostUsers.join(', ')})
			: decision.warning;
		entry.detail = warning;
		result.warnings.push(warning);
	});
	return result;
}

/** What the review says of a cohort or meta link method: the users it will enrol from the live site (live-enrolments.ts). */
async function liveEnrolments(db: Db, instance: BackupEnrolInstance, reusedId: number | undefined): Promise<{users: number; detail: Notice} | undefined> {
	const linked = Number(instance.fields['customint1'] ?? 0);
	if (instance.status !== 0) return undefined;
	if (instance.enrol === 'cohort') {
		const users = (await cohortMemberIds(db, linked)).length;
		const cohort = await db.get<{name: string}>('SELECT name FROM {cohort} WHERE id = ?', [linked]);
		return {users, detail: notice('cohortLive', {cohort: cohort?.name ?? linked, count: users})};
	}
	if (instance.enrol === 'meta') {
		// A reused method (merging) already holds users: those no longer in the linked course get suspended.
		const {members, leaving} = reusedId === undefined ? {members: await linkedCourseUserIds(db, linked), leaving: []} : await metaLinkChanges(db, reusedId, linked);
		return {
			users: members.length,
			detail: leaving.length > 0
				? notice('metaLiveSuspending', {courseId: linked, count: members.length, leaving: leaving.length})
				: notice('metaLive', {courseId: linked, count: members.length}),
		};
	}
	return undefined;
}
