/**
 * Moodle's backup file areas (backup_helper::store_backup_file(), spec §4.1). Each is a (context, component,
 * filearea, itemid) of the `files` table, path '/'.
 */
export type BackupAreaName = 'course' | 'section' | 'activity' | 'user' | 'automated';

/** Where one backup file goes. */
export type BackupAreaTarget =
	| {area: 'course'; courseId: number}
	| {area: 'section'; courseId: number; sectionId: number}
	| {area: 'activity'; cmid: number}
	/** The private backup area of a user (component user, filearea backup, user context). */
	| {area: 'user'; userId: number}
	/** Automated backups of a course (component backup, filearea automated, course context). */
	| {area: 'automated'; courseId: number};

export const AREA_FILEAREAS: Record<BackupAreaName, {component: string; filearea: string}> = {
	course: {component: 'backup', filearea: 'course'},
	section: {component: 'backup', filearea: 'section'},
	activity: {component: 'backup', filearea: 'activity'},
	user: {component: 'user', filearea: 'backup'},
	automated: {component: 'backup', filearea: 'automated'},
};

/** The area name of a (component, filearea), or undefined when it is not a backup area. */
export function areaNameOf(component: string, filearea: string): BackupAreaName | undefined {
	for (const [name, spec] of Object.entries(AREA_FILEAREAS)) {
		if (spec.component === component && spec.filearea === filearea) return name as BackupAreaName;
	}
	return undefined;
}

export type BackupAreaChoice = {
	type: 'course' | 'section' | 'activity';
	mode?: 'general' | 'automated';
	users: boolean;
	anonymized: boolean;
	courseId: number;
	sectionId?: number;
	cmid?: number;
	/** The user running the backup (owner of the private area). */
	userId: number;
};

/**
 * Moodle's choice of area: automated backups go to the automated area; a general backup without users or
 * anonymised goes to the executing user's private area (so it is not offered to every teacher of the course);
 * otherwise the course, section or activity area.
 */
export function backupAreaFor(choice: BackupAreaChoice): BackupAreaTarget {
	if (choice.mode === 'automated') return {area: 'automated', courseId: choice.courseId};
	if (!choice.users || choice.anonymized) return {area: 'user', userId: choice.userId};
	switch (choice.type) {
		case 'course': return {area: 'course', courseId: choice.courseId};
		case 'section': return {area: 'section', courseId: choice.courseId, sectionId: choice.sectionId ?? 0};
		case 'activity': return {area: 'activity', cmid: choice.cmid ?? 0};
	}
}
