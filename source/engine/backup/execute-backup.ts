import {createHash, randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {writeMbz} from '../archive/write-mbz.js';
import {CancelledError, UsageError} from '../errors.js';
import {getActivityPlugin} from '../plugins/registry.js';
import {activitySettingName, sectionSettingName} from '../settings/names.js';
import type {MoodleSettingEntry} from '../settings/types.js';
import type {Site} from '../store/site.js';
import {writeActivityTask} from './activity-task.js';
import {Annotations} from './annotations.js';
import {listArchiveEntries} from './archive-entries.js';
import {loadBackupStructure} from './course-structure.js';
import {writeCourseTask} from './course-task.js';
import {backupFileName} from './file-name.js';
import {writeFilesXml} from './files-xml.js';
import {writeBadgesXml, writeCourseCompletionXml, writeGroupsXml, writeRolesDefinitionXml, writeScalesAndOutcomesXml} from './final-xml.js';
import {gradebookIncluded, writeGradebookXml, writeGradeHistoryXml} from './gradebook-xml.js';
import {CONTEXT_COURSE, CONTEXT_MODULE, CONTEXT_SYSTEM, checkAborted, contextId, type ActivityInfo, type BackupJob, type SectionInfo} from './job.js';
import {createEncoder} from './link-encoding.js';
import {writeMainXml} from './main-xml.js';
import {writeQuestionsXml} from './questions-xml.js';
import {writeSectionTask} from './section-task.js';
import {BackupSettings} from './settings-values.js';
import {storeBackup} from './store-backup.js';
import {siteIdentifierHash} from '../store/site.js';
import type {BackupRequest, BackupResult} from './types.js';
import {writeUsersXml} from './users-xml.js';
import {writeXmlFile} from './xml-file.js';
import {collectOldRowsPeriodically, guardStreamingMemory} from '../memory-guard.js';
import {exportCommonCartridge} from './imscc/export-imscc.js';
import {writeBackupLog} from './backup-log.js';
import {notice, type Notice} from '../notices.js';

/** Runs one backup: plan, tasks in Moodle's order, final task, moodle_backup.xml, pack, store. */
export async function executeBackup(site: Site, request: BackupRequest): Promise<BackupResult> {
	checkAborted(request.signal);
	const job = await planJob(site, request);
	job.root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'mbz-backup-'));
	// Rows read, XML written and file chunks packed all die young: collect them as they die (bounded peak RSS).
	const stopGuard = guardStreamingMemory();
	const restoreCache = await limitPageCache(site);
	try {
		const stopCollections = collectOldRowsPeriodically();
		const counts = await writeBackupXml(job).finally(stopCollections);
		// IMS Common Cartridge 1.1: the finished moodle2 directory is converted and zipped instead of packed.
		if (job.type === 'course' && job.settings.on('imscc11', false)) return await exportCommonCartridge(job, request, counts);
		checkAborted(request.signal);
		await writeBackupLog(job.root, job.warnings);
		const entries = await listArchiveEntries(job.root, request.signal, (item, done, total) => job.progress({stage: 'archive', item, done, total}));
		const fileEntries = entries.filter(entry => entry.type === 'file').length;
		job.progress({stage: 'archive', item: job.filename, done: 0, total: fileEntries});
		// Once stored the backup is complete: a late abort no longer undoes it.
		const stored = await storeBackup(job, request, async outFile => (await writeMbz(outFile, entries)).bytes);
		job.progress({stage: 'archive', item: job.filename, done: fileEntries, total: fileEntries});
		return {...stored, filename: job.filename, counts: {...counts, entries: entries.length + 1}, warnings: job.warnings};
	} catch (error) {
		// An abort surfaces wherever the work was (a destroyed stream in the packer, a query): report it as such.
		if (request.signal?.aborted && !(error instanceof CancelledError)) throw new CancelledError('backup cancelled: nothing was written');
		throw error;
	} finally {
		stopGuard();
		await restoreCache();
		await fs.promises.rm(job.root, {recursive: true, force: true});
	}
}

/**
 * Page cache while backing up (KiB): a backup reads each page about once, so a cache only adds to the peak RSS.
 * Measured with the site's 8 MiB default instead: peak RSS 127–157 MB against 119–125 MB at 4 MiB.
 */
const BACKUP_PAGE_CACHE_KIB = 4096;

/** Caps SQLite's page cache for the backup; answers the function that puts it back. */
async function limitPageCache(site: Site): Promise<() => Promise<void>> {
	if (site.db.dialect !== 'sqlite') return async () => undefined;
	const previous = await site.db.get<{cache_size: number}>('PRAGMA cache_size');
	if (!previous) return async () => undefined;
	await site.db.exec(`PRAGMA cache_size = -${BACKUP_PAGE_CACHE_KIB}`);
	return async () => {
		await site.db.exec(`PRAGMA cache_size = ${Number(previous.cache_size)}`).catch(() => undefined);
	};
}

