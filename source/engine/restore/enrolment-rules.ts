/**
 * Which enrolment work runs and what happens to each enrolment method of course/enrolments.xml (spec §7),
 * decided before anything is written so the review can list what is dropped or converted.
 */
import {notice, type Notice} from '../notices.js';

export type EnrolmentMode = 'never' | 'withusers' | 'always';
export type RestoreTargetKind = 'new' | 'merge' | 'replace';

/** Moodle's `enrolments` restore setting values: 0 = ENROL_NEVER ("No, restore users as manual enrolments"), 1, 2. */
export const ENROLMENT_MODE_VALUE: Record<EnrolmentMode, number> = {never: 0, withusers: 1, always: 2};

export type BackupUserEnrolment = {id: number; userid: number; status: number; timestart: number; timeend: number; timecreated?: number; timemodified: number; modifierid: number};

export type BackupEnrolInstance = {
	id: number;
	enrol: string;
	status: number;
	name: string | null;
	roleid: number;
	/** Every leaf field of <enrol> (customint1 …, password, enrolperiod …). */
	fields: Record<string, string | null>;
	userEnrolments: BackupUserEnrolment[];
};

/** restore_course_task::build(): which enrolment step runs (§7.1). */
export type EnrolmentStep = 'with-users' | 'instances-only' | 'site-defaults' | 'none';

export function chooseEnrolmentStep(usersIncluded: boolean, mode: EnrolmentMode, target: RestoreTargetKind): EnrolmentStep {
	if (usersIncluded) return 'with-users';
	if (mode === 'always') return 'instances-only';
	return target === 'merge' ? 'none' : 'site-defaults';
}

export type ExistingEnrolInstance = {id: number; enrol: string; status: number; roleid: number; customint1: number | null};

export type EnrolRuleContext = {
	sameSite: boolean;
	target: RestoreTargetKind;
	mode: EnrolmentMode;
	/** "Restore as manual enrolments" for methods that cannot come back (a cohort that does not exist here …). */
	manualRescue: boolean;
	/** Enrolment plugins enabled on this site. */
	enabledPlugins: ReadonlySet<string>;
	/** The target course's instances at the time of the restore (after a delete-contents, what survived). */
	existing: readonly ExistingEnrolInstance[];
	/** Backup role id → role id here (undefined when the role cannot be mapped). */
	mapRole(oldRoleId: number): number | undefined;
	cohortExists(cohortId: number): boolean;
	courseExists(courseId: number): boolean;
};

export type EnrolDecision =
	/** Map to the course's first manual instance (created if needed); user enrolments go through manual. */
	| {action: 'manual'; why: 'converted' | 'rescued' | 'manual'; note?: Notice}
	/** Create a new instance of the plugin from the backup values (after the adjustments in `fields`). */
	| {action: 'create'; fields: Record<string, string | null>; restoreUsers: boolean; roleid: number}
	/** Reuse an instance of the target course. */
	| {action: 'reuse'; instanceId: number; restoreUsers: boolean}
	/** Guest: instance added (or kept) but nothing maps to it — guests have no enrolments. */
	| {action: 'guest'; createFields: Record<string, string | null> | undefined}
	/** Not restored; its users lose this way into the course. */
	| {action: 'drop'; warning: Notice; lostUserIds: number[]};

function intField(instance: BackupEnrolInstance, name: string): number {
	const value = instance.fields[name];
	return value === null || value === undefined || value === '' ? 0 : Number(value);
}

function methodLabel(instance: BackupEnrolInstance): Notice {
	return instance.name ? notice('enrolMethodNamed', {plugin: instance.enrol, name: instance.name}) : notice('enrolMethod', {plugin: instance.enrol});
}

function drop(instance: BackupEnrolInstance, why: Notice): EnrolDecision {
	const lostUserIds = instance.userEnrolments.map((enrolment) => enrolment.userid);
	return {action: 'drop', warning: notice('enrolDropped', {method: methodLabel(instance), why}), lostUserIds};
}

