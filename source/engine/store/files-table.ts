import {createHash} from 'node:crypto';
import type {Db, Row} from './db.js';
import {EMPTY_SHA1} from './file-pool.js';
import {completeRow} from './schema/rows.js';
import {forEachChunk} from './in-list.js';

/** A `files` row to add; the blob (contenthash) must already be staged or in the pool. */
export type FileRecord = {
	contextid: number;
	component: string;
	filearea: string;
	itemid: number;
	filepath: string;
	filename: string;
	contenthash: string;
	filesize: number;
	mimetype?: string | null;
	userid?: number | null;
	status?: number;
	source?: string | null;
	author?: string | null;
	license?: string | null;
	timecreated: number;
	timemodified?: number;
	sortorder?: number;
	referencefileid?: number | null;
};

/** Moodle's file_storage::get_pathname_hash(). */
export function pathnameHash(contextid: number, component: string, filearea: string, itemid: number, filepath: string, filename: string): string {
	return createHash('sha1').update(`/${contextid}/${component}/${filearea}/${itemid}${filepath}${filename}`).digest('hex');
}

/** '/a/b/' -> ['/', '/a/', '/a/b/']: the directories Moodle keeps a '.' row for. */
function directoryChain(filepath: string): string[] {
	const parts = filepath.split('/').filter(Boolean);
	const chain = ['/'];
	for (let index = 1; index <= parts.length; index++) chain.push(`/${parts.slice(0, index).join('/')}/`);
	return chain;
}

/**
 * Adds `files` rows (and the '.' directory rows Moodle keeps for every directory of an area),
 * skipping any whose path already exists (Moodle's pathnamehash is unique). Returns the id of each
 * record's row, in input order (an existing row's id when it was already there).
 */
export async function addFileRecords(db: Db, records: readonly FileRecord[]): Promise<number[]> {
	if (records.length === 0) return [];
	return db.transaction(async tx => {
		const wanted = new Map<string, Row>();
		const recordHashes: string[] = [];
		for (const record of records) {
			const timemodified = record.timemodified ?? record.timecreated;
			for (const directory of directoryChain(record.filepath)) {
				const hash = pathnameHash(record.contextid, record.component, record.filearea, record.itemid, directory, '.');
				if (wanted.has(hash)) continue;
				wanted.set(
					hash,
					completeRow('files', {
						contenthash: EMPTY_SHA1,
						pathnamehash: hash,
						contextid: record.contextid,
						component: record.component,
						filearea: record.filearea,
						itemid: record.itemid,
						filepath: directory,
						filename: '.',
						userid: record.userid ?? null,
						filesize: 0,
						timecreated: record.timecreated,
						timemodified,
					}),
				);
			}
			if (record.filename === '.') {
				recordHashes.push(pathnameHash(record.contextid, record.component, record.filearea, record.itemid, record.filepath, '.'));
				continue;
			}
			const hash = pathnameHash(record.contextid, record.component, record.filearea, record.itemid, record.filepath, record.filename);
			recordHashes.push(hash);
			wanted.set(
				hash,
				completeRow('files', {
					...record,
					pathnamehash: hash,
					timemodified,
					mimetype: record.mimetype ?? null,
					userid: record.userid ?? null,
				}),
			);
		}
		const ids = new Map<string, number>();
		const hashes = [...wanted.keys()];
		await forEachChunk(hashes, async (chunk, list) => {
			const existing = await tx.all<{id: number; pathnamehash: string}>(`SELECT id, pathnamehash FROM {files} WHERE pathnamehash IN (${list})`, chunk);
			for (const row of existing) ids.set(row.pathnamehash, Number(row.id));
		});
		const missing = hashes.filter(hash => !ids.has(hash));
		const newIds = await tx.insertMany('files', missing.map(hash => wanted.get(hash)!));
		missing.forEach((hash, index) => ids.set(hash, newIds[index]!));
		return recordHashes.map(hash => ids.get(hash)!);
	});
}

/** Guesses a MIME type from the file name, for the few kinds the site creates itself. */
export function mimetypeFor(filename: string): string {
	const extension = filename.toLowerCase().split('.').pop() ?? '';
	const types: Record<string, string> = {
		txt: 'text/plain',
		html: 'text/html',
		csv: 'text/csv',
		pdf: 'application/pdf',
		png: 'image/png',
		jpg: 'image/jpeg',
		jpeg: 'image/jpeg',
		gif: 'image/gif',
		svg: 'image/svg+xml',
		zip: 'application/zip',
		mp3: 'audio/mp3',
		json: 'application/json',
		odt: 'application/vnd.oasis.opendocument.text',
		docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	};
	return types[extension] ?? 'application/octet-stream';
}
