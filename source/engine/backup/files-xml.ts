import fs from 'node:fs';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import type {Row} from '../store/db.js';
import {checkAborted, type BackupJob} from './job.js';
import {numberOf, writeFields, writeXmlFile, xmlValue} from './xml-file.js';
import {notice} from '../notices.js';
import {IN_LIST_SIZE, placeholders} from '../store/in-list.js';

const EMPTY_SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const FILE_FIELDS = [
	'contenthash', 'contextid', 'component', 'filearea', 'itemid', 'filepath', 'filename', 'userid', 'filesize',
	'mimetype', 'status', 'timecreated', 'timemodified', 'source', 'author', 'license', 'sortorder',
	'repositorytype', 'repositoryid', 'reference',
];

/** Files (directory rows not counted) with their total size, and the distinct bodies written under files/. */
export type FilesSummary = {files: number; bytes: number; blobs: number; externalReferences: boolean};

/**
 * files.xml (backup_final_files_structure_step): one <file> per annotated {files} row (directories included),
 * and — when files are included — each distinct content once under files/<h0h1>/<sha1>, copied from the pool.
 * A body missing from the pool is a warning, as Moodle's `missing_files_in_pool`.
 */
export async function writeFilesXml(job: BackupJob, includeFiles: boolean): Promise<FilesSummary> {
	const ids = job.annotations.ids('file');
	const written = new Set<string>();
	const summary: FilesSummary = {files: 0, bytes: 0, blobs: 0, externalReferences: false};
	await writeXmlFile(job.root, 'files.xml', job.encodeText, async writer => {
		writer.startTag('files');
		for (let start = 0; start < ids.length; start += IN_LIST_SIZE) {
			checkAborted(job.signal);
			const chunk = ids.slice(start, start + IN_LIST_SIZE);
			const rows = await job.db.all(
				`SELECT f.*, r.repositoryid AS ref_repositoryid, r.reference AS ref_reference, ri.type AS ref_repositorytype
				 FROM {files} f LEFT JOIN {files_reference} r ON r.id = f.referencefileid
				 LEFT JOIN {repository_instances} rinst ON rinst.id = r.repositoryid LEFT JOIN {repository} ri ON ri.id = rinst.typeid
				 WHERE f.id IN (${placeholders(chunk.length)}) ORDER BY f.id`,
				chunk,
			).catch(async () => job.db.all(`SELECT * FROM {files} WHERE id IN (${placeholders(chunk.length)}) ORDER BY id`, chunk));
			for (const file of rows) {
				const row: Row = {
					...file,
					repositorytype: file['ref_repositorytype'] ?? null,
					repositoryid: file['ref_repositoryid'] ?? null,
					reference: file['ref_reference'] ?? null,
				};
				if (job.anonymize && file['component'] === 'user') continue;
				// The author is a person's name: an anonymized backup must not carry it.
				if (job.anonymize && row['author'] !== undefined && row['author'] !== null) row['author'] = null;
				const external = row['repositoryid'] !== null;
				if (external) summary.externalReferences = true;
				writer.startTag('file', {id: xmlValue(file['id']) as number});
				writeFields(writer, row, FILE_FIELDS);
				writer.endTag('file');
				if (xmlValue(file['filename']) !== '.') {
					summary.files++;
					summary.bytes += numberOf(file['filesize']);
				}
				const sha1 = String(xmlValue(file['contenthash']));
				if (includeFiles && !external && sha1 !== EMPTY_SHA1 && xmlValue(file['filename']) !== '.' && !written.has(sha1)) {
					written.add(sha1);
					if (await copyBlob(job, sha1)) summary.blobs++;
				}
				await writer.flush();
			}
		}
		writer.endTag('files');
	});
	return summary;
}

async function copyBlob(job: BackupJob, sha1: string): Promise<boolean> {
	if (!/^[0-9a-f]{40}$/.test(sha1) || !await job.site.pool.has(sha1)) {
		job.warnings.push(notice('missingFromPool', {sha1}));
		return false;
	}
	const target = path.join(job.root, 'files', sha1.slice(0, 2), sha1);
	await fs.promises.mkdir(path.dirname(target), {recursive: true});
	// A hard link is enough when the pool is on the same file system: the archive only reads it.
	try {
		await fs.promises.link(job.site.pool.blobPath(sha1), target);
		return true;
	} catch {
		await pipeline(job.site.pool.open(sha1), fs.createWriteStream(target));
		return true;
	}
}
