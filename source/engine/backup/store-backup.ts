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
		await fs.promises.mkdir(destination.dir, {recursive: true}).catch((error: Error) => {
			throw new StoreError(`cannot create ${destination.dir}: ${error.message}`);
		});
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
