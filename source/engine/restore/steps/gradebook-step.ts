import type {Row} from '../../store/db.js';
import {buildRow} from '../table-rows.js';
import {count, userId, type RestoreRun} from '../run-context.js';
import {hasEntry, records} from '../xml-input.js';
import {notice, type Notice} from '../../notices.js';
import type {Db} from '../../store/db.js';
import {isActivitySupported} from '../../plugins/index.js';

const CATEGORY = '/gradebook/grade_categories/grade_category';
const ITEM = '/gradebook/grade_items/grade_item';
const GRADE = '/gradebook/grade_items/grade_item/grade_grades/grade_grade';
const LETTER = '/gradebook/grade_letters/grade_letter';
const SETTING = '/gradebook/grade_settings/grade_setting';

/**
 * Why the course-level gradebook is not restored, if it is not (restore_gradebook_structure_step::execute_condition):
 * the target course's gradebook has categories besides its course category; an activity is left out ("excluding activities"); or an activity type
 * cannot be restored here ("missing modules"). The activities' own grade items still come with them.
 */
export async function gradebookSkipped(db: Db, courseId: number | undefined, activities: ReadonlyArray<{included: boolean; modulename: string}>): Promise<Notice | undefined> {
	// Moodle's execute_condition: a course with only its course category (an empty gradebook) still takes the backup's.
	if (courseId !== undefined) {
		const categories = await db.get<{n: number}>('SELECT COUNT(*) AS n FROM {grade_categories} WHERE courseid = ?', [courseId]);
		if (Number(categories?.n ?? 0) > 1) return notice('gradebookKept');
	}
	if (activities.some((activity) => !activity.included)) return notice('gradebookSkippedExcluded');
	const missing = [...new Set(activities.filter((activity) => !isActivitySupported(activity.modulename)).map((activity) => activity.modulename))];
	if (missing.length > 0) return notice('gradebookSkippedMissing', {types: missing.join(', ')});
	return undefined;
}

/**
 * gradebook.xml (restore_gradebook_structure_step): categories (parents fixed once all exist, paths rebuilt),
 * the course, category and manual grade items, their grades for mapped users, letters and settings. Like Moodle
 * it is skipped when the target course's gradebook has categories of its own (gradebookSkipped).
 * Runs before the activities so their grade items find the course category (`grade_category` mappings).
 */
