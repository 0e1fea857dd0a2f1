import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {ArchiveProgress} from '../archive/read-archive.js';
import {readRestoreArchive} from './backup-archive.js';
import {readExtractedDetails, type BackupDetails, type ExtractedBackup} from '../details/index.js';
import {UsageError, XmlError} from '../errors.js';
import {collectWhenHeapGrows} from '../memory-guard.js';
import {createRestoreSettings} from '../settings/restore-settings.js';
import type {SettingsPlan} from '../settings/settings-plan.js';
import type {PoolStaging} from '../store/file-pool.js';
import type {Site} from '../store/site.js';
import {readBackupInfo, type BackupInfo} from './backup-info.js';
import {checkBackupParts} from '../details/check-backup-parts.js';
import {computeDateOffset} from './date-offset.js';
import {createDbUserLookup} from './db-user-lookup.js';
import {buildReview} from './build-review.js';
import {executeRestore} from './execute-restore.js';
import {readBackupUsers} from './read-users.js';
import type {RestoreConfirmation, RestoreDestination, RestoreOptions, RestoreProgress, RestoreResult, RestoreReview} from './types.js';
import {classifyUsers, md5, type BackupUser, type UserPrecheck} from './user-precheck.js';
import {allRecords, intOf, type BackupXml} from './xml-input.js';
import {notice, type Notice} from '../notices.js';

/**
 * One restore, stage by stage as in Moodle's restore UI: confirm → destination → settings → schema → review →
 * execute → result. The archive's XML is extracted to a private temporary directory when the plan opens; the site
 * is only read until execute(), which writes everything in one transaction.
 */
export class RestorePlan {
	private destinationChoice: RestoreDestination | undefined;
	private settingsPlan: SettingsPlan;
	private optionsChoice: RestoreOptions = {conflictPolicy: 'abort', allowAdminConflictResolution: true};
	private executed = false;
	/** The precheck only depends on the options and the site, which does not change before execute(). */
	private precheckCache: Promise<UserPrecheck | undefined> | undefined;
	/** The users.xml records the precheck matches on (what it keeps of them anyway). */
	private backupUsersCache: Promise<BackupUser[]> | undefined;
	/** What was read from the extracted XML, which never changes once the plan is open (see fromBackup). */
	private readonly backupFacts = new Map<string, Promise<unknown>>();

	constructor(
		readonly site: Site,
		readonly file: string,
		readonly backup: BackupXml,
		readonly info: BackupInfo,
		readonly sameSite: boolean,
		/** The backup's file bodies, staged when the plan opened; promoted into the pool by execute() once it commits. */
		readonly staging: PoolStaging = site.pool.openStaging(),
		/** What the opening pass extracted (XML entries, bodies, the archive's summary), for details(). */
		private readonly extracted?: ExtractedBackup,
	) {
		this.settingsPlan = this.createSettings(info.type === 'course' ? 'new' : 'merge', undefined);
	}

	/**
	 * The destination as chosen, its keep options as the settings now say: the wizard changes them on its Settings
	 * step (setDestination only seeds them), so the review and the deletion read them from there.
	 */
	get destination(): RestoreDestination | undefined {
		const chosen = this.destinationChoice;
		if (chosen?.target !== 'replace') return chosen;
		const isOn = (name: string): boolean => this.settingsPlan.has(name) && this.settingsPlan.isOn(name);
		return {...chosen, keepRolesAndEnrolments: isOn('keep_roles_and_enrolments'), keepGroupsAndGroupings: isOn('keep_groups_and_groupings')};
	}

	/** Stage 3 and 4: the restore settings (root, course, sections, activities) with Moodle's locks. */
	get settings(): SettingsPlan {
		return this.settingsPlan;
	}

	get options(): RestoreOptions {
		return {...this.optionsChoice};
	}

	setOptions(options: Partial<RestoreOptions>): void {
		this.optionsChoice = {...this.optionsChoice, ...options};
		this.precheckCache = undefined;
	}

	/** Stage 1: backup details and the user precheck as things stand now. */
	async confirm(): Promise<RestoreConfirmation> {
		const precheck = await this.precheck();
		const errors: Notice[] = [];
		const warnings: Notice[] = [];
		if (this.info.format !== 'moodle2') errors.push(notice('formatUnsupported', {format: this.info.format}));
		if (Number(this.info.backupVersion) < 2010072300) errors.push(notice('tooOld'));
		if (this.info.originalCourseFormat === 'site') errors.push(notice('frontPage'));
		if (!this.sameSite && this.info.mnetRemoteUsers && this.info.rootSettings['users'] === '1') warnings.push(notice('remoteMnetUsers'));
		return {file: this.file, info: this.info, sameSite: this.sameSite, precheck, errors, warnings};
	}