async function planJob(site: Site, request: BackupRequest): Promise<BackupJob> {
	const {db} = site;
	const structure = await loadBackupStructure(db, request.type, request.id);
	const settings = new BackupSettings(request.settings);
	const users = settings.on('users');
	const anonymize = users && settings.on('anonymize', false);
	const courseContextId = await contextId(db, CONTEXT_COURSE, structure.courseId);
	if (courseContextId === undefined) throw new UsageError(`course ${structure.courseId} has no context on this site`);
	const systemContextId = (await contextId(db, CONTEXT_SYSTEM, 0)) ?? 1;
	const warnings: Notice[] = [];

	const sectionIncluded = new Map<number, SectionInfo>();
	const sections: SectionInfo[] = structure.sections.map(section => {
		const included = settings.on(sectionSettingName(section.id, 'included'));
		const info: SectionInfo = {
			row: section.row, id: section.id, number: section.number, title: section.title, included,
			userinfo: users && included && settings.on(sectionSettingName(section.id, 'userinfo')),
		};
		sectionIncluded.set(section.id, info);
		return info;
	});
	const activities: ActivityInfo[] = [];
	for (const activity of structure.activities) {
		const section = sectionIncluded.get(activity.sectionId);
		let included = settings.on('activities') && (section ? section.included : true)
			&& settings.on(activitySettingName(activity.modname, activity.cmid, 'included'));
		if (included && !getActivityPlugin(activity.modname)) {
			warnings.push(notice('activityNotBackedUp', {type: activity.modname, cmid: activity.cmid, title: activity.title}));
			included = false;
		}
		const moduleContextId = await contextId(db, CONTEXT_MODULE, activity.cmid);
		activities.push({
			cm: activity.cm, cmid: activity.cmid, modname: activity.modname, instance: activity.instance,
			sectionId: activity.sectionId, sectionNumber: activity.sectionNumber, contextId: moduleContextId ?? 0,
			title: activity.title, included,
			userinfo: users && included && (section ? section.userinfo : true) && settings.on(activitySettingName(activity.modname, activity.cmid, 'userinfo')),
		});
	}
	if (request.type === 'activity' && !activities.some(activity => activity.included)) {
		throw new UsageError(`activity ${request.id} is excluded by the settings or cannot be backed up: nothing to back up`);
	}
	if (request.type === 'section' && !sections.some(section => section.included)) {
		throw new UsageError(`section ${request.id} is excluded by the settings: nothing to back up`);
	}

	const files = settings.on('files');
	// Moodle's same-site notification: the file contents stay behind.
	if (!files && !settings.on('imscc11', false)) warnings.push(notice('backupWithoutFiles'));
	const chosenName = request.filename ?? settings.text('filename');
	const filename = chosenName && chosenName !== 'backup.mbz' ? chosenName : backupFileName({
		type: request.type,
		id: request.id,
		...(request.type === 'course' ? {name: String(structure.course['shortname'] ?? '')} : {}),
		...(request.type === 'section' ? {name: structure.sections[0]?.title ?? '', sectionNumber: structure.sections[0]?.number ?? 0} : {}),
		...(request.type === 'activity' ? {modname: structure.activities[0]?.modname ?? ''} : {}),
		users,
		anonymized: anonymize,
		files,
		lang: request.lang ?? 'en',
		...(structure.timeZone ? {timeZone: structure.timeZone} : {}),
	});
	// Moodle's rule for a chosen name (backup_moodleform): non-empty, at most 255 characters, ending in .mbz
	// (a cartridge may be named with the .imscc it is saved under).
	const extension = settings.on('imscc11', false) ? /\.(mbz|imscc)$/i : /\.mbz$/i;
	if (filename.length > 255 || !extension.test(filename) || /[/\\]/.test(filename) || /^\.(mbz|imscc)$/i.test(filename)) {
		throw new UsageError(`"${filename}" is not a valid backup file name: it must end in .mbz, have at most 255 characters and no path`);
	}
	settings.set('filename', filename);

	const backupId = createHash('md5')
		.update(`${Date.now()}-${request.type}-${request.id}-moodle2-1-10-${request.userId ?? 2}-backup-${randomBytes(10).toString('hex')}`)
		.digest('hex');
	return {
		site, db, type: request.type, id: request.id, settings, root: '', backupId, filename,
		course: structure.course, courseId: structure.courseId, courseContextId, systemContextId,
		sections, activities, users, anonymize, annotations: new Annotations(),
		encodeText: await createEncoder(site, structure.courseId),
		warnings,
		...(request.signal ? {signal: request.signal} : {}),
		progress: progress => request.onProgress?.(progress),
	};
}

type WrittenCounts = Omit<BackupResult['counts'], 'entries'>;

