import type {Row} from '../store/db.js';
import type {TaskRefs} from './annotations.js';
import type {BackupJob} from './job.js';
import {emptyElement, numberOf, writeFields, writeXmlFile, xmlValue} from './xml-file.js';

const COURSE_FIELDS = [
	'shortname', 'fullname', 'idnumber', 'summary', 'summaryformat', 'format', 'showgrades', 'newsitems', 'startdate',
	'enddate', 'marker', 'maxbytes', 'legacyfiles', 'showreports', 'visible', 'groupmode', 'groupmodeforce',
	'defaultgroupingid', 'lang', 'theme', 'timecreated', 'timemodified', 'requested', 'showactivitydates',
	'showcompletionconditions', 'enablecompletion', 'completionstartonenrol', 'completionnotify',
];

/** course/course.xml (backup_course_structure_step): the course, its category, tags, custom fields, format options. */
export async function writeCourseXml(job: BackupJob, refs: TaskRefs): Promise<void> {
	const {db, course, courseId} = job;
	const category = await db.get('SELECT id, name, description FROM {course_categories} WHERE id = ?', [course['category'] ?? 0]);
	const tags = await db.all(
		`SELECT t.id, t.name, t.rawname FROM {tag_instance} ti JOIN {tag} t ON t.id = ti.tagid
		 WHERE ti.component = ? AND ti.itemtype = ? AND ti.itemid = ? ORDER BY ti.ordering, ti.id`,
		['core', 'course', courseId],
	);
	const customFields = job.settings.on('customfield') ? await courseCustomFields(job) : [];
	const formatOptions = await db.all(
		'SELECT id, format, sectionid, name, value FROM {course_format_options} WHERE courseid = ? AND sectionid = 0 AND format = ? ORDER BY id',
		[courseId, course['format'] ?? ''],
	);
	refs.add('grouping', numberOf(course['defaultgroupingid']));
	await refs.addFiles(db, job.courseContextId, 'course', 'summary', null);
	await refs.addFiles(db, job.courseContextId, 'course', 'overviewfiles', null);
	if (job.settings.on('legacyfiles')) await refs.addFiles(db, job.courseContextId, 'course', 'legacy', null);

	await writeXmlFile(job.root, 'course/course.xml', job.encodeText, writer => {
		writer.startTag('course', {id: courseId, contextid: job.courseContextId});
		writeFields(writer, course, COURSE_FIELDS);
		writer.startTag('category', {id: xmlValue(course['category']) as number});
		writer.fullTag('name', category ? xmlValue(category['name']) : '');
		writer.fullTag('description', category ? xmlValue(category['description']) : null);
		writer.endTag('category');
		writer.startTag('tags');
		for (const tag of tags) {
			writer.startTag('tag', {id: xmlValue(tag['id']) as number});
			writeFields(writer, tag, ['name', 'rawname']);
			writer.endTag('tag');
		}
		writer.endTag('tags');
		writer.startTag('customfields');
		for (const field of customFields) {
			writer.startTag('customfield', {id: xmlValue(field['id']) as number});
			writeFields(writer, field, ['shortname', 'type', 'value', 'valueformat']);
			writer.endTag('customfield');
		}
		writer.endTag('customfields');
		writer.startTag('courseformatoptions');
		for (const option of formatOptions) {
			writer.startTag('courseformatoption');
			writeFields(writer, option, ['format', 'sectionid', 'name', 'value']);
			writer.endTag('courseformatoption');
		}
		writer.endTag('courseformatoptions');
		writer.endTag('course');
	});
}

/** Custom field values as the field types' backup_value() gives them: ints for select/checkbox/date, text otherwise. */
async function courseCustomFields(job: BackupJob): Promise<Row[]> {
	const rows = await job.db.all(
		`SELECT d.id, f.shortname, f.type, d.intvalue, d.decvalue, d.charvalue, d.shortcharvalue, d.value AS textvalue, d.valueformat
		 FROM {customfield_data} d JOIN {customfield_field} f ON f.id = d.fieldid JOIN {customfield_category} c ON c.id = f.categoryid
		 WHERE c.component = ? AND c.area = ? AND d.instanceid = ? ORDER BY f.sortorder, d.id`,
		['core_course', 'course', job.courseId],
	).catch(() => [] as Row[]);
	return rows.map(row => {
		const type = String(row['type']);
		const value = type === 'select' || type === 'checkbox' || type === 'date' ? row['intvalue']
			: type === 'text' ? row['charvalue']
				: row['textvalue'];
		return {id: row['id'] ?? null, shortname: row['shortname'] ?? null, type, value: value ?? null, valueformat: row['valueformat'] ?? 0};
	});
}

