import {SECTION_CREATED} from '../../plugins/availability.js';
import {buildRow} from '../table-rows.js';
import {count, type RestoreRun} from '../run-context.js';
import {allRecords, intOf} from '../xml-input.js';

const SECTION = '/section';
const FORMAT_OPTION = '/section/course_format_options';

/**
 * Sections (restore_section_structure_step): matched by section number. An existing section keeps its name and
 * summary unless they are empty; otherwise a new section is inserted. `course_section` maps old id → new id.
 * Returns the section activities land in when theirs is not mapped (lowest-id section; 0 and 1 created if none).
 */
export async function restoreSections(run: RestoreRun): Promise<number> {
	const {db} = run;
	const included = run.review.sections.filter((section) => section.included);
	let done = 0;
	for (const section of included) {
		run.step('sections', section.title, done++, included.length);
		const reference = run.info.sections.find((candidate) => candidate.sectionId === section.sectionId)!;
		const records = await allRecords(run.backup, `${reference.directory}/section.xml`, [SECTION, FORMAT_OPTION]);
		const data = records.find((record) => record.path === SECTION)?.data;
		if (!data) continue;
		const number = intOf(data['number']);
		const existing = await db.get<{id: number; name: string | null; summary: string | null}>(
			'SELECT id, name, summary FROM {course_sections} WHERE course = ? AND section = ?', [run.courseId, number]);
		let newId: number;
		if (existing) {
			newId = Number(existing.id);
			const name = existing.name ? existing.name : data['name'] ?? null;
			const summary = existing.summary ? existing.summary : data['summary'] ?? '';
			await db.run('UPDATE {course_sections} SET name = ?, summary = ?, timemodified = ? WHERE id = ?', [name, summary, run.now, newId]);
		} else {
			newId = await db.insert('course_sections', buildRow('course_sections', {
				course: run.courseId, section: number, name: data['name'] ?? null, summary: data['summary'] ?? '',
				summaryformat: data['summaryformat'] ?? '1', sequence: '', visible: data['visible'] ?? '1',
				availability: data['availabilityjson'] ?? null, component: data['component'] ?? null, itemid: data['itemid'] ?? null, timemodified: run.now,
			}));
			count(run, 'sections');
		}
		// Marked when this restore created the section: only those carry the backup's availability, whose ids are
		// rewritten at the end (an existing section's conditions name this site's items already).
		run.ids.set('course_section', section.sectionId, newId, null, existing ? null : SECTION_CREATED);
		const options = records.filter((record) => record.path === FORMAT_OPTION);
		if (options.length && !existing) {
			await db.insertMany('course_format_options', options.map((record) => buildRow('course_format_options', {
				courseid: run.courseId, format: record.data['format'] ?? '', sectionid: newId, name: record.data['name'] ?? '', value: record.data['value'] ?? null,
			})));
		}
	}
	// Moodle's last resort for a module whose section is neither mapped nor found by number: MIN(id) of the course's sections.
	const lowest = await db.get<{id: number}>('SELECT id FROM {course_sections} WHERE course = ? ORDER BY id', [run.courseId]);
	if (lowest) {
		// Every course has its general section 0 (a section backup restored as a new course brings only its own).
		if (!(await db.get('SELECT id FROM {course_sections} WHERE course = ? AND section = 0', [run.courseId]))) {
			await db.insert('course_sections', buildRow('course_sections', {course: run.courseId, section: 0, summary: '', sequence: '', visible: 1, timemodified: run.now}));
			count(run, 'sections');
		}
		return Number(lowest.id);
	}
	// A section or activity backup into a course without sections: Moodle creates sections 0 and 1 and uses 1.
	await db.insert('course_sections', buildRow('course_sections', {course: run.courseId, section: 0, summary: '', sequence: '', visible: 1, timemodified: run.now}));
	const first = await db.insert('course_sections', buildRow('course_sections', {course: run.courseId, section: 1, summary: '', sequence: '', visible: 1, timemodified: run.now}));
	count(run, 'sections', 2);
	return first;
}