async function writeBackupXml(job: BackupJob): Promise<WrittenCounts> {
	const includedSections = job.sections.filter(section => section.included);
	const includedActivities = job.activities.filter(activity => activity.included);
	const total = 1 + includedSections.length + includedActivities.length + 1;
	let done = 0;
	const step = (stage: string, item: string) => {
		checkAborted(job.signal);
		job.progress({stage, item, done, total});
		done++;
	};

	if (job.type === 'course') {
		step('course', String(job.course['shortname'] ?? job.courseId));
		await writeCourseTask(job);
	}
	const placed = new Set<number>();
	for (const section of includedSections) {
		step('section', section.title);
		await writeSectionTask(job, section);
		for (const activity of includedActivities.filter(candidate => candidate.sectionId === section.id)) {
			step('activity', activity.title);
			await writeActivityTask(job, activity);
			placed.add(activity.cmid);
		}
	}
	for (const activity of includedActivities.filter(candidate => !placed.has(candidate.cmid))) {
		step('activity', activity.title);
		await writeActivityTask(job, activity);
	}

	step('final', '');
	const questionCategories = await writeQuestionsXml(job);
	const groups = await writeGroupsXml(job);
	await writeCourseCompletionXml(job);
	if (await gradebookIncluded(job)) {
		await writeGradebookXml(job);
		await writeGradeHistoryXml(job);
	}
	const users = job.users ? await writeUsersXml(job) : 0;
	// Badges come after users.xml, as in Moodle: their creators and recipients are not added to the users
	// (rich101_activity_forum_users.mbz carries a badge created by the admin, who is not in its users.xml).
	const excludingActivities = job.type === 'section' || job.activities.some(activity => !activity.included);
	if (job.settings.on('badges') && job.users && job.settings.on('activities') && !excludingActivities) await writeBadgesXml(job);
	else await writeEmptyBadges(job);
	const roles = await writeRolesDefinitionXml(job);
	await writeScalesAndOutcomesXml(job);
	checkAborted(job.signal);
	const includeFiles = job.settings.on('files');
	const files = await writeFilesXml(job, includeFiles);
	await writeMainXml(job, {
		backupDate: Math.floor(Date.now() / 1000),
		includeFiles,
		externalReferences: files.externalReferences,
		siteIdentifierHash: siteIdentifierHash(job.site.identifier),
		settings: mainSettings(job),
	});
	return {
		sections: includedSections.length,
		activities: includedActivities.length,
		users,
		files: files.files,
		fileBytes: files.bytes,
		groups,
		roles,
		questionCategories,
	};
}

async function writeEmptyBadges(job: BackupJob): Promise<void> {
	await writeXmlFile(job.root, 'badges.xml', job.encodeText, writer => {
		writer.startTag('badges');
		writer.endTag('badges');
	});
}

/**
 * The settings list of moodle_backup.xml: root settings in Moodle's order, then each included section's settings
 * followed by its included activities' settings; excluded ones are not written.
 */
function mainSettings(job: BackupJob): MoodleSettingEntry[] {
	const root: MoodleSettingEntry[] = [];
	const rootNames = ['filename', ...(job.type === 'course' ? ['imscc11'] : []), 'users', 'anonymize', 'role_assignments', 'activities', 'blocks', 'files', 'filters', 'comments', 'badges', 'calendarevents', 'userscompletion', 'logs', 'grade_histories', 'questionbank', 'groups', 'competencies', 'customfield', 'contentbankcontent', 'legacyfiles'];
	const defaultsOff = new Set(['imscc11', 'anonymize', 'logs', 'grade_histories']);
	for (const name of rootNames) {
		const value = name === 'filename' ? job.filename : job.settings.on(name, !defaultsOff.has(name)) ? '1' : '0';
		root.push({level: 'root', name, value});
	}
	const flag = (on: boolean) => (on ? '1' : '0');
	const entries = [...root];
	const activityEntries = (activity: ActivityInfo) => {
		const key = `${activity.modname}_${activity.cmid}`;
		entries.push({level: 'activity', activity: key, name: `${key}_included`, value: '1'});
		entries.push({level: 'activity', activity: key, name: `${key}_userinfo`, value: flag(activity.userinfo)});
	};
	const placed = new Set<number>();
	for (const section of job.sections.filter(candidate => candidate.included)) {
		const key = `section_${section.id}`;
		entries.push({level: 'section', section: key, name: `${key}_included`, value: '1'});
		entries.push({level: 'section', section: key, name: `${key}_userinfo`, value: flag(section.userinfo)});
		for (const activity of job.activities.filter(candidate => candidate.included && candidate.sectionId === section.id)) {
			activityEntries(activity);
			placed.add(activity.cmid);
		}
	}
	for (const activity of job.activities.filter(candidate => candidate.included && !placed.has(candidate.cmid))) activityEntries(activity);
	return entries;
}
