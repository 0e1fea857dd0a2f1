import type {BackupDetails} from '../details/types.js';
import {UsageError} from '../errors.js';
import {activitySettingName, sectionSettingName} from './names.js';
import type {RestoreSettingsSource} from './restore-settings.js';

/** What the restore settings need, taken from the details `mbz inspect` reads (moodle_backup.xml). */
export function restoreSettingsSourceFromDetails(details: BackupDetails): RestoreSettingsSource {
	const type = details.type;
	if (type !== 'course' && type !== 'section' && type !== 'activity') throw new UsageError(`${details.file}: unknown backup type "${type}"`);
	const schemaSettings: Record<string, string> = {};
	const sections = type === 'activity' ? [] : details.sections.filter(section => section.included);
	for (const section of sections) schemaSettings[sectionSettingName(section.id, 'userinfo')] = section.userinfo ? '1' : '0';
	const activities = details.activities.filter(activity => activity.included);
	for (const activity of activities) schemaSettings[activitySettingName(activity.modulename, activity.cmid, 'userinfo')] = activity.userinfo ? '1' : '0';
	return {
		type,
		rootSettings: details.settings,
		schemaSettings,
		sections: sections.map(section => ({id: section.id, ...(section.number === null ? {} : {number: section.number}), name: section.title})),
		activities: activities.map(activity => ({cmid: activity.cmid, modname: activity.modulename, sectionId: activity.sectionId, name: activity.title})),
		course: {fullname: details.course.fullname, shortname: details.course.shortname, startdate: details.course.startdate},
	};
}
