import {getActivityPlugin} from '../../plugins/registry.js';
import {isGroup} from '../../plugins/element-tree.js';
import type {ChildSpec} from '../../plugins/types.js';
import type {Db, SqlValue} from '../../store/db.js';
import {forEachChunk, placeholders} from '../../store/in-list.js';
import type {RestoreRun} from '../run-context.js';
import {hasColumn} from '../table-rows.js';

const NOT_QUESTION_DATA = new Set(['question_categories', 'question_bank_entries', 'question_versions', 'question_usages', 'question_attempts', 'question_attempt_steps', 'question_attempt_step_data', 'question_references', 'question_set_references', 'question_statistics', 'question_response_analysis', 'question_response_count']);
import type {RestoreDestination} from '../types.js';

type Replace = Extract<RestoreDestination, {target: 'replace'}>;

async function idsOf(db: Db, sql: string, params: SqlValue[]): Promise<number[]> {
	return (await db.all<{id: number}>(sql, params)).map((row) => Number(row.id));
}


/** Deletes rows of `table` whose `column` is one of `ids`, in chunks; a table the site lacks is skipped. */
async function deleteIn(db: Db, tables: Set<string>, table: string, column: string, ids: readonly number[], extra = '', extraParams: SqlValue[] = []): Promise<void> {
	if (!tables.has(table) || ids.length === 0) return;
	await forEachChunk(ids, (chunk, list) => db.run(`DELETE FROM {${table}} WHERE ${column} IN (${list})${extra}`, [...chunk, ...extraParams]));
}

/** Rows of an activity description below its instance rows, deepest first (forum → discussions → posts …). */
async function deleteElementRows(db: Db, tables: Set<string>, element: {children?: readonly ChildSpec[]}, parentIds: number[]): Promise<void> {
	for (const child of element.children ?? []) {
		if (isGroup(child)) {
			await deleteElementRows(db, tables, child, parentIds);
			continue;
		}
		const link = child.link;
		if (!link || (link.parentColumn && link.parentColumn !== 'id') || !tables.has(child.table)) continue;
		let childIds: number[] = [];
		await forEachChunk(parentIds, async (chunk, list) => {
			childIds = childIds.concat(await idsOf(db, `SELECT id FROM {${child.table}} WHERE ${link.column} IN (${list})`, chunk));
		});
		await deleteElementRows(db, tables, child, childIds);
		await deleteIn(db, tables, child.table, 'id', childIds);
	}
}

/**
 * "Delete contents" (remove_course_contents($courseid, false, $options), spec §5.3), inside the restore's
 * transaction — unlike Moodle, a later failure brings the deleted contents back. Activity rows are found through
 * each type's description; types this tool does not know keep their instance rows (their course modules go).
 */
