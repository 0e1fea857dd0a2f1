import {ArchiveError} from '../errors.js';
import {notice} from '../notices.js';

/**
 * Every section and activity moodle_backup.xml lists must have its XML in the archive: found missing when the backup
 * is opened, a damaged backup is refused before anything is planned, naming the entry (Moodle fails mid-restore).
 */
export function checkBackupParts(
	file: string,
	info: {sections: ReadonlyArray<{directory: string}>; activities: ReadonlyArray<{directory: string; modulename: string}>},
	xmlEntries: Iterable<string>,
): void {
	const present = new Set(xmlEntries);
	const required = [
		...info.sections.map((section) => `${section.directory}/section.xml`),
		...info.activities.flatMap((activity) => [`${activity.directory}/module.xml`, `${activity.directory}/${activity.modulename}.xml`]),
	];
	const missing = required.filter((entry) => !present.has(entry));
	if (missing.length === 0) return;
	const more = missing.length > 1 ? ` (+${missing.length - 1})` : '';
	throw new ArchiveError(file, notice('archivePartMissing', {more}), missing[0]);
}
