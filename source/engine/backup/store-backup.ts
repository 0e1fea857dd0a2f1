import fs from 'node:fs';
import path from 'node:path';
import {storeInArea} from '../areas/backup-areas.js';
import type {BackupAreaTarget} from '../areas/area-kinds.js';
import {StoreError} from '../errors.js';
import {checkAborted, type BackupJob} from './job.js';
import type {BackupRequest, BackupResult} from './types.js';

type Stored = Pick<BackupResult, 'path' | 'areaFileId' | 'area' | 'bytes'>;

/**
 * Packs the archive where the request says: straight into a directory (temporary name, renamed when complete),
 * or into a backup area of the site (packed beside the temp dir, then stored in the file pool and removed).
 */
export async function storeBackup(job: BackupJob, request: BackupRequest, pack: (outFile: string) => Promise<number>): Promise<Stored> {
	const destination = request.destination;
	if ('dir' in destination) {
		await makeOutputDirectory(destination.dir);
		const outFile = path.join(destination.dir, job.filename);
		const bytes = await pack(outFile);
		return {path: outFile, bytes};
	}
	const packed = `${job.root}.mbz`;
	try {
		const bytes = await pack(packed);
		checkAborted(job.signal);
		const stored = await storeInArea(job.site, areaTarget(job, destination.area, request.userId ?? 2), packed, {
			filename: job.filename, userId: request.userId ?? 2,
		});
		return {areaFileId: stored.id, area: destination.area, bytes};
	} finally {
		await fs.promises.rm(packed, {force: true});
	}
}

function areaTarget(job: BackupJob, area: 'course' | 'user' | 'automated', userId: number): BackupAreaTarget {
	if (area === 'user') return {area: 'user', userId};
	if (area === 'automated') return {area: 'automated', courseId: job.courseId};
	if (job.type === 'section') return {area: 'section', courseId: job.courseId, sectionId: job.id};
	if (job.type === 'activity') return {area: 'activity', cmid: job.id};
	return {area: 'course', courseId: job.courseId};
}

/**
 * The output directory is made if missing, but not its parents: a mistyped path in a cron line (/srv/backpus/...)
 * must fail with a clear message rather than quietly grow a tree of directories somewhere.
 */
async function makeOutputDirectory(dir: string): Promise<void> {
	try {
		await fs.promises.mkdir(dir);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw new StoreError(`cannot write backups to ${dir}: ${path.dirname(path.resolve(dir))} does not exist`);
		if (code !== 'EEXIST') throw new StoreError(`cannot create ${dir}: ${(error as Error).message}`);
		if (!(await fs.promises.stat(dir)).isDirectory()) throw new StoreError(`cannot write backups to ${dir}: it is not a directory`);
	}
}
