/**
 * mod_assign: user flags, submissions (with the onlinetext and file submission plugins), grades (with the
 * comments and file feedback plugins) — all user data — and the plugin configuration (always).
 * Subplugin data sits in `subplugin_<type>_<name>_<element>` wrappers holding one id-less element per row.
 * The submission and feedback file areas use the submission / grade id as itemid, so they hang off those rows.
 */
import {standardLinks} from '../common-elements.js';
import type {ActivityPlugin, ElementSpec} from '../types.js';

function subpluginRow(wrapper: string, name: string, table: string, link: string, fields: string[]): ElementSpec {
	return {name, wrapper, table, itemname: table, noId: true, link: {column: link}, rootColumn: 'assignment', fields, userData: true};
}

export const assignPlugin: ActivityPlugin = {
	modname: 'assign',
	version: 2022112800,
	gradingAreas: true,
	root: {
		name: 'assign',
		table: 'assign',
		dates: ['duedate', 'allowsubmissionsfromdate', 'cutoffdate', 'gradingduedate'],
		fields: ['name', 'intro', 'introformat', 'alwaysshowdescription', 'submissiondrafts', 'sendnotifications', 'sendlatenotifications', 'sendstudentnotifications', 'duedate', 'cutoffdate', 'gradingduedate', 'allowsubmissionsfromdate', 'grade', 'timemodified', 'completionsubmit', 'requiresubmissionstatement', 'teamsubmission', 'requireallteammemberssubmit', 'teamsubmissiongroupingid', 'blindmarking', 'hidegrader', 'revealidentities', 'attemptreopenmethod', 'maxattempts', 'markingworkflow', 'markingallocation', 'preventsubmissionnotingroup', 'activity', 'activityformat', 'timelimit', 'submissionattachments'],
		foreignKeys: {teamsubmissiongroupingid: 'grouping', grade: 'scale'},
		files: [
			{component: 'mod_assign', filearea: 'intro', itemid: 0},
			{component: 'mod_assign', filearea: 'introattachment', itemid: 0},
			{component: 'mod_assign', filearea: 'activityattachment', itemid: 0},
		],
		children: [
			{
				name: 'userflag',
				wrapper: 'userflags',
				table: 'assign_user_flags',
				dates: ['extensionduedate'],
				itemname: 'assign_user_flag',
				link: {column: 'assignment'},
				fields: ['userid', 'assignment', 'mailed', 'locked', 'extensionduedate', 'workflowstate', 'allocatedmarker'],
				foreignKeys: {userid: 'user', allocatedmarker: 'user'},
				userData: true,
			},
			{
				name: 'submission',
				wrapper: 'submissions',
				table: 'assign_submission',
				itemname: 'submission',
				link: {column: 'assignment'},
				fields: ['userid', 'timecreated', 'timemodified', 'timestarted', 'status', 'groupid', 'attemptnumber', 'latest'],
				foreignKeys: {userid: 'user', groupid: 'group'},
				userData: true,
				files: [
					{component: 'assignsubmission_file', filearea: 'submission_files', itemid: 'id'},
					{component: 'assignsubmission_onlinetext', filearea: 'submissions_onlinetext', itemid: 'id'},
				],
				children: [
					subpluginRow('subplugin_assignsubmission_file_submission', 'submission_file', 'assignsubmission_file', 'submission', ['numfiles', 'submission']),
					subpluginRow('subplugin_assignsubmission_onlinetext_submission', 'submission_onlinetext', 'assignsubmission_onlinetext', 'submission', ['onlinetext', 'onlineformat', 'submission']),
				],
			},
			{
				name: 'grade',
				wrapper: 'grades',
				table: 'assign_grades',
				itemname: 'grade',
				link: {column: 'assignment'},
				fields: ['userid', 'timecreated', 'timemodified', 'grader', 'grade', 'attemptnumber'],
				foreignKeys: {userid: 'user', grader: 'user'},
				userData: true,
				files: [
					{component: 'assignfeedback_comments', filearea: 'feedback', itemid: 'id'},
					{component: 'assignfeedback_file', filearea: 'feedback_files', itemid: 'id'},
					{component: 'assignfeedback_editpdf', filearea: 'download', itemid: 'id'},
					{component: 'assignfeedback_editpdf', filearea: 'stamps', itemid: 'id'},
				],
				children: [
					subpluginRow('subplugin_assignfeedback_comments_grade', 'feedback_comments', 'assignfeedback_comments', 'grade', ['commenttext', 'commentformat', 'grade']),
					{
						group: 'subplugin_assignfeedback_editpdf_grade',
						children: [
							// Moodle selects the grade itself here, only to annotate the annotated-PDF files of the grade.
							{name: 'feedback_editpdf_files', table: 'assign_grades', noId: true, backupOnly: true, link: {column: 'id'}, fields: ['gradeid'], virtualColumns: {gradeid: 't.id'}, userData: true},
							{name: 'annotation', wrapper: 'feedback_editpdf_annotations', table: 'assignfeedback_editpdf_annot', noId: true, link: {column: 'gradeid'}, fields: ['gradeid', 'pageno', 'type', 'x', 'y', 'endx', 'endy', 'colour', 'path', 'draft'], userData: true},
							{name: 'comment', wrapper: 'feedback_editpdf_comments', table: 'assignfeedback_editpdf_cmnt', noId: true, link: {column: 'gradeid'}, fields: ['gradeid', 'x', 'y', 'width', 'rawtext', 'pageno', 'colour', 'draft'], userData: true},
							{name: 'pagerotation', wrapper: 'feedback_editpdf_rotation', table: 'assignfeedback_editpdf_rot', noId: true, link: {column: 'gradeid'}, fields: ['gradeid', 'pageno', 'pathnamehash', 'isrotated', 'degree'], userData: true},
						],
					},
					subpluginRow('subplugin_assignfeedback_file_grade', 'feedback_files', 'assignfeedback_file', 'grade', ['numfiles', 'grade']),
				],
			},
			{
				name: 'plugin_config',
				wrapper: 'plugin_configs',
				table: 'assign_plugin_config',
				itemname: 'assign_plugin_config',
				link: {column: 'assignment'},
				fields: ['plugin', 'subtype', 'name', 'value'],
			},
			{
				name: 'override',
				wrapper: 'overrides',
				table: 'assign_overrides',
				dates: ['allowsubmissionsfromdate', 'duedate', 'cutoffdate'],
				itemname: 'assign_override',
				link: {column: 'assignid'},
				fields: ['groupid', 'userid', 'sortorder', 'allowsubmissionsfromdate', 'duedate', 'cutoffdate', 'timelimit'],
				foreignKeys: {groupid: 'group', userid: 'user'},
				// Group overrides are course content; user overrides are user data.
				userDataColumn: 'userid',
			},
		],
	},
	links: standardLinks('assign'),
	decodeContents: [
		{table: 'assign', fields: ['intro', 'activity'], itemname: 'assign'},
		{table: 'assignsubmission_onlinetext', fields: ['onlinetext'], itemname: 'assignsubmission_onlinetext'},
		{table: 'assignfeedback_comments', fields: ['commenttext'], itemname: 'assignfeedback_comments'},
	],
};
