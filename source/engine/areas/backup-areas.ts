import {createReadStream, createWriteStream} from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import {StoreError, UsageError} from '../errors.js';
import {CONTEXT_LEVEL, SYSTEM_CONTEXT_ID, contextIdFor, createContext} from '../store/contexts.js';
import type {Db} from '../store/db.js';
import {addFileRecords} from '../store/files-table.js';
import type {Site} from '../store/site.js';
import {AREA_FILEAREAS, areaNameOf, type BackupAreaName, type BackupAreaTarget} from './area-kinds.js';

export const BACKUP_MIMETYPE = 'application/vnd.moodle.backup';

/** One backup file in a backup area. */
export type AreaFile = {
	/** The `files` row id: what `mbz areas export|delete` take. */
	id: number;
	area: BackupAreaName;
	component: string;
	filearea: string;
	contextid: number;
	itemid: number;
	filename: string;
	filesize: number;
	contenthash: string;
	/** Who stored it (files.userid). */
	userid: number | null;
	timecreated: number;
	timemodified: number;
	/** The course the area belongs to (course, section, activity and automated areas). */
	courseId?: number;
	/** The course module (activity area). */
	cmid?: number;
	/** The owner of a private (user) area. */
	ownerUserId?: number;
};

export type StoreMeta = {
	/** Name in the area; a file with the same name there is replaced (Moodle does not version). */
	filename: string;
	/** Who stores it (files.userid); defaults to the area owner for user areas. */
	userId?: number;
	/** Unix time; now by default. */
	time?: number;
};

type AreaLocation = {contextid: number; component: string; filearea: string; itemid: number};

async function requireContext(db: Db, level: number, instanceId: number, what: string): Promise<number> {
	const id = await contextIdFor(db, level as typeof CONTEXT_LEVEL[keyof typeof CONTEXT_LEVEL], instanceId);
	if (id === undefined) throw new UsageError(`${what} ${instanceId} does not exist on this site`);
	return id;
}

async function locate(db: Db, target: BackupAreaTarget): Promise<AreaLocation> {
	const {component, filearea} = AREA_FILEAREAS[target.area];
	switch (target.area) {
		case 'course':
		case 'automated':
			return {contextid: await requireContext(db, CONTEXT_LEVEL.COURSE, target.courseId, 'course'), component, filearea, itemid: 0};
		case 'section':
			return {contextid: await requireContext(db, CONTEXT_LEVEL.COURSE, target.courseId, 'course'), component, filearea, itemid: target.sectionId};
		case 'activity':
			return {contextid: await requireContext(db, CONTEXT_LEVEL.MODULE, target.cmid, 'course module'), component, filearea, itemid: 0};
		case 'user': {
			const existing = await contextIdFor(db, CONTEXT_LEVEL.USER, target.userId);
			if (existing !== undefined) return {contextid: existing, component, filearea, itemid: 0};
			const user = await db.get('SELECT id FROM {user} WHERE id = ? AND deleted = 0', [target.userId]);
			if (!user) throw new UsageError(`user ${target.userId} does not exist on this site`);
			// Moodle creates user contexts lazily too (context_user::instance()).
			return {contextid: await createContext(db, CONTEXT_LEVEL.USER, target.userId, SYSTEM_CONTEXT_ID), component, filearea, itemid: 0};
		}
	}
}

/**
 * Stores a backup file in an area: the blob into the file pool, a `files` row (with Moodle's '.' directory row).
 * A file of the same name in the same area is replaced, as Moodle does.
 */