export async function restoreGradebook(run: RestoreRun): Promise<void> {
	const {db} = run;
	// Section and activity backups have no gradebook.xml: their activities' grade items go under the course's.
	const hasGradebook = hasEntry(run.backup, 'gradebook.xml');
	const skipped = hasGradebook ? await gradebookSkipped(db, run.courseId, run.review.activities) : undefined;
	if (!hasGradebook || skipped) {
		if (skipped) run.warnings.push(skipped);
		const top = await db.get<{id: number}>('SELECT id FROM {grade_categories} WHERE courseid = ? AND parent IS NULL', [run.courseId]);
		run.ids.set('grade_category_top', 0, top ? Number(top.id) : await createCourseCategory(run));
		return;
	}
	const parents: Array<{newId: number; oldParent: number}> = [];
	// Looked up before any insert: categories are written without their parent until all exist.
	const courseCategory = await db.get<{id: number}>('SELECT id FROM {grade_categories} WHERE courseid = ? AND parent IS NULL', [run.courseId]);
	let currentItem = 0;
	/** Users who already have a grade for the current item (a reused course item). */
	const graded = new Set<number>();
	const grades: Row[] = [];
	for await (const record of records(run.backup, 'gradebook.xml', [CATEGORY, ITEM, GRADE, LETTER, SETTING])) {
		const data = record.data;
		const oldId = Number(record.attrs['id'] ?? 0);
		if (record.path === CATEGORY) {
			const values: Record<string, string | number | null> = {...data};
			for (const name of ['id', 'parent', 'path', 'depth']) delete values[name];
			const row = buildRow('grade_categories', {...values, courseid: run.courseId, parent: null, depth: 1, path: null, timecreated: run.now, timemodified: run.now});
			// The backup's course category takes over the one the course already has (Moodle updates it in place).
			const existingTop = data['parent'] ? undefined : courseCategory;
			const newId = existingTop ? Number(existingTop.id) : await db.insert('grade_categories', row);
			if (existingTop) await updateRow(run, 'grade_categories', newId, row);
			run.ids.set('grade_category', oldId, newId);
			parents.push({newId, oldParent: Number(data['parent'] ?? 0)});
			count(run, 'gradeCategories');
		} else if (record.path === ITEM) {
			const itemtype = data['itemtype'] ?? '';
			const values: Record<string, string | number | null> = {...data};
			delete values['id'];
			const category = data['categoryid'] ? run.ids.get('grade_category', Number(data['categoryid'])) ?? null : null;
			// Course and category items point at their category through iteminstance.
			const instance = itemtype === 'course' || itemtype === 'category' ? run.ids.get('grade_category', Number(data['iteminstance'] ?? 0)) ?? null : data['iteminstance'] ?? null;
			const row = buildRow('grade_items', {
				...values, courseid: run.courseId, categoryid: category, iteminstance: instance,
				scaleid: data['scaleid'] ? run.ids.get('scale', Number(data['scaleid'])) ?? null : null,
				outcomeid: data['outcomeid'] ? run.ids.get('outcome', Number(data['outcomeid'])) ?? null : null,
				needsupdate: 1, timecreated: run.now, timemodified: run.now,
			});
			// A course has one course item: the backup's updates it, and grades users already have there are kept.
			const existingCourseItem = itemtype === 'course' ? await db.get<{id: number}>("SELECT id FROM {grade_items} WHERE courseid = ? AND itemtype = 'course'", [run.courseId]) : undefined;
			currentItem = existingCourseItem ? Number(existingCourseItem.id) : await db.insert('grade_items', row);
			graded.clear();
			if (existingCourseItem) {
				await updateRow(run, 'grade_items', currentItem, row);
				for (const grade of await db.all<{userid: number}>('SELECT userid FROM {grade_grades} WHERE itemid = ?', [currentItem])) graded.add(Number(grade.userid));
			}
			run.ids.set('grade_item', oldId, currentItem);
			count(run, 'gradeItems');
		} else if (record.path === GRADE) {
			if (!run.settings.users) continue;
			const user = userId(run, Number(data['userid']));
			// Moodle logs "already has a grade entry" and keeps the existing grade.
			if (!user || graded.has(user)) continue;
			const values: Record<string, string | number | null> = {...data};
			delete values['id'];
			grades.push(buildRow('grade_grades', {
				...values, itemid: currentItem, userid: user, usermodified: userId(run, Number(data['usermodified'] ?? 0)) ?? null,
				timecreated: run.now, timemodified: data['timemodified'] ?? run.now,
			}));
		} else if (record.path === LETTER) {
			await db.insert('grade_letters', buildRow('grade_letters', {contextid: run.courseContextId, lowerboundary: data['lowerboundary'] ?? '0', letter: data['letter'] ?? ''}));
		} else if (record.path === SETTING) {
			const name = data['name'] ?? '';
			if (!name || await db.get('SELECT id FROM {grade_settings} WHERE courseid = ? AND name = ?', [run.courseId, name])) continue;
			await db.insert('grade_settings', buildRow('grade_settings', {courseid: run.courseId, name, value: data['value'] ?? null}));
		}
	}
	await db.insertMany('grade_grades', grades);
	count(run, 'grades', grades.length);
	// Parents and paths: categories are listed children first, so they are linked once all exist.
	const byNew = new Map<number, number | null>();
	for (const category of parents) byNew.set(category.newId, category.oldParent ? run.ids.get('grade_category', category.oldParent) ?? null : null);
	const pathOf = (id: number, seen = 0): string => {
		const parent = byNew.get(id);
		return parent && seen < 50 ? `${pathOf(parent, seen + 1)}${id}/` : `/${id}/`;
	};
	for (const [id, parent] of byNew) {
		const path = pathOf(id);
		await db.run('UPDATE {grade_categories} SET parent = ?, path = ?, depth = ? WHERE id = ?', [parent, path, path.split('/').length - 2, id]);
		if (parent === null) run.ids.set('grade_category_top', 0, id);
	}
}

/** Overwrites an existing row with the backup's values (its id and course stay). */
async function updateRow(run: RestoreRun, table: string, id: number, row: Row): Promise<void> {
	const columns = Object.keys(row).filter((column) => column !== 'id' && column !== 'courseid' && column !== 'timecreated');
	await run.db.run(`UPDATE {${table}} SET ${columns.map((column) => `${column} = ?`).join(', ')} WHERE id = ?`, [...columns.map((column) => row[column] ?? null), id]);
}

/**
 * A course without a gradebook gets its course category and course grade item, as Moodle's
 * grade_category::fetch_course_category() makes them the first time an activity's grade item needs one.
 */
async function createCourseCategory(run: RestoreRun): Promise<number> {
	const {db} = run;
	const id = await db.insert('grade_categories', buildRow('grade_categories', {
		courseid: run.courseId, parent: null, depth: 1, path: null, fullname: '?', aggregation: 13, aggregateonlygraded: 1, timecreated: run.now, timemodified: run.now,
	}));
	await db.run('UPDATE {grade_categories} SET path = ? WHERE id = ?', [`/${id}/`, id]);
	await db.insert('grade_items', buildRow('grade_items', {
		courseid: run.courseId, itemtype: 'course', iteminstance: id, gradetype: 1, grademax: 100, grademin: 0, sortorder: 1, needsupdate: 1, timecreated: run.now, timemodified: run.now,
	}));
	count(run, 'gradeCategories');
	count(run, 'gradeItems');
	return id;
}
