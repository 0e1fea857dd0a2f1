import type {SettingsPlan} from '../settings/settings-plan.js';
import type {Notice} from '../notices.js';

export type BackupType = 'course' | 'section' | 'activity';

export type BackupDestination = {dir: string} | {area: 'course' | 'user' | 'automated'};

export type BackupProgress = {stage: string; item: string; done: number; total: number};

export type BackupRequest = {
	type: BackupType;
	/** Course id, section id (course_sections.id) or course module id. */
	id: number;
	/** The settings plan (root, section and activity settings by Moodle name). */
	settings: SettingsPlan;
	destination: BackupDestination;
	/** Overrides the Moodle default name (spec §3). */
	filename?: string;
	lang?: 'en' | 'fr';
	/** Id of the user running the backup (user private area, Moodle's "executing user"); admin (2) by default. */
	userId?: number;
	signal?: AbortSignal;
	onProgress?(progress: BackupProgress): void;
};

export type BackupCounts = {
	sections: number;
	activities: number;
	users: number;
	files: number;
	fileBytes: number;
	groups: number;
	roles: number;
	questionCategories: number;
	entries: number;
};

export type BackupResult = {
	/** Path of the .mbz when written to a directory. */
	path?: string;
	/** The `files` row id when stored in a backup area. */
	areaFileId?: number;
	/** The backup area it was stored in (an IMS Common Cartridge goes to the private area whatever was asked). */
	area?: 'course' | 'user' | 'automated';
	filename: string;
	bytes: number;
	counts: BackupCounts;
	warnings: Notice[];
};
