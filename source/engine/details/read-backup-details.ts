import {createReadStream, promises as fs} from 'node:fs';
import {join} from 'node:path';
import {checkBackupParts} from './check-backup-parts.js';
import {readArchive, type ArchiveSummary} from '../archive/read-archive.js';
import {ArchiveError, XmlError} from '../errors.js';
import {readXmlRecords} from '../xml/read-xml-records.js';
import {countStartTags} from './count-elements.js';
import {entryReader, emptyTally, type SectionFile, type Tally} from './entry-counters.js';
import {addManifestRecord, emptyManifest, MANIFEST_PATHS, type Manifest} from './manifest.js';
import type {BackupActivity, BackupDetails, BackupSection} from './types.js';
import {missingManifestError} from '../archive/missing-manifest.js';

export type ReadDetailsOptions = {
	/** md5 of the site identifier of the site the backup would be restored into, to tell "from this site". */
	siteIdentifierHash?: string;
};

const MANIFEST_ENTRY = 'moodle_backup.xml';

/** An entry of a backup as the details need it: where, what, how big, and its content when asked for. */
type DetailsEntry = {path: string; type: 'file' | 'directory'; size: number; content(): AsyncIterable<Buffer | string>};

async function* noContent(): AsyncGenerator<Buffer> {}

/** What a pass over the entries collects: the manifest's records and the counts of the other entries. */
type Collected = {manifest: Manifest; tally: Tally; sawManifest: boolean; sawCartridgeManifest: boolean; xmlEntries: Set<string>};

function collector(file: string): {collected: Collected; visit(entry: DetailsEntry): Promise<void>} {
	const collected: Collected = {manifest: emptyManifest(), tally: emptyTally(), sawManifest: false, sawCartridgeManifest: false, xmlEntries: new Set()};
	const {manifest, tally} = collected;
	return {
		collected,
		async visit(entry) {
			if (entry.path === 'imsmanifest.xml') collected.sawCartridgeManifest = true;
			if (entry.type !== 'file') return;
			if (entry.path.startsWith('files/')) {
				tally.blobs++;
				tally.blobBytes += entry.size;
				return;
			}
			collected.xmlEntries.add(entry.path);
			if (entry.path === MANIFEST_ENTRY) {
				collected.sawManifest = true;
				for await (const record of readXmlRecords(entry.content(), {file, entry: entry.path, paths: MANIFEST_PATHS})) {
					addManifestRecord(manifest, record);
				}
				return;
			}
			const reader = entryReader(entry.path, tally);
			if (!reader) return;
			if ('countTag' in reader) {
				reader.onCount(await countStartTags(entry.content(), reader.countTag));
				return;
			}
			for await (const record of readXmlRecords(entry.content(), {file, entry: entry.path, paths: reader.paths})) reader.onRecord(record);
		},
	};
}

/**
 * Reads what Moodle's restore Confirm step shows, in ONE streaming pass: only the small XML entries needed are
 * parsed (moodle_backup.xml, files.xml, questions.xml, groups.xml, course/enrolments.xml,
 * sections/∗/section.xml), users.xml is only scanned for its count, file blobs are skipped unread.
 */
export async function readBackupDetails(file: string, options: ReadDetailsOptions = {}): Promise<BackupDetails> {
	const {collected, visit} = collector(file);
	// entry.content is a getter that wraps the stream: only touched for the entries read.
	const summary = await readArchive(file, (entry) => visit({path: entry.path, type: entry.type, size: entry.size, content: () => entry.content}));
	return detailsFrom(file, collected, summary, options);
}

/** A backup a restore has extracted: its XML entries under `xmlDir`, its file bodies by content hash with their sizes. */
export type ExtractedBackup = {xmlDir: string; xmlEntries: readonly string[]; bodies: ReadonlyMap<string, number>; archive: ArchiveSummary};

/** The same details as readBackupDetails, from the restore's own extraction instead of a second pass over the archive. */
export async function readExtractedDetails(file: string, extracted: ExtractedBackup, options: ReadDetailsOptions = {}): Promise<BackupDetails> {
	const {collected, visit} = collector(file);
	for (const path of extracted.xmlEntries) {
		await visit({path, type: 'file', size: 0, content: () => createReadStream(join(extracted.xmlDir, path), {highWaterMark: 1 << 16})});
	}
	// Bodies are only counted, never read.
	for (const [sha1, size] of extracted.bodies) await visit({path: `files/${sha1.slice(0, 2)}/${sha1}`, type: 'file', size, content: noContent});
	return detailsFrom(file, collected, extracted.archive, options);
}

