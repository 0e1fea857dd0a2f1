/**
 * What the engine tells an admin besides counts — warnings, refusals, precheck reasons — as a code with its values
 * and the English sentence. Commands, logs and --json print the sentence; an interface in another language says it
 * again from the code and values, so the engine never holds an interface language and no sentence is parsed back.
 */
export const NOTICE_TEMPLATES = {
	/** A sentence of an activity plugin of its own (plugins outside this project need not register codes). */
	text: '{text}',

	// Restore: the plan and the review.
	formatUnsupported: 'backup format "{format}" is not supported (only Moodle 2+ backups)',
	tooOld: 'the backup was made by Moodle older than 2.0',
	frontPage: 'this is a backup of a site front page; it cannot be restored into a course',
	remoteMnetUsers: 'the backup contains users of remote MNet hosts; they are restored as local accounts when their host is unknown here',
	userConflicts: '{count} user conflict(s): {list}',
	userConflict: '{username} ({reason})',
	usersDroppedForConflicts: '{count} user conflict(s): restoring without user data (--on-conflict no-users)',
	replaceDeletes: 'the course\'s current contents are deleted first: {activities} activities, {enrolments}, {groups}, and {backups} backup file(s) stored in its backup areas',
	replaceDeletesEnrolments: '{count} user enrolment(s) of its manual and self enrolment methods',
	replaceKeepsEnrolments: 'not its enrolments (kept)',
	replaceDeletesGroups: '{count} group(s)',
	replaceKeepsGroups: 'not its groups (kept)',
	adminCreated: 'the backup\'s admin account is restored as a new account "{username}" (Moodle\'s admin conflict resolution)',
	adminMapped: 'the backup\'s admin account maps to the account "{username}" (Moodle\'s admin conflict resolution)',
	roleUnmapped: 'role "{role}" of the backup does not exist here: its assignments are skipped',

	// The user precheck: why a backup account conflicts.
	usernameTaken: 'the username "{username}" belongs to another account here (id {siteId}, backup id {backupId})',
	usernameOtherEmail: 'the username "{username}" exists here with another email (backup {backupEmail}, here {siteEmail}) and no matching first access',
	/** An account without an email address, where one is named. */
	noEmail: '(none)',
	noEmailMatch: '{reason}; no account here has its email, so it cannot be mapped by email',
	manyEmailMatches: '{reason}; {count} accounts here share its email, so it cannot be mapped by email',

	// Enrolment methods: what becomes of each, and why.
	/** An enrolment method: its plugin (an interface says it under the plugin's name), and its instance name. */
	enrolMethod: '{plugin}',
	enrolMethodNamed: '{plugin} "{name}"',
	enrolDropped: 'enrolment method {method} dropped: {why}',
	enrolDroppedLosingUsers: '{dropped}; {count} user(s) lose access to the course: {users} (to keep them: the setting "Restore as manual enrolments", --manual-enrolments)',
	enrolRescued: 'enrolment method {method}: {why}; its {count} user(s) are enrolled manually instead, with their roles',
	manualDisabled: 'the manual enrolment plugin is disabled here',
	enrolPluginDisabled: 'the enrolment plugin "{plugin}" is not enabled on this site',
	cohortOfOtherSite: 'cohort id {cohortId} belongs to the original site and does not exist here',
	cohortMissing: 'cohort id {cohortId} does not exist on this site',
	enrolRoleUnmapped: 'its role cannot be mapped here',
	metaOfOtherSite: 'it links course id {courseId} of the original site',
	metaCourseMissing: 'the linked course id {courseId} does not exist here',
	enrolNotRestorable: 'the "{plugin}" plugin does not restore its instances',
	cohortLive: 'its users come from the cohort "{cohort}" as it is now: {count} member(s) enrolled with the method\'s role',
	metaLive: 'its users come from course id {courseId} as it is now: {count} enrolled user(s), with the roles they hold there',
	metaLiveSuspending: 'its users come from course id {courseId} as it is now: {count} enrolled user(s), with the roles they hold there; {leaving} user(s) it holds who are no longer enrolled there will be suspended and lose its roles',

	// Restore: while writing.
	customFieldMissing: 'course custom field "{field}" ({type}) does not exist on this site: its value was not restored',
	componentAssignment: 'role assignment of component "{component}" restored as a plain assignment',
	activityTypeNotRestored: 'activity "{title}" ({type}) skipped: this tool does not restore {type} activities',
	activitySkipped: 'activity "{title}" skipped: {why}',
	activityTypeUnsupported: 'activity type "{type}" is not supported',
	activityTypeNotInstalled: 'activity type "{type}" is not installed',
	activityDirectoryUnsupported: 'activity type "{type}" is not supported: {directory} skipped',
	activityDirectoryNotInstalled: 'activity type "{type}" is not installed on this site: {directory} skipped',
	gradebookKept: 'the target course\'s gradebook has categories of its own: the backup\'s categories and manual items are not restored (Moodle does the same)',
	gradebookSkippedExcluded: 'the course gradebook (categories, course and manual grade items, their grades) is not restored because some activities are left out: its totals would not match (Moodle does the same)',
	gradebookSkippedMissing: 'the course gradebook (categories, course and manual grade items, their grades) is not restored because activities of type {types} cannot be restored here (Moodle does the same)',
	membershipsSkipped: '{count} group membership(s) skipped: those users are not enrolled in the course here',
	filesWithoutContent: '{count} file(s) have no content in the backup nor in this site\'s file pool: they are not restored',
	filesNotInBackup: 'the backup was made without files (-nf): {count} file(s) whose content is not in this site\'s file pool are not restored',
	fileWithoutContent: '{file}: file {path} ({component}/{filearea}) has no content in the backup: skipped',
	availabilityUnmapped: 'an availability condition depends on activity {cmid}, which was not restored',
	quizSlotRandom: 'quiz slot {slot}: question {question} is a random question of an older Moodle; the slot is left empty',
	quizSlotMissing: 'quiz slot {slot}: question {question} was not restored; the slot is left empty',

	// Why an archive cannot be read (the file and entry are said beside it).
	archiveNoSuchFile: 'no such file',
	archivePermissionDenied: 'permission denied',
	archiveIsDirectory: 'is a directory, not a backup file',
	archiveNotRegularFile: 'is not a regular file',
	archiveEmpty: 'empty file, not a Moodle backup',
	archiveUnknownFormat: 'not a Moodle backup (neither gzip\'d tar nor zip)',
	archiveNoManifest: 'no moodle_backup.xml: not a Moodle 2+ backup',
	archiveCartridge: 'no moodle_backup.xml: not a Moodle 2+ backup but an IMS Common Cartridge (imsmanifest.xml), which this restore does not convert into a course (Moodle\'s restore does)',
	archiveMoodle19: 'this is a Moodle 1.9 backup (moodle.xml); importing Moodle 1.9 backups is not supported yet',
	archiveGzipTruncated: 'truncated gzip data (unexpected end of file)',
	archiveGzipCorrupt: 'corrupt gzip data (CRC check failed)',
	archiveGzipLength: 'corrupt gzip data (length check failed)',
	archiveTarHeader: 'corrupt tar header{after} (bad checksum or not ustar)',
	archiveTarTruncated: 'truncated tar data{after}',
	archiveAfterEntry: ' after entry {entry}',
	archiveInFirstEntry: ' in the first entry',
	archiveZipCrc: 'corrupt zip (CRC-32 mismatch: the entry\'s data is damaged)',
	archiveUnsafeAbsolute: 'unsafe entry path (absolute path)',
	archiveUnsafeParent: 'unsafe entry path (contains \'..\')',
	archivePartMissing: 'missing from the backup, which moodle_backup.xml lists{more}',

	// Backup.
	backupWithoutFiles: 'without files (-nf), this backup restores them only on this site, from its file pool, while they are still there',
	blockWithoutContext: 'block {block} {id} has no context: skipped',
	missingFromPool: 'file content {sha1} is missing from the file pool (missing_files_in_pool)',
	activityNotBackedUp: 'activity {type} {cmid} ("{title}") is of a type this tool cannot back up: left out',
	cartridgeQuestionLeftOut: 'quiz {cmid} ("{title}"): question "{question}" is of type {qtype}, which the Common Cartridge export does not support: left out',
	cartridgeActivityLeftOut: 'activity {type} {cmid} ("{title}"): IMS Common Cartridge has no equivalent for {type}: left out of the cartridge',
} as const satisfies Record<string, string>;

