import {buildRow} from '../table-rows.js';
import {count, type RestoreRun} from '../run-context.js';
import {allRecords} from '../xml-input.js';
import {notice} from '../../notices.js';

/** Field types whose value is an integer (Moodle's data controllers keep it in intvalue). */
const INT_TYPES = new Set(['select', 'checkbox', 'date']);

/**
 * course.xml <customfields>: each value lands on this site's course custom field with the same short name and type
 * (core_course\customfield\course_handler::restore_instance_data_from_backup); a field this site lacks is skipped
 * with a warning. Values go where the field type keeps them (intvalue, charvalue or value) and also in `value`,
 * as Moodle's data controllers store them. With "overwrite course configuration" a value replaces the course's own.
 */
export async function restoreCourseCustomFields(run: RestoreRun): Promise<void> {
	if (!run.settings.customFields || run.info.type !== 'course') return;
	const values = await allRecords(run.backup, 'course/course.xml', ['/course/customfields/customfield']);
	if (values.length === 0) return;
	const fields = await run.db.all<{id: number; shortname: string; type: string}>(
		`SELECT f.id, f.shortname, f.type FROM {customfield_field} f JOIN {customfield_category} c ON c.id = f.categoryid
		 WHERE c.component = ? AND c.area = ?`,
		['core_course', 'course'],
	);
	for (const record of values) {
		const shortname = record.data['shortname'] ?? '';
		const type = record.data['type'] ?? '';
		const field = fields.find((candidate) => candidate.shortname === shortname && candidate.type === type);
		if (!field) {
			run.warnings.push(notice('customFieldMissing', {field: shortname, type}));
			continue;
		}
		const value = record.data['value'] ?? null;
		const existing = await run.db.get<{id: number}>('SELECT id FROM {customfield_data} WHERE fieldid = ? AND instanceid = ?', [Number(field.id), run.courseId]);
		if (existing) {
			// Merging into a course that already has a value: kept unless the course configuration is overwritten.
			if (run.review.settings['overwrite_conf'] !== true) continue;
			await run.db.run('DELETE FROM {customfield_data} WHERE id = ?', [Number(existing.id)]);
		}
		const intValue = INT_TYPES.has(type) ? Number(value ?? 0) || 0 : null;
		await run.db.insert('customfield_data', buildRow('customfield_data', {
			fieldid: Number(field.id), instanceid: run.courseId, contextid: run.courseContextId,
			intvalue: intValue, charvalue: type === 'text' ? value : null, value: value ?? '',
			valueformat: record.data['valueformat'] ?? '0', timecreated: run.now, timemodified: run.now,
		}));
		count(run, 'customFields');
	}
}
