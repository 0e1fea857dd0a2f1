import {CONTEXT_COURSE, type BackupJob} from './job.js';
import {writeBlockTasks} from './block-task.js';
import {
	writeCommentsXml, writeCompletionDefaultsXml, writeContentBankXml, writeContextRolesXml, writeCourseCalendarXml,
	writeCourseCompetenciesXml, writeCourseXml, writeEnrolmentsXml, writeFiltersXml,
} from './course-xml.js';
import {writeLastAccessXml, writeLogsXml} from './logs-xml.js';
import {numberOf, writeXmlFile} from './xml-file.js';

/** The course task (backup_course_task): everything under course/. */
export async function writeCourseTask(job: BackupJob): Promise<void> {
	const refs = job.annotations.task();
	const {settings, db} = job;
	await writeCourseXml(job, refs);
	if (job.courseId !== 1) await writeEnrolmentsXml(job, refs);
	await writeContextRolesXml(job, refs, 'course/roles.xml', job.courseContextId);
	if (settings.on('filters')) await writeFiltersXml(job, 'course/filters.xml', job.courseContextId);
	if (settings.on('comments') && job.users) await writeCommentsXml(job, refs, 'course/comments.xml', job.courseContextId);
	if (settings.on('calendarevents')) await writeCourseCalendarXml(job, refs);
	if (settings.on('logs', false) && job.users) {
		await writeLogsXml(job, refs, 'course', job.courseContextId, CONTEXT_COURSE);
		await writeLastAccessXml(job, refs);
	}
	await writeCourseCompetenciesXml(job);
	await writeCompletionDefaultsXml(job);
	if (settings.on('contentbankcontent')) await writeContentBankXml(job, refs);

	// Every course group and grouping is annotated by the course task (groups.xml then lists them all).
	if (settings.on('groups')) {
		for (const row of await db.all<{id: number}>('SELECT id FROM {groups} WHERE courseid = ? ORDER BY id', [job.courseId])) refs.add('group', numberOf(row.id));
		for (const row of await db.all<{id: number}>('SELECT id FROM {groupings} WHERE courseid = ? ORDER BY id', [job.courseId])) refs.add('grouping', numberOf(row.id));
	}
	// The course's own question categories travel with the course (questions.xml).
	if (settings.on('questionbank')) {
		const rows = await db.all<{id: number}>('SELECT id FROM {question_categories} WHERE contextid = ? ORDER BY id', [job.courseContextId]).catch(() => []);
		for (const row of rows) refs.add('question_category', numberOf(row.id));
	}
	if (settings.on('blocks')) await writeBlockTasks(job, job.courseContextId, 'course');
	await writeXmlFile(job.root, 'course/inforef.xml', job.encodeText, writer => refs.write(writer));
}
