import type {BackupJob, SectionInfo} from './job.js';
import {writeFields, writeXmlFile, xmlValue} from './xml-file.js';

/** sections/section_<id>/section.xml and inforef.xml (backup_section_structure_step). */
export async function writeSectionTask(job: BackupJob, section: SectionInfo): Promise<void> {
	const refs = job.annotations.task();
	const directory = `sections/section_${section.id}`;
	const options = await job.db.all(
		'SELECT id, format, name, value FROM {course_format_options} WHERE courseid = ? AND sectionid = ? ORDER BY id',
		[job.courseId, section.id],
	);
	await refs.addFiles(job.db, job.courseContextId, 'course', 'section', section.id);
	await writeXmlFile(job.root, `${directory}/section.xml`, job.encodeText, writer => {
		writer.startTag('section', {id: section.id});
		writeFields(writer, section.row, [
			{name: 'number', column: 'section'}, 'name', 'summary', 'summaryformat', 'sequence', 'visible',
			{name: 'availabilityjson', column: 'availability'}, 'timemodified',
		]);
		for (const option of options) {
			writer.startTag('course_format_options', {id: xmlValue(option['id']) as number});
			writeFields(writer, option, ['format', 'name', 'value']);
			writer.endTag('course_format_options');
		}
		writer.endTag('section');
	});
	await writeXmlFile(job.root, `${directory}/inforef.xml`, job.encodeText, writer => refs.write(writer));
}