/** Decides the fate of one backup enrolment instance by its plugin's own rule (spec §7.2–7.3). */
export function decideEnrolInstance(instance: BackupEnrolInstance, context: EnrolRuleContext): EnrolDecision {
	if (context.mode === 'never') {
		// ENROL_NEVER: every instance maps to the course's manual instance (Moodle's convert-to-manual mode).
		if (!context.enabledPlugins.has('manual')) return drop(instance, notice('manualDisabled'));
		return {action: 'manual', why: 'converted'};
	}
	if (!context.enabledPlugins.has(instance.enrol)) {
		return drop(instance, notice('enrolPluginDisabled', {plugin: instance.enrol}));
	}
	const roleid = instance.roleid ? context.mapRole(instance.roleid) ?? 0 : 0;
	switch (instance.enrol) {
		case 'manual':
			return {action: 'manual', why: 'manual'};
		case 'self': {
			if (context.target !== 'new') {
				const same = context.existing.find((existing) => existing.enrol === 'self' && existing.status === instance.status && existing.roleid === roleid);
				if (same) return {action: 'reuse', instanceId: same.id, restoreUsers: true};
			}
			const fields = {...instance.fields};
			// A cohort restriction means nothing on another site: -1 (a cohort that cannot exist) blocks self enrolment.
			if (intField(instance, 'customint5') && !context.sameSite) fields['customint5'] = '-1';
			return {action: 'create', fields, restoreUsers: true, roleid};
		}
		case 'guest': {
			const hasGuest = context.existing.some((existing) => existing.enrol === 'guest');
			return {action: 'guest', createFields: hasGuest ? undefined : {...instance.fields}};
		}
		case 'cohort': {
			const cohortId = intField(instance, 'customint1');
			const cohortHere = context.sameSite && cohortId > 0 && context.cohortExists(cohortId);
			if (!cohortHere || !roleid) {
				const why = !context.sameSite
					? notice('cohortOfOtherSite', {cohortId})
					: !cohortHere ? notice('cohortMissing', {cohortId}) : notice('enrolRoleUnmapped');
				if (context.manualRescue && context.enabledPlugins.has('manual')) {
					return {action: 'manual', why: 'rescued', note: notice('enrolRescued', {method: methodLabel(instance), why, count: instance.userEnrolments.length})};
				}
				return drop(instance, why);
			}
			const same = context.existing.find((existing) => existing.enrol === 'cohort' && existing.roleid === roleid && existing.customint1 === cohortId);
			// Users come from the live cohort (Moodle re-syncs the course), not from the backup.
			if (same) return {action: 'reuse', instanceId: same.id, restoreUsers: false};
			return {action: 'create', fields: {...instance.fields}, restoreUsers: false, roleid};
		}
		case 'meta': {
			const linkedCourse = intField(instance, 'customint1');
			if (!context.sameSite) return drop(instance, notice('metaOfOtherSite', {courseId: linkedCourse}));
			if (!context.courseExists(linkedCourse)) return drop(instance, notice('metaCourseMissing', {courseId: linkedCourse}));
			const same = context.existing.find((existing) => existing.enrol === 'meta' && existing.roleid === roleid && existing.customint1 === linkedCourse);
			if (same) return {action: 'reuse', instanceId: same.id, restoreUsers: false};
			return {action: 'create', fields: {...instance.fields}, restoreUsers: false, roleid};
		}
		default:
			// Moodle's base enrol_plugin::restore_instance maps to 0: the method is not restored.
			return drop(instance, notice('enrolNotRestorable', {plugin: instance.enrol}));
	}
}

/** The enrolment plugins this site enables (Moodle's default enrol_plugins_enabled, plus meta, which we restore). */
export const DEFAULT_ENABLED_ENROL_PLUGINS: ReadonlySet<string> = new Set(['manual', 'guest', 'self', 'cohort', 'meta']);

/**
 * Manual enrolment merge rule (enrol_manual_plugin::restore_user_enrolment): an active existing enrolment is never
 * shortened or suspended — its period is widened; otherwise the backup's values are used, suspended when the
 * target instance is enabled while the original one was disabled.
 */
export function mergeManualEnrolment(
	existing: {status: number; timestart: number; timeend: number} | undefined,
	backup: {status: number; timestart: number; timeend: number},
	backupInstanceStatus: number,
	targetInstanceStatus: number,
): {status: number; timestart: number; timeend: number} {
	const now = Math.floor(Date.now() / 1000);
	const existingActive = existing !== undefined && existing.status === 0
		&& (existing.timeend === 0 || existing.timeend > now);
	if (existing && existingActive && backup.status === 0) {
		const timestart = Math.min(existing.timestart, backup.timestart);
		const timeend = existing.timeend === 0 || backup.timeend === 0 ? 0 : Math.max(existing.timeend, backup.timeend);
		return {status: 0, timestart, timeend};
	}
	if (existing && existingActive) return existing;
	const suspended = targetInstanceStatus === 0 && backupInstanceStatus !== 0;
	return {status: suspended ? 1 : backup.status, timestart: backup.timestart, timeend: backup.timeend};
}