const ENROL_FIELDS = [
	'enrol', 'status', 'name', 'enrolperiod', 'enrolstartdate', 'enrolenddate', 'expirynotify', 'expirythreshold',
	'notifyall', 'password', 'cost', 'currency', 'roleid',
	'customint1', 'customint2', 'customint3', 'customint4', 'customint5', 'customint6', 'customint7', 'customint8',
	'customchar1', 'customchar2', 'customchar3', 'customdec1', 'customdec2',
	'customtext1', 'customtext2', 'customtext3', 'customtext4', 'timecreated', 'timemodified',
];
const USER_ENROLMENT_FIELDS = ['status', 'userid', 'timestart', 'timeend', 'modifierid', 'timemodified'];

/** course/enrolments.xml: instances by sortorder; user enrolments only with users (spec §1.6). */
export async function writeEnrolmentsXml(job: BackupJob, refs: TaskRefs): Promise<void> {
	const {db} = job;
	const enrols = await db.all('SELECT * FROM {enrol} WHERE courseid = ? ORDER BY sortorder, id', [job.courseId]);
	await writeXmlFile(job.root, 'course/enrolments.xml', job.encodeText, async writer => {
		writer.startTag('enrolments');
		writer.startTag('enrols');
		for (const enrol of enrols) {
			refs.add('role', numberOf(enrol['roleid']));
			writer.startTag('enrol', {id: xmlValue(enrol['id']) as number});
			writeFields(writer, enrol, ENROL_FIELDS);
			writer.startTag('user_enrolments');
			if (job.users) {
				for await (const ue of db.each('SELECT * FROM {user_enrolments} WHERE enrolid = ? ORDER BY id', [enrol['id'] ?? 0])) {
					refs.add('user', numberOf(ue['userid']));
					writer.startTag('enrolment', {id: xmlValue(ue['id']) as number});
					writeFields(writer, ue, USER_ENROLMENT_FIELDS);
					writer.endTag('enrolment');
					await writer.flush();
				}
			}
			writer.endTag('user_enrolments');
			writer.endTag('enrol');
		}
		writer.endTag('enrols');
		writer.endTag('enrolments');
	});
}

/** Per-context roles.xml: overrides always, assignments only with role_assignments (spec §1.13). */
export async function writeContextRolesXml(job: BackupJob, refs: TaskRefs, relativePath: string, contextId: number): Promise<void> {
	const {db} = job;
	const overrides = await db.all('SELECT * FROM {role_capabilities} WHERE contextid = ? ORDER BY id', [contextId]);
	const assignments = job.settings.on('role_assignments') && job.users
		? await db.all('SELECT * FROM {role_assignments} WHERE contextid = ? ORDER BY id', [contextId])
		: [];
	await writeXmlFile(job.root, relativePath, job.encodeText, writer => {
		writer.startTag('roles');
		writer.startTag('role_overrides');
		for (const override of overrides) {
			refs.add('role', numberOf(override['roleid']));
			writer.startTag('override', {id: xmlValue(override['id']) as number});
			writeFields(writer, override, ['roleid', 'capability', 'permission', 'timemodified', 'modifierid']);
			writer.endTag('override');
		}
		writer.endTag('role_overrides');
		writer.startTag('role_assignments');
		for (const assignment of assignments) {
			refs.add('role', numberOf(assignment['roleid']));
			refs.add('user', numberOf(assignment['userid']));
			writer.startTag('assignment', {id: xmlValue(assignment['id']) as number});
			writeFields(writer, assignment, ['roleid', 'userid', 'timemodified', 'modifierid', 'component', 'itemid', 'sortorder']);
			writer.endTag('assignment');
		}
		writer.endTag('role_assignments');
		writer.endTag('roles');
	});
}

/** Per-context filters.xml (filter_active / filter_config rows of that context). */
export async function writeFiltersXml(job: BackupJob, relativePath: string, contextId: number): Promise<void> {
	const actives = await job.db.all('SELECT * FROM {filter_active} WHERE contextid = ? ORDER BY id', [contextId]);
	const configs = await job.db.all('SELECT * FROM {filter_config} WHERE contextid = ? ORDER BY id', [contextId]);
	await writeXmlFile(job.root, relativePath, job.encodeText, writer => {
		writer.startTag('filters');
		writer.startTag('filter_actives');
		for (const active of actives) {
			writer.startTag('filter_active');
			writeFields(writer, active, ['filter', 'active']);
			writer.endTag('filter_active');
		}
		writer.endTag('filter_actives');
		writer.startTag('filter_configs');
		for (const config of configs) {
			writer.startTag('filter_config');
			writeFields(writer, config, ['filter', 'name', 'value']);
			writer.endTag('filter_config');
		}
		writer.endTag('filter_configs');
		writer.endTag('filters');
	});
}

