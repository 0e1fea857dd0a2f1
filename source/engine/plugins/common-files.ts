/**
 * The per-activity files every activity directory carries, described once for all types with the same element
 * descriptions the activity XML uses (so both directions come from them): grades.xml, grade_history.xml,
 * roles.xml, filters.xml, comments.xml, completion.xml, calendar.xml, competencies.xml. The document row they
 * hang off is the activity: {id: instance, instance, cmid, contextid, courseid, modulename}.
 */
import type {SqlValue} from '../store/db.js';
import type {ChildSpec, ElementSpec, RowScope} from './types.js';

export type CommonFile = {
	/** File name inside activities/<mod>_<cmid>/. */
	file: string;
	/** Root element, e.g. 'activity_gradebook'. */
	root: string;
	children: readonly ChildSpec[];
};

const gradeGradeFields = ['userid', 'rawgrade', 'rawgrademax', 'rawgrademin', 'rawscaleid', 'usermodified', 'finalgrade', 'hidden', 'locked', 'locktime', 'exported', 'overridden', 'excluded', 'feedback', 'feedbackformat', 'information', 'informationformat', 'timecreated', 'timemodified', 'aggregationstatus', 'aggregationweight'];

/** Activity grade items hang under the course's gradebook: an unmapped category falls back to the course category. */
async function resolveGradeCategory(row: Record<string, SqlValue>, scope: RowScope): Promise<Record<string, SqlValue>> {
	const old = row.categoryid === null || row.categoryid === undefined ? undefined : Number(row.categoryid);
	const mapped = old === undefined ? undefined : scope.idMap.get('grade_category', old);
	if (mapped !== undefined) return {...row, categoryid: mapped};
	const courseCategory = await scope.db.get<{id: number}>('SELECT id FROM {grade_categories} WHERE courseid = ? AND parent IS NULL', [scope.courseId]);
	return {...row, categoryid: courseCategory ? Number(courseCategory.id) : null};
}

const gradeItem: ElementSpec = {
	name: 'grade_item',
	wrapper: 'grade_items',
	table: 'grade_items',
	itemname: 'grade_item',
	link: {column: 'iteminstance', parentColumn: 'instance'},
	match: {itemmodule: 'modulename'},
	courseColumn: 'courseid',
	constants: {itemtype: 'mod'},
	fields: ['categoryid', 'itemname', 'itemtype', 'itemmodule', 'iteminstance', 'itemnumber', 'iteminfo', 'idnumber', 'calculation', 'gradetype', 'grademax', 'grademin', 'scaleid', 'outcomeid', 'gradepass', 'multfactor', 'plusfactor', 'aggregationcoef', 'aggregationcoef2', 'weightoverride', 'sortorder', 'display', 'decimals', 'hidden', 'locked', 'locktime', 'needsupdate', 'timecreated', 'timemodified'],
	foreignKeys: {scaleid: {item: 'scale'}, outcomeid: {item: 'outcome'}},
	resolve: resolveGradeCategory,
	// The gradebook step, which runs after the activities, re-parents the item through this old category id.
	mapParent: 'categoryid',
	annotateAs: 'grade_item',
	children: [
		{
			name: 'grade_grade',
			wrapper: 'grade_grades',
			table: 'grade_grades',
			itemname: 'grade_grade',
			link: {column: 'itemid'},
			fields: gradeGradeFields,
			foreignKeys: {userid: 'user', usermodified: 'user', rawscaleid: {item: 'scale'}},
			requiredKeys: ['userid'],
			userData: true,
		},
	],
};

/** Comments point at rows of the activity: which id-map item their itemid is, per comment area. */
const COMMENT_AREA_ITEMS: Readonly<Record<string, string>> = {
	glossary_entry: 'glossary_entry',
	submission_comments: 'submission',
	database_entry: 'data_record',
};

async function resolveCommentItem(row: Record<string, SqlValue>, scope: RowScope): Promise<Record<string, SqlValue> | null> {
	const item = COMMENT_AREA_ITEMS[String(row.commentarea)];
	if (!item) return row; // an area keyed by the module itself (page_comments): itemid is 0 or the cm
	const mapped = scope.idMap.get(item, Number(row.itemid));
	return mapped === undefined ? null : {...row, itemid: mapped};
}