export type NoticeCode = keyof typeof NOTICE_TEMPLATES;
export type NoticeValue = string | number | Notice | readonly Notice[];
export type NoticeParams = Readonly<Record<string, NoticeValue>>;

/** Fills a template's {name}s; notices among the values are said by `say`, so a translation reaches them too. */
export function fillTemplate(template: string, params: NoticeParams, say: (notice: Notice) => string): string {
	return template.replace(/\{(\w+)\}/gu, (whole, name: string) => {
		const value = params[name];
		if (value === undefined) return whole;
		if (value instanceof Notice) return say(value);
		if (Array.isArray(value)) return (value as readonly Notice[]).map(say).join('; ');
		return String(value);
	});
}

export class Notice {
	readonly text: string;

	constructor(readonly code: NoticeCode, readonly params: NoticeParams = {}) {
		this.text = fillTemplate(NOTICE_TEMPLATES[code], params, (inner) => inner.text);
	}

	toString(): string {
		return this.text;
	}

	/** --json, logs and reports keep the sentence. */
	toJSON(): string {
		return this.text;
	}
}

export function notice(code: NoticeCode, params: NoticeParams = {}): Notice {
	return new Notice(code, params);
}

/** A plugin may warn with its own sentence; the engine carries it as a notice all the same. */
export function asNotice(message: Notice | string): Notice {
	return typeof message === 'string' ? notice('text', {text: message}) : message;
}

/** A `warn` that keeps what it is told in `notices`, plain text as a notice. */
export function warnInto(notices: Notice[]): (message: Notice | string) => void {
	return (message) => notices.push(asNotice(message));
}

/** The same sentence said twice (several activities missing one file) is listed once. */
export function uniqueNotices(notices: readonly Notice[]): Notice[] {
	const seen = new Set<string>();
	return notices.filter((item) => !seen.has(item.text) && Boolean(seen.add(item.text)));
}
