import type {LockReason, LockReasonCode} from './types.js';

/** English labels of the root and course settings (Moodle's strings); keys are `settings.<name>`. */
const ROOT_LABELS: Record<string, string> = {
	filename: 'Filename',
	imscc11: 'IMS Common Cartridge 1.1',
	users: 'Include enrolled users',
	anonymize: 'Anonymize user information',
	role_assignments: 'Include user role assignments',
	activities: 'Include activities and resources',
	blocks: 'Include blocks',
	files: 'Include files',
	filters: 'Include filters',
	comments: 'Include comments',
	badges: 'Include badges',
	calendarevents: 'Include calendar events',
	userscompletion: 'Include user completion details',
	logs: 'Include course logs',
	grade_histories: 'Include grade history',
	questionbank: 'Include question bank',
	groups: 'Include groups and groupings',
	competencies: 'Include competencies',
	customfield: 'Include custom fields',
	customfields: 'Include custom fields',
	contentbankcontent: 'Include content bank content',
	legacyfiles: 'Include legacy course files',
	permissions: 'Include permission overrides',
	enrolments: 'Include enrolment methods',
	manual_enrolments: 'Restore users of cohorts missing here as manual enrolments',
	overwrite_conf: 'Overwrite course configuration',
	course_fullname: 'Course name',
	course_shortname: 'Course short name',
	course_startdate: 'Course start date',
	keep_roles_and_enrolments: 'Keep current roles and enrolments',
	keep_groups_and_groupings: 'Keep current groups and groupings',
};

export function settingLabel(name: string): string {
	return ROOT_LABELS[name] ?? name;
}

export function settingLabelKey(name: string): string {
	return `settings.${name}`;
}

/** Builds a lock reason with its English text. */
export function lockReason(
	code: LockReasonCode,
	details: {setting?: string; settingLabel?: string; value?: string; valueLabel?: string; capability?: string} = {},
): LockReason {
	const label = details.settingLabel ?? (details.setting ? settingLabel(details.setting) : '');
	const texts: Record<LockReasonCode, string> = {
		needs: `requires "${label}"`,
		excludedBy: `not available while "${label}" is selected`,
		notInBackup: 'not in the backup',
		adminLocked: 'locked by the administrator\'s defaults',
		noPermission: `no permission${details.capability ? ` (${details.capability})` : ''}`,
		newCourse: 'always restored into a new course',
		notDeleting: 'only when the target course\'s contents are deleted first',
		competenciesDisabled: 'competencies are disabled on this site',
		coveredBy: `already done by "${label}": "${details.valueLabel ?? details.value ?? ''}"`,
	};
	const reason: LockReason = {code, text: texts[code]};
	if (details.setting !== undefined) reason.setting = details.setting;
	if (details.value !== undefined) reason.value = details.value;
	if (details.capability !== undefined) reason.capability = details.capability;
	return reason;
}