export const COMMON_FILES: readonly CommonFile[] = [
	{file: 'grades.xml', root: 'activity_gradebook', children: [gradeItem, {name: 'grade_letter', wrapper: 'grade_letters', table: 'grade_letters', fields: ['lowerboundary', 'letter'], contextColumn: 'contextid'}]},
	{
		file: 'grade_history.xml',
		root: 'grade_history',
		children: [
			{
				name: 'grade_grade',
				wrapper: 'grade_grades',
				table: 'grade_grades_history',
				itemname: 'grade_grades_history',
				fields: ['action', 'oldid', 'source', 'timemodified', 'loggeduser', 'itemid', 'userid', 'rawgrade', 'rawgrademax', 'rawgrademin', 'rawscaleid', 'usermodified', 'finalgrade', 'hidden', 'locked', 'locktime', 'exported', 'overridden', 'excluded', 'feedback', 'feedbackformat', 'information', 'informationformat'],
				foreignKeys: {itemid: 'grade_item', userid: 'user', loggeduser: 'user', usermodified: 'user', oldid: {item: 'grade_grade'}},
				requiredKeys: ['itemid', 'userid'],
				userData: true,
				setting: 'grade_histories',
				backupWhere: 't.itemid IN (SELECT gi.id FROM {grade_items} gi WHERE gi.itemtype = \'mod\' AND gi.itemmodule = :modulename AND gi.iteminstance = :instance)',
			},
		],
	},
	{
		file: 'roles.xml',
		root: 'roles',
		children: [
			{
				name: 'override',
				wrapper: 'role_overrides',
				table: 'role_capabilities',
				itemname: 'role_capability',
				contextColumn: 'contextid',
				fields: ['roleid', 'capability', 'permission', 'timemodified', 'modifierid'],
				foreignKeys: {roleid: 'role', modifierid: 'user'},
				requiredKeys: ['roleid'],
			},
			{
				name: 'assignment',
				wrapper: 'role_assignments',
				table: 'role_assignments',
				itemname: 'role_assignment',
				contextColumn: 'contextid',
				fields: ['roleid', 'userid', 'timemodified', 'modifierid', 'component', 'itemid', 'sortorder'],
				foreignKeys: {roleid: 'role', userid: 'user', modifierid: 'user'},
				requiredKeys: ['roleid', 'userid'],
				setting: 'role_assignments',
			},
		],
	},
	{
		file: 'filters.xml',
		root: 'filters',
		children: [
			{name: 'filter_active', wrapper: 'filter_actives', table: 'filter_active', noId: true, contextColumn: 'contextid', fields: ['filter', 'active'], setting: 'filters'},
			{name: 'filter_config', wrapper: 'filter_configs', table: 'filter_config', noId: true, contextColumn: 'contextid', fields: ['filter', 'name', 'value'], setting: 'filters'},
		],
	},
	{
		file: 'comments.xml',
		root: 'comments',
		children: [
			{
				name: 'comment',
				table: 'comments',
				itemname: 'comment',
				contextColumn: 'contextid',
				fields: ['component', 'commentarea', 'itemid', 'content', 'format', 'userid', 'timecreated'],
				foreignKeys: {userid: 'user'},
				requiredKeys: ['userid'],
				resolve: resolveCommentItem,
				setting: 'comments',
			},
		],
	},
	{
		file: 'completion.xml',
		root: 'completions',
		children: [
			{
				name: 'completion',
				table: 'course_modules_completion',
				itemname: 'course_modules_completion',
				link: {column: 'coursemoduleid', parentColumn: 'cmid'},
				fields: ['userid', 'completionstate', 'timemodified'],
				foreignKeys: {userid: 'user'},
				requiredKeys: ['userid'],
				setting: 'userscompletion',
			},
			{
				name: 'completionview',
				wrapper: 'completionviews',
				table: 'course_modules_viewed',
				itemname: 'course_modules_viewed',
				link: {column: 'coursemoduleid', parentColumn: 'cmid'},
				fields: ['userid', 'timecreated'],
				foreignKeys: {userid: 'user'},
				requiredKeys: ['userid'],
				setting: 'userscompletion',
			},
		],
	},
	{
		file: 'calendar.xml',
		root: 'events',
		children: [
			{
				name: 'event',
				table: 'event',
				itemname: 'event',
				link: {column: 'instance', parentColumn: 'instance'},
				match: {modulename: 'modulename'},
				courseColumn: 'courseid',
				dates: ['timestart', 'timesort'],
				fields: ['name', 'description', 'format', 'courseid', 'groupid', 'userid', 'repeatid', 'modulename', 'instance', 'type', 'eventtype', 'timestart', 'timeduration', 'timesort', 'visible', 'uuid', 'sequence', 'timemodified', 'priority', 'location'],
				foreignKeys: {groupid: 'group', userid: 'user'},
				setting: 'calendarevents',
				// Action events (type 1) are never backed up, as in Moodle.
				backupWhere: 't.type = 0',
			},
		],
	},
	{
		file: 'competencies.xml',
		root: 'course_module_competencies',
		children: [{name: 'competency', wrapper: 'competencies', table: 'competency_modulecomp', fields: ['idnumber', 'ruleoutcome', 'sortorder'], notModelled: true}],
	},
];
