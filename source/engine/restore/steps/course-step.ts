import {CONTEXT_LEVEL, contextIdFor, createContext} from '../../store/contexts.js';
import {buildRow, hasColumn} from '../table-rows.js';
import {shiftDate} from '../date-offset.js';
import {count, type RestoreRun} from '../run-context.js';
import {allRecords, intOf} from '../xml-input.js';
import {deleteCourseContents} from './delete-course-contents.js';

const COURSE = '/course';
const FORMAT_OPTION = '/course/courseformatoptions/courseformatoption';
const TAG = '/course/tags/tag';

/** Fields of course.xml never copied as they are (ids, names and dates are set by the restore). */
const NOT_COPIED = new Set(['id', 'category', 'fullname', 'shortname', 'idnumber', 'startdate', 'enddate', 'timecreated', 'timemodified', 'sortorder', 'cacherev']);

/**
 * The target course (restore_course_structure_step + restore_dbops::create_new_course): a new course in the chosen
 * category, or the existing one — emptied first for "delete contents", its configuration overwritten only when
 * asked. Unlike Moodle no placeholder course exists before execute(): the course is created inside the transaction.
 */
export async function restoreCourse(run: RestoreRun): Promise<void> {
	const {db, review} = run;
	const destination = review.destination;
	const courseRecords = run.info.type === 'course' ? await allRecords(run.backup, 'course/course.xml', [COURSE, FORMAT_OPTION, TAG]) : [];
	const course = courseRecords.find((record) => record.path === COURSE)?.data ?? {};
	const names = review.course;
	const values: Record<string, string | number | null> = {};
	for (const [name, value] of Object.entries(course)) if (!NOT_COPIED.has(name)) values[name] = value;
	values['fullname'] = names.fullname;
	values['shortname'] = names.shortname;
	values['startdate'] = names.startdate;
	values['enddate'] = shiftDate(course['enddate'] ?? String(run.info.originalCourseEnddate), run.dateOffset) ?? 0;
	values['timemodified'] = run.now;
	if (values['format'] === 'scorm') values['format'] = 'singleactivity';

	if (destination.target === 'new') {
		const idnumber = course['idnumber'] ?? '';
		// The idnumber survives only on the same site and when unused there.
		const keepIdnumber = run.sameSite && idnumber !== '' && !(await db.get('SELECT id FROM {course} WHERE idnumber = ?', [idnumber]));
		const sortorder = await db.get<{top: number | null}>('SELECT MAX(sortorder) AS top FROM {course} WHERE category = ?', [destination.categoryId]);
		run.courseId = await db.insert('course', buildRow('course', {
			format: 'topics', ...values, category: destination.categoryId, idnumber: keepIdnumber ? idnumber : '',
			sortorder: Number(sortorder?.top ?? 0) + 1, timecreated: run.now, cacherev: run.now,
		}));
		const categoryContext = await contextIdFor(db, CONTEXT_LEVEL.COURSECAT, destination.categoryId);
		run.courseContextId = await createContext(db, CONTEXT_LEVEL.COURSE, run.courseId, categoryContext ?? 1);
		await db.run('UPDATE {course_categories} SET coursecount = coursecount + 1 WHERE id = ?', [destination.categoryId]);
		count(run, 'courses');
	} else {
		run.courseId = destination.courseId;
		run.courseContextId = (await contextIdFor(db, CONTEXT_LEVEL.COURSE, run.courseId))!;
		if (destination.target === 'replace') await deleteCourseContents(run, destination);
		if (names && run.info.type === 'course' && review.settings['overwrite_conf'] === true) {
			const update = buildRow('course', values);
			const columns = Object.keys(values).filter((name) => hasColumn('course', name));
			await db.run(`UPDATE {course} SET ${columns.map((name) => `${name} = ?`).join(', ')} WHERE id = ?`,
				[...columns.map((name) => update[name] ?? null), run.courseId]);
		}
	}
	run.ids.set('course', run.info.originalCourseId, run.courseId);
	run.ids.set('context', run.info.originalCourseContextId, run.courseContextId);
	if (run.info.originalSystemContextId) run.ids.set('context', run.info.originalSystemContextId, 1);

	if (review.settings['overwrite_conf'] === true || destination.target === 'new') {
		const formatOptions = courseRecords.filter((record) => record.path === FORMAT_OPTION && intOf(record.data['sectionid']) === 0);
		await db.run('DELETE FROM {course_format_options} WHERE courseid = ? AND sectionid = 0', [run.courseId]);
		await db.insertMany('course_format_options', formatOptions.map((record) => buildRow('course_format_options', {
			courseid: run.courseId, format: record.data['format'] ?? '', sectionid: 0, name: record.data['name'] ?? '', value: record.data['value'] ?? null,
		})));
		await restoreCourseTags(run, courseRecords.filter((record) => record.path === TAG).map((record) => ({name: record.data['name'] ?? '', rawname: record.data['rawname'] ?? ''})));
	}
}

/** Course tags (core/course): the tag is found by name in the default collection or created, then linked. */
async function restoreCourseTags(run: RestoreRun, tags: Array<{name: string; rawname: string}>): Promise<void> {
	const {db} = run;
	const tables = new Set(await db.tableNames());
	if (!tables.has('tag') || !tables.has('tag_instance')) return;
	let ordering = 0;
	for (const tag of tags) {
		if (!tag.name) continue;
		const existing = await db.get<{id: number}>('SELECT id FROM {tag} WHERE name = ? AND tagcollid = ?', [tag.name, 1]);
		const tagId = existing ? Number(existing.id) : await db.insert('tag', buildRow('tag', {
			userid: run.adminUserId, tagcollid: 1, name: tag.name, rawname: tag.rawname || tag.name, isstandard: 0, timemodified: run.now,
		}));
		if (await db.get('SELECT id FROM {tag_instance} WHERE tagid = ? AND itemtype = ? AND itemid = ? AND component = ?', [tagId, 'course', run.courseId, 'core'])) continue;
		await db.insert('tag_instance', buildRow('tag_instance', {
			tagid: tagId, component: 'core', itemtype: 'course', itemid: run.courseId, contextid: run.courseContextId,
			tiuserid: 0, ordering: ordering++, timecreated: run.now, timemodified: run.now,
		}));
		count(run, 'tags');
	}
}