export async function deleteCourseContents(run: RestoreRun, destination: Replace): Promise<void> {
	const {db, courseId, courseContextId} = run;
	const tables = new Set(await db.tableNames());
	const keepEnrolments = destination.keepRolesAndEnrolments === true;
	const keepGroups = destination.keepGroupsAndGroupings === true;

	// 1. Badges, completion.
	const badgeIds = tables.has('badge') ? await idsOf(db, 'SELECT id FROM {badge} WHERE courseid = ?', [courseId]) : [];
	for (const table of ['badge_issued', 'badge_criteria', 'badge_manual_award', 'badge_endorsement', 'badge_related', 'badge_alignment']) {
		await deleteIn(db, tables, table, 'badgeid', badgeIds);
	}
	await deleteIn(db, tables, 'badge', 'id', badgeIds);
	for (const table of ['course_completion_criteria', 'course_completions', 'course_completion_crit_compl', 'course_completion_aggr_methd', 'course_completion_defaults']) {
		await deleteIn(db, tables, table, 'course', [courseId]);
	}
	// 2. Gradebook.
	const gradeItemIds = await idsOf(db, 'SELECT id FROM {grade_items} WHERE courseid = ?', [courseId]);
	await deleteIn(db, tables, 'grade_grades', 'itemid', gradeItemIds);
	await deleteIn(db, tables, 'grade_grades_history', 'itemid', gradeItemIds);
	await deleteIn(db, tables, 'grade_items_history', 'courseid', [courseId]);
	await deleteIn(db, tables, 'grade_items', 'courseid', [courseId]);
	await deleteIn(db, tables, 'grade_categories_history', 'courseid', [courseId]);
	await deleteIn(db, tables, 'grade_categories', 'courseid', [courseId]);
	await deleteIn(db, tables, 'grade_letters', 'contextid', [courseContextId]);
	await deleteIn(db, tables, 'grade_settings', 'courseid', [courseId]);

	// 3–4. Activities with their contexts, blocks and files.
	const modules = await db.all<{id: number; instance: number; name: string}>(
		'SELECT cm.id, cm.instance, m.name FROM {course_modules} cm JOIN {modules} m ON m.id = cm.module WHERE cm.course = ?', [courseId]);
	const moduleContextIds = await idsOf(db, `SELECT id FROM {context} WHERE contextlevel = 70 AND path LIKE ?`, [`%/${courseContextId}/%`]);
	for (const module of modules) {
		const plugin = getActivityPlugin(module.name);
		if (!plugin || !tables.has(plugin.root.table)) continue;
		await deleteElementRows(db, tables, plugin.root, [Number(module.instance)]);
		await db.run(`DELETE FROM {${plugin.root.table}} WHERE id = ?`, [Number(module.instance)]);
	}
	const cmIds = modules.map((module) => Number(module.id));
	await deleteIn(db, tables, 'course_modules_completion', 'coursemoduleid', cmIds);
	await deleteIn(db, tables, 'course_modules_viewed', 'coursemoduleid', cmIds);
	await deleteIn(db, tables, 'course_modules', 'id', cmIds);
	const childContextIds = await idsOf(db, 'SELECT id FROM {context} WHERE path LIKE ?', [`%/${courseContextId}/%`]);
	await deleteIn(db, tables, 'block_instances', 'parentcontextid', [courseContextId, ...childContextIds]);
	for (const table of ['files', 'role_assignments', 'role_capabilities', 'role_names', 'filter_active', 'filter_config', 'comments', 'rating', 'grading_areas']) {
		await deleteIn(db, tables, table, 'contextid', childContextIds);
	}
	// Question banks of the course context.
	if (tables.has('question_categories')) {
		const categoryIds = await idsOf(db, 'SELECT id FROM {question_categories} WHERE contextid IN (' + placeholders(1 + moduleContextIds.length) + ')', [courseContextId, ...moduleContextIds]);
		const entryIds = tables.has('question_bank_entries') ? (await Promise.all(categoryIds.map((id) => idsOf(db, 'SELECT id FROM {question_bank_entries} WHERE questioncategoryid = ?', [id])))).flat() : [];
		const questionIds = tables.has('question_versions') ? (await Promise.all(entryIds.map((id) => db.all<{questionid: number}>('SELECT questionid FROM {question_versions} WHERE questionbankentryid = ?', [id])))).flat().map((row) => Number(row.questionid)) : [];
		// Question type data: every question_* / qtype_* table keyed by question id (attempt data belongs to usages).
		for (const table of [...tables].sort()) {
			if (!/^(question_|qtype_)/.test(table) || NOT_QUESTION_DATA.has(table)) continue;
			const column = hasColumn(table, 'questionid') ? 'questionid' : hasColumn(table, 'question') ? 'question' : undefined;
			if (column) await deleteIn(db, tables, table, column, questionIds);
		}
		await deleteIn(db, tables, 'question_versions', 'questionbankentryid', entryIds);
		await deleteIn(db, tables, 'question_bank_entries', 'id', entryIds);
		await deleteIn(db, tables, 'question', 'id', questionIds);
		await deleteIn(db, tables, 'question_categories', 'id', categoryIds);
	}
	await deleteIn(db, tables, 'context', 'id', childContextIds);

	// 6. Enrolments that allow unenrolment (manual, self) and manual role assignments.
	if (!keepEnrolments) {
		const enrolIds = await idsOf(db, `SELECT id FROM {enrol} WHERE courseid = ? AND enrol IN ('manual', 'self')`, [courseId]);
		await deleteIn(db, tables, 'user_enrolments', 'enrolid', enrolIds);
		for (const id of enrolIds) await db.run(`DELETE FROM {role_assignments} WHERE contextid = ? AND component IN ('enrol_manual', 'enrol_self') AND itemid = ?`, [courseContextId, id]);
		await deleteIn(db, tables, 'enrol', 'id', enrolIds);
		await db.run(`DELETE FROM {role_assignments} WHERE contextid = ? AND component = ''`, [courseContextId]);
	}
	// 7. Groups and groupings.
	if (!keepGroups) {
		const groupIds = await idsOf(db, 'SELECT id FROM {groups} WHERE courseid = ?', [courseId]);
		const groupingIds = await idsOf(db, 'SELECT id FROM {groupings} WHERE courseid = ?', [courseId]);
		await deleteIn(db, tables, 'groups_members', 'groupid', groupIds);
		await deleteIn(db, tables, 'groupings_groups', 'groupingid', groupingIds);
		await deleteIn(db, tables, 'groups', 'id', groupIds);
		await deleteIn(db, tables, 'groupings', 'id', groupingIds);
	}
	// 8. Course-level filters, comments, ratings, tags, format data, events, backups of the course.
	for (const table of ['filter_active', 'filter_config', 'comments', 'rating']) await deleteIn(db, tables, table, 'contextid', [courseContextId]);
	if (tables.has('tag_instance')) await db.run(`DELETE FROM {tag_instance} WHERE itemtype = 'course' AND itemid = ?`, [courseId]);
	await deleteIn(db, tables, 'course_format_options', 'courseid', [courseId]);
	await deleteIn(db, tables, 'event', 'courseid', [courseId]);
	await deleteIn(db, tables, 'backup_courses', 'courseid', [courseId]);
	await deleteIn(db, tables, 'user_lastaccess', 'courseid', [courseId]);
	await db.run(`DELETE FROM {files} WHERE contextid = ? AND component IN ('backup', 'course')`, [courseContextId]);
	// 9–10. Course record and sections.
	await db.run(`UPDATE {course} SET summary = '', cacherev = 0, legacyfiles = 0${keepGroups ? ', defaultgroupingid = 0' : ''} WHERE id = ?`, [courseId]);
	await deleteIn(db, tables, 'course_sections', 'course', [courseId]);
	// 11. Without either keep option the course context's remaining content goes too.
	if (!keepEnrolments && !keepGroups) {
		for (const table of ['role_assignments', 'role_names', 'role_capabilities', 'files']) await deleteIn(db, tables, table, 'contextid', [courseContextId]);
	}
}