	/** Stage 2. Section and activity backups go into an existing course (merged) or a new one. */
	async setDestination(destination: RestoreDestination): Promise<void> {
		const db = this.site.db;
		let targetCourse: {fullname: string; shortname: string; startdate: number} | undefined;
		if (destination.target === 'new') {
			const category = await db.get('SELECT id FROM {course_categories} WHERE id = ?', [destination.categoryId]);
			if (!category) throw new UsageError(`category ${destination.categoryId} does not exist on this site`);
		} else {
			const course = await db.get<{fullname: string; shortname: string; startdate: number}>(
				'SELECT fullname, shortname, startdate FROM {course} WHERE id = ?', [destination.courseId]);
			if (!course || destination.courseId === 1) throw new UsageError(`course ${destination.courseId} does not exist on this site (or is the front page)`);
			if (destination.target === 'replace' && this.info.type !== 'course') {
				throw new UsageError(`${this.info.type === 'activity' ? 'an activity' : 'a section'} backup can only be merged into a course or restored as a new course`);
			}
			targetCourse = {fullname: course.fullname, shortname: course.shortname, startdate: Number(course.startdate)};
		}
		this.destinationChoice = destination;
		this.settingsPlan = this.createSettings(destination.target, targetCourse);
		if (destination.target === 'replace') {
			if (destination.keepRolesAndEnrolments) this.settingsPlan.set('keep_roles_and_enrolments', true);
			if (destination.keepGroupsAndGroupings) this.settingsPlan.set('keep_groups_and_groupings', true);
		}
	}

	/** The user precheck with the current conflict policy (nothing when the backup has no users.xml). */
	async precheck(): Promise<UserPrecheck | undefined> {
		this.precheckCache ??= this.runPrecheck();
		return this.precheckCache;
	}

	/** Forgets the precheck, so the next one reads the site as it is now (after waiting for another writer). */
	forgetPrecheck(): void {
		this.precheckCache = undefined;
	}

	private async runPrecheck(): Promise<UserPrecheck | undefined> {
		if (this.info.rootSettings['users'] !== '1') return undefined;
		// users.xml is read once per plan: the recheck inside the restore's transaction asks the site again, not the file.
		this.backupUsersCache ??= (async () => {
			const users: BackupUser[] = [];
			for await (const user of readBackupUsers(this.backup.xmlDir, this.file)) users.push(user);
			return users;
		})();
		return classifyUsers(await this.backupUsersCache, await createDbUserLookup(this.site.db), {
			sameSite: this.sameSite, originalSiteHash: this.info.originalSiteIdentifierHash,
			allowAdminConflictResolution: this.optionsChoice.allowAdminConflictResolution,
			siteWwwroot: this.site.wwwroot, policy: this.optionsChoice.conflictPolicy,
		});
	}

	/**
	 * What `read` makes of the backup's XML, read once per plan: the review is built before execute() and again
	 * inside its transaction, where only the site's side may have changed.
	 */
	fromBackup<T>(key: string, read: (backup: BackupXml) => Promise<T>): Promise<T> {
		let fact = this.backupFacts.get(key) as Promise<T> | undefined;
		if (!fact) {
			fact = read(this.backup);
			fact.catch(() => this.backupFacts.delete(key)); // a failed read is tried again, not remembered
			this.backupFacts.set(key, fact);
		}
		return fact;
	}

	/**
	 * What Moodle's Confirm page shows of the backup (readBackupDetails), read from this plan's extraction: no second
	 * pass over the archive. Undefined for a plan made without one.
	 */
	async details(): Promise<BackupDetails | undefined> {
		const extracted = this.extracted;
		if (!extracted) return undefined;
		return this.fromBackup('details', () => readExtractedDetails(this.file, extracted, {siteIdentifierHash: md5(this.site.identifier)}));
	}

	/** Seconds added to every date: chosen start date minus the backup's. */
	dateOffset(): number {
		const startdate = this.settingsPlan.has('course_startdate') ? Number(this.settingsPlan.get('course_startdate')) : this.info.originalCourseStartdate;
		return computeDateOffset(startdate, this.info.originalCourseStartdate);
	}

	/** Stage 5: everything execute() would write, and what blocks it. */
	async review(): Promise<RestoreReview> {
		return buildReview(this, this.requireDestination(), await this.precheck());
	}

