import type {Row} from '../store/db.js';
import type {BackupJob} from './job.js';
import {type FieldSpec, numberOf, writeFields, writeXmlFile, xmlValue} from './xml-file.js';

const CATEGORY_FIELDS = ['parent', 'depth', 'path', 'fullname', 'aggregation', 'keephigh', 'droplow', 'aggregateonlygraded', 'aggregateoutcomes', 'timecreated', 'timemodified', 'hidden'];
export const GRADE_ITEM_FIELDS: FieldSpec[] = [
	'categoryid', 'itemname', 'itemtype', 'itemmodule', 'iteminstance', 'itemnumber', 'iteminfo', 'idnumber',
	'calculation', 'gradetype', {name: 'grademax', decimals: 5}, {name: 'grademin', decimals: 5}, 'scaleid', 'outcomeid',
	{name: 'gradepass', decimals: 5}, {name: 'multfactor', decimals: 5}, {name: 'plusfactor', decimals: 5},
	{name: 'aggregationcoef', decimals: 5}, {name: 'aggregationcoef2', decimals: 5}, 'weightoverride', 'sortorder',
	'display', 'decimals', 'hidden', 'locked', 'locktime', 'needsupdate', 'timecreated', 'timemodified',
];
export const GRADE_GRADE_FIELDS: FieldSpec[] = [
	'userid', {name: 'rawgrade', decimals: 5}, {name: 'rawgrademax', decimals: 5}, {name: 'rawgrademin', decimals: 5},
	'rawscaleid', 'usermodified', {name: 'finalgrade', decimals: 5}, 'hidden', 'locked', 'locktime', 'exported',
	'overridden', 'excluded', 'feedback', 'feedbackformat', 'information', 'informationformat', 'timecreated',
	'timemodified', 'aggregationstatus', {name: 'aggregationweight', decimals: 5},
];

const GRADE_HISTORY_FIELDS: FieldSpec[] = [
	'action', 'oldid', 'source', 'timemodified', 'loggeduser', 'itemid', 'userid', {name: 'rawgrade', decimals: 5},
	{name: 'rawgrademax', decimals: 5}, {name: 'rawgrademin', decimals: 5}, 'rawscaleid', 'usermodified',
	{name: 'finalgrade', decimals: 5}, 'hidden', 'locked', 'locktime', 'exported', 'overridden', 'excluded', 'feedback',
	'feedbackformat', 'information', 'informationformat',
];

/**
 * Moodle writes the course gradebook only when every `mod` grade item of the course belongs to an included
 * activity (backup_plan_dbops::require_gradebook_backup), and never for the site course.
 */
export async function gradebookIncluded(job: BackupJob): Promise<boolean> {
	if (job.type !== 'course' || job.courseId === 1) return false;
	const included = new Set(job.activities.filter(activity => activity.included).map(activity => `${activity.modname}:${activity.instance}`));
	const items = await job.db.all('SELECT itemmodule, iteminstance FROM {grade_items} WHERE courseid = ? AND itemtype = ?', [job.courseId, 'mod']);
	return items.every(item => included.has(`${String(xmlValue(item['itemmodule']))}:${numberOf(item['iteminstance'])}`));
}

