import type {MessageKey, Translate} from '../i18n/index.js';

/** The restore's counts (review and result) by name, as the screens say them. */
const LABELS: Record<string, MessageKey> = {
	courses: 'count.courses', sections: 'count.sections', activities: 'count.activities', usersCreated: 'count.usersCreated',
	enrolMethods: 'count.enrolMethods', userEnrolments: 'count.userEnrolments', userEnrolmentsSuspended: 'count.userEnrolmentsSuspended',
	roleAssignments: 'count.roleAssignments', roleOverrides: 'count.roleOverrides', groups: 'count.groups', groupings: 'count.groupings',
	groupingGroups: 'count.groupingGroups', groupMembers: 'count.groupMembers', questionCategories: 'count.questionCategories',
	questions: 'count.questions', gradeCategories: 'count.gradeCategories', gradeItems: 'count.gradeItems', grades: 'count.grades',
	blocks: 'count.blocks', filters: 'count.filters', comments: 'count.comments', events: 'count.events', badges: 'count.badges',
	completionCriteria: 'count.completionCriteria', tags: 'count.tags', customFields: 'count.customFields', logs: 'count.logs',
	files: 'count.files', courseFiles: 'count.courseFiles',
};

/**
 * Non-zero counts in words, "sections 7, activities 17 (forum 2, page 3), ...": activity types (`activity.forum`) go in
 * brackets after the activities; a name without a label is shown as it is.
 */
export function countsText(counts: Record<string, number>, t: Translate): string {
	const types = activityTypes(counts);
	return Object.entries(counts)
		.filter(([name, value]) => value > 0 && !name.startsWith('activity.'))
		.map(([name, value]) => `${LABELS[name] ? t(LABELS[name]!) : name} ${value}${name === 'activities' && types ? ` (${types})` : ''}`)
		.join(', ');
}

/** The activities per type, "forum 2, page 3", from the counts named `activity.<type>`. */
export function activityTypes(counts: Record<string, number>): string {
	return Object.entries(counts).filter(([name, value]) => name.startsWith('activity.') && value > 0)
		.map(([name, value]) => `${name.slice('activity.'.length)} ${value}`).join(', ');
}

const METHOD_KEYS: Record<string, MessageKey> = {manual: 'enrol.manual', self: 'enrol.self', guest: 'enrol.guest', cohort: 'enrol.cohort', meta: 'enrol.meta'};

/** An enrolment plugin under Moodle's name for it ("Manual enrolments"); another plugin by its own name. */
export function enrolMethodName(method: string, t: Translate): string {
	return METHOD_KEYS[method] ? t(METHOD_KEYS[method]!) : method;
}

const TYPE_KEYS: Record<string, MessageKey> = {course: 'backupType.course', section: 'backupType.section', activity: 'backupType.activity'};

/** A backup's type (moodle_backup.xml's detail type) in the interface's language. */
export function backupTypeName(type: string, t: Translate): string {
	return TYPE_KEYS[type] ? t(TYPE_KEYS[type]!) : type;
}
