import type {Db, Row} from '../store/db.js';
import type {Site} from '../store/site.js';
import {CancelledError} from '../errors.js';
import type {Annotations} from './annotations.js';
import type {BackupSettings} from './settings-values.js';
import type {BackupProgress, BackupType} from './types.js';
import type {Notice} from '../notices.js';

export const CONTEXT_SYSTEM = 10;
export const CONTEXT_USER = 30;
export const CONTEXT_COURSECAT = 40;
export const CONTEXT_COURSE = 50;
export const CONTEXT_MODULE = 70;
export const CONTEXT_BLOCK = 80;

export type SectionInfo = {row: Row; id: number; number: number; title: string; included: boolean; userinfo: boolean};
export type ActivityInfo = {
	cm: Row;
	cmid: number;
	modname: string;
	instance: number;
	sectionId: number;
	sectionNumber: number;
	contextId: number;
	title: string;
	included: boolean;
	userinfo: boolean;
};

/** Everything one backup run shares: the site, the resolved settings, the course structure and the annotations. */
export type BackupJob = {
	site: Site;
	db: Db;
	type: BackupType;
	id: number;
	settings: BackupSettings;
	/** The temporary directory the XML is built in (Moodle's backuptempdir/<backupid>). */
	root: string;
	backupId: string;
	filename: string;
	course: Row;
	courseId: number;
	courseContextId: number;
	systemContextId: number;
	sections: SectionInfo[];
	activities: ActivityInfo[];
	users: boolean;
	anonymize: boolean;
	/** Set by users.xml: an included user comes from another MNet host. */
	mnetRemoteUsers?: boolean;
	annotations: Annotations;
	encodeText?: (text: string) => string;
	warnings: Notice[];
	signal?: AbortSignal;
	progress(progress: BackupProgress): void;
};

export function checkAborted(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new CancelledError('backup cancelled: nothing was written');
}

export async function contextId(db: Db, level: number, instanceId: number): Promise<number | undefined> {
	const row = await db.get<{id: number}>('SELECT id FROM {context} WHERE contextlevel = ? AND instanceid = ?', [level, instanceId]);
	return row ? Number(row.id) : undefined;
}
