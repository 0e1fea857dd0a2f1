import {execFileSync} from 'node:child_process';
import path from 'node:path';
import {readXmlRecords} from '../../../source/engine/xml/read-xml-records.js';
import type {RestoreSettingsSource} from '../../../source/engine/settings/index.js';

export const FIXTURES = path.resolve(import.meta.dirname, '../../../fixtures');

const INFO = '/moodle_backup/information';

/** What the restore settings need, read from a real fixture's moodle_backup.xml (extracted with the system tar). */
export async function restoreSourceOf(fixture: string): Promise<RestoreSettingsSource> {
	const file = path.join(FIXTURES, fixture);
	const xml = execFileSync('tar', ['xzf', file, '-O', 'moodle_backup.xml']);
	const source: RestoreSettingsSource = {
		type: 'course', rootSettings: {}, schemaSettings: {}, sections: [], activities: [],
		course: {fullname: '', shortname: '', startdate: 0},
	};
	const paths = [INFO, `${INFO}/details/detail`, `${INFO}/contents/activities/activity`, `${INFO}/contents/sections/section`, `${INFO}/settings/setting`];
	for await (const record of readXmlRecords((async function * () { yield xml; })(), {file, entry: 'moodle_backup.xml', paths})) {
		const data = record.data;
		if (record.path === INFO) {
			source.course = {fullname: data['original_course_fullname'] ?? '', shortname: data['original_course_shortname'] ?? '', startdate: Number(data['original_course_startdate'])};
		} else if (record.path.endsWith('/detail')) {
			source.type = data['type'] as RestoreSettingsSource['type'];
		} else if (record.path.endsWith('/activity')) {
			(source.activities as unknown[]).push({cmid: Number(data['moduleid']), sectionId: Number(data['sectionid']), modname: data['modulename'], name: data['title']});
		} else if (record.path.endsWith('/section')) {
			(source.sections as unknown[]).push({id: Number(data['sectionid']), name: data['title']});
		} else if (data['level'] === 'root') {
			(source.rootSettings as Record<string, string>)[data['name']!] = data['value'] ?? '';
		} else {
			(source.schemaSettings as Record<string, string>)[data['name']!] = data['value'] ?? '';
		}
	}
	// An activity backup lists the section of its activity, but has no section task (no section settings).
	if (source.type === 'activity') source.sections = [];
	return source;
}
