import type {SettingsPlan} from '../settings/settings-plan.js';
import type {EnrolmentMode} from './enrolment-rules.js';
import type {UserPrecheck} from './user-precheck.js';
import type {RestoreOptions} from './types.js';
import {notice, type Notice} from '../notices.js';

/** The root settings execute() acts on, after the conflict policy (no-users switches user data off). */
export type EffectiveSettings = {
	users: boolean;
	enrolments: EnrolmentMode;
	manualEnrolments: boolean;
	roleAssignments: boolean;
	activities: boolean;
	blocks: boolean;
	filters: boolean;
	comments: boolean;
	badges: boolean;
	calendarEvents: boolean;
	usersCompletion: boolean;
	logs: boolean;
	gradeHistories: boolean;
	groups: boolean;
	competencies: boolean;
	customFields: boolean;
	/** Why users are off although the setting says on. */
	usersDroppedBecause?: Notice;
};

function on(settings: SettingsPlan, name: string): boolean {
	return settings.has(name) && settings.isOn(name);
}

export function effectiveSettings(settings: SettingsPlan, precheck: UserPrecheck | undefined, options: RestoreOptions): EffectiveSettings {
	let users = on(settings, 'users');
	let usersDroppedBecause: Notice | undefined;
	if (users && precheck && precheck.conflicts.length > 0 && options.conflictPolicy === 'no-users') {
		users = false;
		usersDroppedBecause = notice('usersDroppedForConflicts', {count: precheck.conflicts.length});
	}
	const enrolments = (settings.has('enrolments') ? String(settings.get('enrolments')) : 'withusers') as EnrolmentMode;
	return {
		users,
		enrolments,
		manualEnrolments: users && on(settings, 'manual_enrolments'),
		roleAssignments: users && on(settings, 'role_assignments'),
		activities: on(settings, 'activities'),
		blocks: on(settings, 'blocks'),
		filters: on(settings, 'filters'),
		comments: users && on(settings, 'comments'),
		badges: users && on(settings, 'badges') && on(settings, 'activities'),
		calendarEvents: on(settings, 'calendarevents'),
		usersCompletion: users && on(settings, 'userscompletion'),
		logs: users && on(settings, 'logs'),
		gradeHistories: users && on(settings, 'grade_histories'),
		groups: on(settings, 'groups'),
		competencies: on(settings, 'competencies'),
		customFields: on(settings, 'customfields'),
		...(usersDroppedBecause ? {usersDroppedBecause} : {}),
	};
}