async function detailsFrom(file: string, {manifest, tally, sawManifest, sawCartridgeManifest, xmlEntries}: Collected, summary: ArchiveSummary, options: ReadDetailsOptions): Promise<BackupDetails> {
	if (!sawManifest) throw missingManifestError(file, sawCartridgeManifest);
	if (manifest.information.moodle_version === undefined && manifest.information.name === undefined) {
		throw new XmlError(file, MANIFEST_ENTRY, 'no <moodle_backup><information> with backup details');
	}
	const {size: archiveBytes} = await fs.stat(file);

	const info = manifest.information;
	const text = (value: string | null | undefined): string => value ?? '';
	const number = (value: string | null | undefined): number => {
		const parsed = Number(value ?? '');
		return value === null || value === undefined || value === '' || !Number.isFinite(parsed) ? 0 : parsed;
	};
	const siteHash = text(info.original_site_identifier_hash);
	const activities = activityList(manifest);
	const sections = sectionList(manifest, tally.sectionFiles, activities);
	checkBackupParts(file, {sections, activities}, xmlEntries);
	const activitiesByType: Record<string, number> = {};
	for (const activity of activities) activitiesByType[activity.modulename] = (activitiesByType[activity.modulename] ?? 0) + 1;

	return {
		file,
		container: summary.container,
		name: text(info.name),
		type: text(manifest.detail.type),
		format: text(manifest.detail.format),
		mode: number(manifest.detail.mode),
		interactive: manifest.detail.interactive === '1',
		backupDate: number(info.backup_date),
		moodleVersion: text(info.moodle_version),
		moodleRelease: text(info.moodle_release),
		backupVersion: text(info.backup_version),
		backupRelease: text(info.backup_release),
		// Restore assumes files are included when the element is missing (backups before 2.6).
		includeFiles: info.include_files === undefined ? true : info.include_files === '1',
		includeFileReferencesToExternalContent: info.include_file_references_to_external_content === '1',
		mnetRemoteUsers: info.mnet_remoteusers === '1',
		originalWwwroot: text(info.original_wwwroot),
		originalSiteIdentifierHash: siteHash,
		fromThisSite: options.siteIdentifierHash === undefined ? null : options.siteIdentifierHash === siteHash,
		settings: manifest.rootSettings,
		course: {
			id: number(info.original_course_id),
			fullname: text(info.original_course_fullname),
			shortname: text(info.original_course_shortname),
			format: text(info.original_course_format),
			startdate: number(info.original_course_startdate),
			enddate: number(info.original_course_enddate),
			contextId: number(info.original_course_contextid),
		},
		sections,
		activities,
		counts: {
			users: tally.users,
			usersXml: tally.usersXml,
			files: tally.files,
			fileBytes: tally.fileBytes,
			blobs: tally.blobs,
			blobBytes: tally.blobBytes,
			questionCategories: tally.questionCategories,
			questions: tally.questions,
			groups: tally.groups,
			groupings: tally.groupings,
			groupMembers: tally.groupMembers,
			enrolMethods: tally.enrolMethods,
			userEnrolments: tally.userEnrolments,
			sections: sections.length,
			activities: activities.length,
			activitiesByType,
			archiveBytes,
			entries: summary.entries,
			entryBytes: summary.bytes,
		},
	};
}

/** A section or activity setting (`section_143_included`, `forum_445_userinfo`); Moodle omits excluded ones. */
function flag(manifest: Manifest, name: string): boolean {
	return (manifest.otherSettings[name] ?? '0') === '1';
}

function activityList(manifest: Manifest): BackupActivity[] {
	return manifest.activities.map((activity) => {
		const cmid = Number(activity.moduleid ?? 0);
		const modulename = activity.modulename ?? '';
		const key = `${modulename}_${cmid}`;
		return {
			cmid,
			sectionId: Number(activity.sectionid ?? 0),
			modulename,
			title: activity.title ?? '',
			directory: activity.directory ?? `activities/${key}`,
			included: flag(manifest, `${key}_included`),
			userinfo: flag(manifest, `${key}_userinfo`),
		};
	});
}

function sectionList(manifest: Manifest, sectionFiles: Map<number, SectionFile>, activities: BackupActivity[]): BackupSection[] {
	const sections = manifest.sections.map((section): BackupSection => {
		const id = Number(section.sectionid ?? 0);
		const sectionFile = sectionFiles.get(id);
		const sequence = sectionFile?.sequence ?? [];
		const position = (cmid: number): number => {
			const index = sequence.indexOf(cmid);
			return index === -1 ? Number.MAX_SAFE_INTEGER : index;
		};
		const own = activities.filter((activity) => activity.sectionId === id);
		own.sort((a, b) => position(a.cmid) - position(b.cmid));
		return {
			id,
			number: sectionFile?.number ?? null,
			title: section.title ?? sectionFile?.name ?? '',
			directory: section.directory ?? `sections/section_${id}`,
			visible: sectionFile?.visible ?? null,
			included: flag(manifest, `section_${id}_included`),
			userinfo: flag(manifest, `section_${id}_userinfo`),
			activities: own,
		};
	});
	// Stable sort: sections without a section.xml keep their manifest order, after the numbered ones.
	return sections.sort((a, b) => (a.number ?? Number.MAX_SAFE_INTEGER) - (b.number ?? Number.MAX_SAFE_INTEGER));
}