export async function storeInArea(site: Site, target: BackupAreaTarget, file: string, meta: StoreMeta): Promise<AreaFile> {
	const filename = meta.filename;
	if (filename === '' || filename.includes('/') || filename === '.') throw new UsageError(`"${filename}" is not a valid backup file name`);
	const time = meta.time ?? Math.floor(Date.now() / 1000);
	let staged;
	try {
		staged = await site.pool.stage(createReadStream(file));
	} catch (error) {
		await site.pool.discardStaged();
		throw error instanceof StoreError ? error : new StoreError(`cannot read ${file}: ${(error as Error).message}`);
	}
	let id: number;
	let replaced: string | undefined;
	try {
		id = await site.db.transaction(async tx => {
			const location = await locate(tx, target);
			const previous = await tx.get<{contenthash: string}>(
				'SELECT contenthash FROM {files} WHERE contextid = ? AND component = ? AND filearea = ? AND itemid = ? AND filepath = ? AND filename = ?',
				[location.contextid, location.component, location.filearea, location.itemid, '/', filename],
			);
			replaced = previous?.contenthash;
			await tx.run(
				'DELETE FROM {files} WHERE contextid = ? AND component = ? AND filearea = ? AND itemid = ? AND filepath = ? AND filename = ?',
				[location.contextid, location.component, location.filearea, location.itemid, '/', filename],
			);
			const userid = meta.userId ?? (target.area === 'user' ? target.userId : null);
			const [fileId] = await addFileRecords(tx, [{
				...location, filepath: '/', filename, contenthash: staged.sha1, filesize: staged.size, mimetype: BACKUP_MIMETYPE,
				userid, timecreated: time, timemodified: time, source: filename,
			}]);
			return fileId!;
		});
	} catch (error) {
		await site.pool.discardStaged();
		throw error;
	}
	await site.pool.promoteStaged();
	if (replaced !== undefined && replaced !== staged.sha1) await removeBlobIfUnused(site, replaced);
	const stored = await getAreaFile(site, id);
	if (!stored) throw new StoreError(`backup file ${id} vanished after being stored`);
	return stored;
}

type FileJoinRow = {
	id: number; component: string; filearea: string; contextid: number; itemid: number; filename: string; filesize: number;
	contenthash: string; userid: number | null; timecreated: number; timemodified: number; contextlevel: number; instanceid: number;
	cmcourse: number | null;
};

const SELECT_AREA_FILES = `SELECT f.id, f.component, f.filearea, f.contextid, f.itemid, f.filename, f.filesize, f.contenthash, f.userid,
	f.timecreated, f.timemodified, c.contextlevel, c.instanceid, cm.course AS cmcourse
	FROM {files} f
	JOIN {context} c ON c.id = f.contextid
	LEFT JOIN {course_modules} cm ON c.contextlevel = ${CONTEXT_LEVEL.MODULE} AND cm.id = c.instanceid
	WHERE f.filename <> '.' AND ((f.component = 'backup' AND f.filearea IN ('course', 'section', 'activity', 'automated'))
		OR (f.component = 'user' AND f.filearea = 'backup'))`;

function toAreaFile(row: FileJoinRow): AreaFile {
	const area = areaNameOf(row.component, row.filearea)!;
	const file: AreaFile = {
		id: Number(row.id), area, component: row.component, filearea: row.filearea, contextid: Number(row.contextid),
		itemid: Number(row.itemid), filename: row.filename, filesize: Number(row.filesize), contenthash: row.contenthash,
		userid: row.userid === null ? null : Number(row.userid), timecreated: Number(row.timecreated), timemodified: Number(row.timemodified),
	};
	const level = Number(row.contextlevel);
	if (level === CONTEXT_LEVEL.COURSE) file.courseId = Number(row.instanceid);
	if (level === CONTEXT_LEVEL.MODULE) {
		file.cmid = Number(row.instanceid);
		if (row.cmcourse !== null) file.courseId = Number(row.cmcourse);
	}
	if (level === CONTEXT_LEVEL.USER) file.ownerUserId = Number(row.instanceid);
	return file;
}

/** Course id a private-area file is about, from its Moodle name (`...-course-<id>-...`). */
function courseOfFilename(filename: string): number | undefined {
	const match = /moodle2-course-(\d+)-/u.exec(filename);
	return match ? Number(match[1]) : undefined;
}