/** Per-context comments.xml (only written with comments=1). */
export async function writeCommentsXml(job: BackupJob, refs: TaskRefs, relativePath: string, contextId: number): Promise<void> {
	await writeXmlFile(job.root, relativePath, job.encodeText, async writer => {
		writer.startTag('comments');
		if (job.users) {
			for await (const comment of job.db.each('SELECT * FROM {comments} WHERE contextid = ? ORDER BY id', [contextId])) {
				refs.add('user', numberOf(comment['userid']));
				writer.startTag('comment', {id: xmlValue(comment['id']) as number});
				writeFields(writer, comment, ['component', 'commentarea', 'itemid', 'content', 'format', 'userid', 'timecreated']);
				writer.endTag('comment');
				await writer.flush();
			}
		}
		writer.endTag('comments');
	});
}

export const EVENT_FIELDS = [
	'name', 'description', 'format', 'courseid', 'groupid', 'userid', 'repeatid', 'modulename', 'instance', 'type',
	'eventtype', 'timestart', 'timeduration', 'timesort', 'visible', 'uuid', 'sequence', 'timemodified', 'priority', 'location',
];

/** course/calendar.xml: the course's own events (not those of activities, which go with each activity). */
export async function writeCourseCalendarXml(job: BackupJob, refs: TaskRefs): Promise<void> {
	const events = await job.db.all(
		`SELECT * FROM {event} WHERE courseid = ? AND (modulename = '' OR modulename IS NULL) AND (instance = 0 OR instance IS NULL)
		 AND eventtype IN ('course', 'group') ORDER BY id`,
		[job.courseId],
	);
	await writeXmlFile(job.root, 'course/calendar.xml', job.encodeText, writer => {
		writer.startTag('events');
		for (const event of events) {
			refs.add('user', numberOf(event['userid']));
			refs.add('group', numberOf(event['groupid']));
			writer.startTag('event', {id: xmlValue(event['id']) as number});
			writeFields(writer, event, EVENT_FIELDS);
			writer.endTag('event');
		}
		writer.endTag('events');
	});
}

/** course/completiondefaults.xml: default completion rules per module type. */
export async function writeCompletionDefaultsXml(job: BackupJob): Promise<void> {
	const rows = await job.db.all(
		'SELECT d.*, m.name AS modulename FROM {course_completion_defaults} d JOIN {modules} m ON m.id = d.module WHERE d.course = ? ORDER BY d.id',
		[job.courseId],
	).catch(() => [] as Row[]);
	await writeXmlFile(job.root, 'course/completiondefaults.xml', job.encodeText, writer => {
		writer.startTag('course_completion_defaults');
		for (const row of rows) {
			writer.startTag('course_completion_default', {id: xmlValue(row['id']) as number});
			writeFields(writer, row, ['modulename', 'completion', 'completionview', 'completionusegrade', 'completionpassgrade', 'completionexpected', 'customrules']);
			writer.endTag('course_completion_default');
		}
		writer.endTag('course_completion_defaults');
	});
}

/** course/competencies.xml: course competencies and their settings; user competencies with users. */
export async function writeCourseCompetenciesXml(job: BackupJob): Promise<void> {
	const links = job.settings.on('competencies')
		? await job.db.all(
			`SELECT cc.id, cc.ruleoutcome, cc.sortorder, c.idnumber, f.idnumber AS frameworkidnumber
			 FROM {competency_coursecomp} cc JOIN {competency} c ON c.id = cc.competencyid
			 JOIN {competency_framework} f ON f.id = c.competencyframeworkid WHERE cc.courseid = ? ORDER BY cc.sortorder, cc.id`,
			[job.courseId],
		).catch(() => [] as Row[])
		: [];
	await writeXmlFile(job.root, 'course/competencies.xml', job.encodeText, writer => {
		writer.startTag('course_competencies');
		writer.startTag('competencies');
		for (const link of links) {
			writer.startTag('competency');
			writer.fullTag('id', xmlValue(link['id']));
			writeFields(writer, link, ['idnumber', 'ruleoutcome', 'sortorder', 'frameworkidnumber']);
			writer.endTag('competency');
		}
		writer.endTag('competencies');
		emptyElement(writer, 'user_competencies');
		writer.endTag('course_competencies');
	});
}

/** course/contentbank.xml: content bank items of the course context. */
export async function writeContentBankXml(job: BackupJob, refs: TaskRefs): Promise<void> {
	const contents = await job.db.all('SELECT * FROM {contentbank_content} WHERE contextid = ? ORDER BY id', [job.courseContextId]).catch(() => [] as Row[]);
	for (const content of contents) {
		refs.add('user', numberOf(content['usercreated']));
		refs.add('user', numberOf(content['usermodified']));
		await refs.addFiles(job.db, job.courseContextId, 'contentbank', 'public', numberOf(content['id']));
	}
	await writeXmlFile(job.root, 'course/contentbank.xml', job.encodeText, writer => {
		writer.startTag('contents');
		for (const content of contents) {
			writer.startTag('content', {id: xmlValue(content['id']) as number});
			writeFields(writer, content, ['name', 'contenttype', 'instanceid', 'configdata', 'usercreated', 'usermodified', 'timecreated', 'timemodified']);
			writer.endTag('content');
		}
		writer.endTag('contents');
	});
}