/** gradebook.xml (backup_gradebook_structure_step). */
export async function writeGradebookXml(job: BackupJob): Promise<void> {
	const {db, courseId} = job;
	const categories = await db.all('SELECT * FROM {grade_categories} WHERE courseid = ? ORDER BY depth DESC, id DESC', [courseId]);
	const items = await db.all(
		`SELECT * FROM {grade_items} WHERE courseid = ? AND itemtype IN ('manual', 'course', 'category') ORDER BY id DESC`,
		[courseId],
	);
	const letters = await db.all('SELECT * FROM {grade_letters} WHERE contextid = ? ORDER BY lowerboundary DESC, id', [job.courseContextId]).catch(() => [] as Row[]);
	const settings = await db.all('SELECT * FROM {grade_settings} WHERE courseid = ? ORDER BY id', [courseId]).catch(() => [] as Row[]);
	const refs = job.annotations.task();
	await writeXmlFile(job.root, 'gradebook.xml', job.encodeText, async writer => {
		writer.startTag('gradebook');
		writer.startTag('attributes');
		const freeze = await db.get('SELECT value FROM {config} WHERE name = ?', [`gradebook_calculations_freeze_${courseId}`]).catch(() => undefined);
		if (freeze) writer.fullTag('calculations_freeze', xmlValue(freeze['value']));
		writer.endTag('attributes');
		writer.startTag('grade_categories');
		for (const category of categories) {
			writer.startTag('grade_category', {id: xmlValue(category['id']) as number});
			writeFields(writer, category, CATEGORY_FIELDS);
			writer.endTag('grade_category');
		}
		writer.endTag('grade_categories');
		writer.startTag('grade_items');
		for (const item of items) {
			refs.add('grade_item', numberOf(item['id']));
			refs.add('scale', numberOf(item['scaleid']));
			refs.add('outcome', numberOf(item['outcomeid']));
			writer.startTag('grade_item', {id: xmlValue(item['id']) as number});
			writeFields(writer, item, GRADE_ITEM_FIELDS);
			writer.startTag('grade_grades');
			if (job.users) {
				for await (const grade of db.each('SELECT * FROM {grade_grades} WHERE itemid = ? ORDER BY id', [item['id'] ?? 0])) {
					refs.add('user', numberOf(grade['userid']));
					refs.add('user', numberOf(grade['usermodified']));
					writer.startTag('grade_grade', {id: xmlValue(grade['id']) as number});
					writeFields(writer, grade, GRADE_GRADE_FIELDS);
					writer.endTag('grade_grade');
					await writer.flush();
				}
			}
			writer.endTag('grade_grades');
			writer.endTag('grade_item');
		}
		writer.endTag('grade_items');
		writer.startTag('grade_letters');
		for (const letter of letters) {
			writer.startTag('grade_letter', {id: xmlValue(letter['id']) as number});
			writeFields(writer, letter, [{name: 'lowerboundary', decimals: 5}, 'letter']);
			writer.endTag('grade_letter');
		}
		writer.endTag('grade_letters');
		writer.startTag('grade_settings');
		let minmax = false;
		for (const setting of settings) {
			if (setting['name'] === 'minmaxtouse') minmax = true;
			writer.startTag('grade_setting', {id: xmlValue(setting['id']) as number});
			writeFields(writer, setting, ['name', 'value']);
			writer.endTag('grade_setting');
		}
		if (!minmax) {
			// Always present: the site default when the course has none (written with an empty id, as Moodle does).
			const site = await db.get('SELECT value FROM {config} WHERE name = ?', ['grade_minmaxtouse']).catch(() => undefined);
			writer.startTag('grade_setting', {id: ''});
			writer.fullTag('name', 'minmaxtouse');
			writer.fullTag('value', site ? xmlValue(site['value']) : '1');
			writer.endTag('grade_setting');
		}
		writer.endTag('grade_settings');
		writer.endTag('gradebook');
	});
}

/** grade_history.xml: history rows of the course-level items, only with users and grade_histories. */
export async function writeGradeHistoryXml(job: BackupJob): Promise<void> {
	const withRows = job.users && job.settings.on('grade_histories', false);
	await writeXmlFile(job.root, 'grade_history.xml', job.encodeText, async writer => {
		writer.startTag('grade_history');
		writer.startTag('grade_grades');
		if (withRows) {
			const rows = job.db.each(
				`SELECT h.* FROM {grade_grades_history} h JOIN {grade_items} i ON i.id = h.itemid
				 WHERE i.courseid = ? AND i.itemtype IN ('manual', 'course', 'category') ORDER BY h.id`,
				[job.courseId],
			);
			for await (const row of rows) {
				job.annotations.add('user', numberOf(row['userid']));
				writer.startTag('grade_grade', {id: xmlValue(row['id']) as number});
				writeFields(writer, row, GRADE_HISTORY_FIELDS);
				writer.endTag('grade_grade');
				await writer.flush();
			}
		}
		writer.endTag('grade_grades');
		writer.endTag('grade_history');
	});
}
