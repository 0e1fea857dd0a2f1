import type {MoodleSettingEntry} from '../settings/types.js';
import type {BackupJob} from './job.js';
import {xmlValue, writeXmlFile} from './xml-file.js';

/** The Moodle release this writer produces backups for (spec §1.4, the fixtures' producer). */
export const MOODLE_VERSION = '2022112810';
export const MOODLE_RELEASE = '4.1.10 (Build: 20240422)';
export const BACKUP_VERSION = '2022112800';
export const BACKUP_RELEASE = '4.1';

export type MainXmlInput = {
	backupDate: number;
	includeFiles: boolean;
	externalReferences: boolean;
	siteIdentifierHash: string;
	settings: MoodleSettingEntry[];
};

/** moodle_backup.xml (backup_main_structure_step): information, details, contents and settings, in Moodle's order. */
export async function writeMainXml(job: BackupJob, input: MainXmlInput): Promise<void> {
	const {course} = job;
	const included = job.activities.filter(activity => activity.included);
	const sections = job.sections.filter(section => section.included);
	await writeXmlFile(job.root, 'moodle_backup.xml', job.encodeText, writer => {
		writer.startTag('moodle_backup');
		writer.startTag('information');
		writer.fullTag('name', job.filename);
		writer.fullTag('moodle_version', MOODLE_VERSION);
		writer.fullTag('moodle_release', MOODLE_RELEASE);
		writer.fullTag('backup_version', BACKUP_VERSION);
		writer.fullTag('backup_release', BACKUP_RELEASE);
		writer.fullTag('backup_date', input.backupDate);
		writer.fullTag('mnet_remoteusers', job.mnetRemoteUsers ? 1 : 0);
		writer.fullTag('include_files', input.includeFiles ? 1 : 0);
		writer.fullTag('include_file_references_to_external_content', input.externalReferences ? 1 : 0);
		writer.fullTag('original_wwwroot', job.site.wwwroot);
		writer.fullTag('original_site_identifier_hash', input.siteIdentifierHash);
		writer.fullTag('original_course_id', job.courseId);
		writer.fullTag('original_course_format', xmlValue(course['format']));
		writer.fullTag('original_course_fullname', xmlValue(course['fullname']));
		writer.fullTag('original_course_shortname', xmlValue(course['shortname']));
		writer.fullTag('original_course_startdate', xmlValue(course['startdate']));
		writer.fullTag('original_course_enddate', xmlValue(course['enddate']));
		writer.fullTag('original_course_contextid', job.courseContextId);
		writer.fullTag('original_system_contextid', job.systemContextId);
		writer.startTag('details');
		writer.startTag('detail', {backup_id: job.backupId});
		writer.fullTag('type', job.type);
		writer.fullTag('format', 'moodle2');
		writer.fullTag('interactive', 1);
		writer.fullTag('mode', 10);
		writer.fullTag('execution', 1);
		writer.fullTag('executiontime', 0);
		writer.endTag('detail');
		writer.endTag('details');
		writer.startTag('contents');
		if (included.length > 0) {
			writer.startTag('activities');
			for (const activity of included) {
				writer.startTag('activity');
				writer.fullTag('moduleid', activity.cmid);
				writer.fullTag('sectionid', activity.sectionId);
				writer.fullTag('modulename', activity.modname);
				writer.fullTag('title', activity.title);
				writer.fullTag('directory', `activities/${activity.modname}_${activity.cmid}`);
				writer.endTag('activity');
			}
			writer.endTag('activities');
		}
		if (sections.length > 0) {
			writer.startTag('sections');
			for (const section of sections) {
				writer.startTag('section');
				writer.fullTag('sectionid', section.id);
				writer.fullTag('title', section.title);
				writer.fullTag('directory', `sections/section_${section.id}`);
				writer.endTag('section');
			}
			writer.endTag('sections');
		}
		if (job.type === 'course') {
			writer.startTag('course');
			writer.fullTag('courseid', job.courseId);
			writer.fullTag('title', xmlValue(course['shortname']));
			writer.fullTag('directory', 'course');
			writer.endTag('course');
		}
		writer.endTag('contents');
		writer.startTag('settings');
		for (const setting of input.settings) {
			writer.startTag('setting');
			writer.fullTag('level', setting.level);
			if (setting.level === 'section') writer.fullTag('section', setting.section);
			if (setting.level === 'activity') writer.fullTag('activity', setting.activity);
			writer.fullTag('name', setting.name);
			writer.fullTag('value', setting.value);
			writer.endTag('setting');
		}
		writer.endTag('settings');
		writer.endTag('information');
		writer.endTag('moodle_backup');
	});
}