/**
 * Every backup file in the site's backup areas, newest first. With `courseId`: the files of that course's
 * areas, plus private-area files whose name says they are backups of that course.
 */
export async function listAreas(site: Site, filter: {courseId?: number; area?: BackupAreaName} = {}): Promise<AreaFile[]> {
	// An unknown course is a mistake to say, not an empty list (a course deleted since keeps no area either).
	if (filter.courseId !== undefined && !(await site.db.get('SELECT id FROM {course} WHERE id = ?', [filter.courseId]))) {
		throw new UsageError(`course ${filter.courseId} does not exist on this site`);
	}
	const rows = await site.db.all<FileJoinRow>(`${SELECT_AREA_FILES} ORDER BY f.timemodified DESC, f.id DESC`);
	return rows.map(toAreaFile).filter(file => {
		if (filter.area !== undefined && file.area !== filter.area) return false;
		if (filter.courseId === undefined) return true;
		return (file.courseId ?? courseOfFilename(file.filename)) === filter.courseId;
	});
}

export async function getAreaFile(site: Site, fileId: number): Promise<AreaFile | undefined> {
	const row = await site.db.get<FileJoinRow>(`${SELECT_AREA_FILES} AND f.id = ?`, [fileId]);
	return row ? toAreaFile(row) : undefined;
}

async function requireAreaFile(site: Site, fileId: number): Promise<AreaFile> {
	const file = await getAreaFile(site, fileId);
	if (!file) throw new UsageError(`no backup file with id ${fileId} in the backup areas (see "mbz areas list")`);
	return file;
}

/**
 * Copies a backup file out of its area to `outPath` (a file, or an existing directory: the area name is kept).
 * Written under a temporary name and renamed when complete.
 */
export async function exportAreaFile(site: Site, fileId: number, outPath: string): Promise<{path: string; bytes: number}> {
	const file = await requireAreaFile(site, fileId);
	let target = outPath;
	const stat = await fs.stat(outPath).catch(() => undefined);
	if (stat?.isDirectory()) target = path.join(outPath, file.filename);
	const temporary = `${target}.part-${process.pid}`;
	try {
		await pipeline(site.pool.open(file.contenthash), createWriteStream(temporary));
		const written = await fs.stat(temporary);
		if (written.size !== file.filesize) throw new StoreError(`backup file ${fileId}: ${written.size} bytes read from the pool, ${file.filesize} expected`);
		await fs.rename(temporary, target);
	} catch (error) {
		await fs.rm(temporary, {force: true});
		if (error instanceof StoreError) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' && !(await site.pool.has(file.contenthash))) throw new StoreError(`backup file ${fileId}: blob ${file.contenthash} is missing from the file pool`);
		// The reason without the temporary name it was met on ("ENOENT: …, open '/x/y.mbz.part-123'").
		const reason = code === 'ENOENT' ? `no such directory: ${path.dirname(target)}`
			: code === 'EACCES' || code === 'EPERM' ? 'permission denied'
				: code === 'ENOSPC' ? 'no space left on the device' : (error as Error).message.replaceAll(temporary, target);
		throw new StoreError(`cannot write ${target}: ${reason}`);
	}
	return {path: target, bytes: file.filesize};
}

/** Deletes a backup file from its area, and its blob when no other file uses it. */
export async function deleteAreaFile(site: Site, fileId: number): Promise<AreaFile> {
	const file = await requireAreaFile(site, fileId);
	await site.db.run('DELETE FROM {files} WHERE id = ?', [file.id]);
	await removeBlobIfUnused(site, file.contenthash);
	return file;
}

/** Removes a blob from the pool when no `files` row references it any more. */
async function removeBlobIfUnused(site: Site, contenthash: string): Promise<void> {
	const other = await site.db.get('SELECT id FROM {files} WHERE contenthash = ?', [contenthash]);
	if (other === undefined) await fs.rm(site.pool.blobPath(contenthash), {force: true});
}