	/** Stage 6 → 7. One transaction; any failure leaves the site as it was. */
	async execute(options: {onProgress?: RestoreProgress; signal?: AbortSignal} = {}): Promise<RestoreResult> {
		if (this.executed) throw new UsageError('this restore plan has already been executed');
		// Rows wait in batches long enough to outlive V8's young generation, so a large restore promotes ~100 MB/s of
		// them, which V8 would only collect at a few hundred MB: a full collection whenever the heap has grown 12 MB keeps
		// it near its live size (measured on 100,000 forum posts: peak RSS 232 -> 142-149 MB for no measurable time;
		// 8 MB took 8% longer for no less memory).
		// It starts with the review: reading users.xml for the precheck leaves its own garbage.
		const stopCollecting = collectWhenHeapGrows(12, 20);
		try {
			const review = await this.review();
			this.executed = true;
			return await executeRestore(this, review, options);
		} finally {
			stopCollecting();
		}
	}

	/** Section number → backup section id (from each section.xml), for choices made by section number. */
	async sectionNumbers(): Promise<Map<number, number>> {
		const numbers = new Map<number, number>();
		for (const section of this.info.sections) {
			const [record] = await allRecords(this.backup, `${section.directory}/section.xml`, ['/section']);
			if (record) numbers.set(intOf(record.data['number']), section.sectionId);
		}
		return numbers;
	}

	/** Removes the temporary extraction: the XML and the file bodies not promoted into the pool. */
	async close(): Promise<void> {
		await this.staging.discard();
		await rm(this.backup.xmlDir, {recursive: true, force: true});
	}

	requireDestination(): RestoreDestination {
		const destination = this.destination;
		if (!destination) throw new UsageError('choose a destination first (new course in a category, merge or replace a course)');
		return destination;
	}

	private createSettings(target: RestoreDestination['target'], targetCourse: {fullname: string; shortname: string; startdate: number} | undefined): SettingsPlan {
		const schemaSettings: Record<string, string> = {};
		for (const section of this.info.sections) schemaSettings[`section_${section.sectionId}_userinfo`] = section.userinfo ? '1' : '0';
		for (const activity of this.info.activities) schemaSettings[`${activity.modulename}_${activity.cmid}_userinfo`] = activity.userinfo ? '1' : '0';
		return createRestoreSettings({
			type: this.info.type,
			rootSettings: this.info.rootSettings,
			schemaSettings,
			sections: this.info.sections.filter((section) => section.included).map((section) => ({id: section.sectionId, name: section.title})),
			activities: this.info.activities.filter((activity) => activity.included).map((activity) => ({
				cmid: activity.cmid, modname: activity.modulename, sectionId: activity.sectionId, name: activity.title,
			})),
			course: {fullname: this.info.originalCourseFullname, shortname: this.info.originalCourseShortname, startdate: this.info.originalCourseStartdate},
		}, {target, ...(targetCourse ? {targetCourse} : {})});
	}
}

/**
 * Opens a backup for restore into `site`, in one pass over the archive: its XML goes to a private temporary
 * directory, its file bodies (verified against their names) to a staging area of the site's pool that only
 * execute() promotes. `signal` cancels the pass (CancelledError); `onProgress` tells how much of the archive file has
 * been read (a large backup takes seconds to open). On any failure nothing is left behind.
 */
export async function openRestore(site: Site, file: string, options: Partial<RestoreOptions> & {signal?: AbortSignal; onProgress?: ArchiveProgress} = {}): Promise<RestorePlan> {
	const {signal, onProgress, ...restoreOptions} = options;
	const xmlDir = await mkdtemp(join(tmpdir(), 'mbz-restore-'));
	const staging = site.pool.openStaging();
	try {
		const extracted = await readRestoreArchive(file, xmlDir, staging, signal, onProgress);
		const backup = {xmlDir, file};
		const info = await readBackupInfo(xmlDir, file);
		if (info.format !== 'moodle2') throw new XmlError(file, 'moodle_backup.xml', `backup format "${info.format}" is not supported`);
		checkBackupParts(file, info, extracted.xmlEntries);
		// backup_general_helper::backup_is_samesite(): the site identifier hash, else (1.9 conversions) the wwwroot.
		const sameSite = info.originalSiteIdentifierHash
			? info.originalSiteIdentifierHash === md5(site.identifier)
			: info.originalWwwroot === site.wwwroot;
		const plan = new RestorePlan(site, file, backup, info, sameSite, staging, extracted);
		plan.setOptions(restoreOptions);
		return plan;
	} catch (error) {
		await staging.discard().catch(() => undefined);
		await rm(xmlDir, {recursive: true, force: true});
		throw error;
	}
}
