import type {XmlRecord} from '../xml/read-xml-records.js';

/** What moodle_backup.xml says, gathered record by record. */
export type Manifest = {
	information: Record<string, string | null>;
	detail: Record<string, string | null>;
	course: Record<string, string | null> | undefined;
	sections: Array<Record<string, string | null>>;
	activities: Array<Record<string, string | null>>;
	/** Settings by level: root settings by name; section and activity settings by their full name. */
	rootSettings: Record<string, string>;
	otherSettings: Record<string, string>;
};

const INFO = '/moodle_backup/information';

export const MANIFEST_PATHS = [
	INFO,
	`${INFO}/details/detail`,
	`${INFO}/contents/activities/activity`,
	`${INFO}/contents/sections/section`,
	`${INFO}/contents/course`,
	`${INFO}/settings/setting`,
] as const;

export function emptyManifest(): Manifest {
	return {information: {}, detail: {}, course: undefined, sections: [], activities: [], rootSettings: {}, otherSettings: {}};
}

export function addManifestRecord(manifest: Manifest, record: XmlRecord): void {
	switch (record.path) {
		case INFO:
			manifest.information = record.data;
			break;
		case `${INFO}/details/detail`:
			// Restore takes type, format and mode from the first detail (backup_general_helper).
			if (Object.keys(manifest.detail).length === 0) manifest.detail = record.data;
			break;
		case `${INFO}/contents/activities/activity`:
			manifest.activities.push(record.data);
			break;
		case `${INFO}/contents/sections/section`:
			manifest.sections.push(record.data);
			break;
		case `${INFO}/contents/course`:
			manifest.course = record.data;
			break;
		case `${INFO}/settings/setting`: {
			const name = record.data.name;
			if (!name) break;
			const value = record.data.value ?? '';
			if (record.data.level === 'root') manifest.rootSettings[name] = value;
			else manifest.otherSettings[name] = value;
			break;
		}
		default:
			break;
	}
}
