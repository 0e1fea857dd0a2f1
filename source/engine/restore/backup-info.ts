import {join} from 'node:path';
import {readXmlFile} from '../xml/read-xml-records.js';
import {XmlError} from '../errors.js';

/** What the restore needs from moodle_backup.xml (backup_general_helper::get_backup_information). */
export type BackupInfo = {
	name: string;
	type: 'course' | 'section' | 'activity';
	format: string;
	mode: number;
	moodleVersion: string;
	moodleRelease: string;
	backupVersion: string;
	backupDate: number;
	includeFiles: boolean;
	mnetRemoteUsers: boolean;
	originalWwwroot: string;
	originalSiteIdentifierHash: string;
	originalCourseId: number;
	originalCourseFormat: string;
	originalCourseFullname: string;
	originalCourseShortname: string;
	originalCourseStartdate: number;
	originalCourseEnddate: number;
	originalCourseContextId: number;
	originalSystemContextId: number;
	sections: BackupSectionRef[];
	activities: BackupActivityRef[];
	/** Root settings as written by the backup (name → value). */
	rootSettings: Record<string, string>;
};

export type BackupSectionRef = {sectionId: number; title: string; directory: string; included: boolean; userinfo: boolean};
export type BackupActivityRef = {cmid: number; sectionId: number; modulename: string; title: string; directory: string; included: boolean; userinfo: boolean};

const INFO = '/moodle_backup/information';

export async function readBackupInfo(xmlDir: string, file: string): Promise<BackupInfo> {
	const entry = 'moodle_backup.xml';
	let information: Record<string, string | null> | undefined;
	let detail: Record<string, string | null> | undefined;
	const sections: BackupSectionRef[] = [];
	const activities: BackupActivityRef[] = [];
	const settings: Array<Record<string, string | null>> = [];
	const paths = [INFO, `${INFO}/details/detail`, `${INFO}/contents/activities/activity`, `${INFO}/contents/sections/section`, `${INFO}/settings/setting`];
	for await (const record of readXmlFile(join(xmlDir, entry), {file, entry, paths})) {
		if (record.path === INFO) information = record.data;
		else if (record.path.endsWith('/detail')) detail ??= record.data;
		else if (record.path.endsWith('/activity')) {
			activities.push({
				cmid: Number(record.data['moduleid']), sectionId: Number(record.data['sectionid']), modulename: record.data['modulename'] ?? '',
				title: record.data['title'] ?? '', directory: record.data['directory'] ?? '', included: true, userinfo: false,
			});
		} else if (record.path.endsWith('/section')) {
			sections.push({sectionId: Number(record.data['sectionid']), title: record.data['title'] ?? '', directory: record.data['directory'] ?? '', included: true, userinfo: false});
		} else settings.push(record.data);
	}
	if (!information || !detail) throw new XmlError(file, entry, 'no <information>/<details> element: not a Moodle 2+ backup');
	const rootSettings: Record<string, string> = {};
	const levelSettings = new Map<string, string>();
	for (const setting of settings) {
		const name = setting['name'] ?? '';
		if (setting['level'] === 'root') rootSettings[name] = setting['value'] ?? '';
		else levelSettings.set(name, setting['value'] ?? '');
	}
	for (const section of sections) {
		section.included = levelSettings.get(`section_${section.sectionId}_included`) !== '0';
		section.userinfo = levelSettings.get(`section_${section.sectionId}_userinfo`) === '1';
	}
	for (const activity of activities) {
		const key = `${activity.modulename}_${activity.cmid}`;
		activity.included = levelSettings.get(`${key}_included`) !== '0';
		activity.userinfo = levelSettings.get(`${key}_userinfo`) === '1';
	}
	const text = (name: string) => information![name] ?? '';
	const int = (name: string) => Number(information![name] ?? 0) || 0;
	const type = detail['type'];
	if (type !== 'course' && type !== 'section' && type !== 'activity') throw new XmlError(file, entry, `unknown backup type "${type}"`);
	return {
		name: text('name'), type, format: detail['format'] ?? '', mode: Number(detail['mode'] ?? 10),
		moodleVersion: text('moodle_version'), moodleRelease: text('moodle_release'), backupVersion: text('backup_version'),
		backupDate: int('backup_date'), includeFiles: information['include_files'] !== '0', mnetRemoteUsers: information['mnet_remoteusers'] === '1',
		originalWwwroot: text('original_wwwroot'), originalSiteIdentifierHash: text('original_site_identifier_hash'),
		originalCourseId: int('original_course_id'), originalCourseFormat: text('original_course_format'),
		originalCourseFullname: text('original_course_fullname'), originalCourseShortname: text('original_course_shortname'),
		originalCourseStartdate: int('original_course_startdate'), originalCourseEnddate: int('original_course_enddate'),
		originalCourseContextId: int('original_course_contextid'), originalSystemContextId: int('original_system_contextid'),
		sections, activities, rootSettings,
	};
}
