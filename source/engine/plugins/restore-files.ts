/**
 * Re-links the files of restored rows to their new context: files.xml is indexed once per restore (by source
 * context id), then each (component, filearea, old itemid) requested by the restored rows becomes a `files` row in
 * the new context with the new itemid. The blobs were put in the pool (staging) while the archive was read.
 */
import path from 'node:path';
import {EMPTY_SHA1} from '../store/file-pool.js';
import {addFileRecords, type FileRecord} from '../store/files-table.js';
import {readXmlFile, type XmlRecord} from '../xml/read-xml-records.js';
import type {FileRequest} from './restore-elements.js';
import {restoreCache} from './restored-rows.js';
import type {RestoreActivityContext} from './types.js';
import {notice} from '../notices.js';

type FilesIndex = Map<number, XmlRecord[]>;

async function filesIndex(ctx: RestoreActivityContext): Promise<FilesIndex> {
	const cache = restoreCache(ctx);
	const known = cache.filesByContext as FilesIndex | undefined;
	if (known) return known;
	const index: FilesIndex = new Map();
	try {
		for await (const record of readXmlFile(path.join(ctx.xmlDir, 'files.xml'), {file: ctx.file, entry: 'files.xml', paths: ['/files/file']})) {
			const contextId = Number(record.data.contextid);
			const list = index.get(contextId) ?? [];
			list.push(record);
			index.set(contextId, list);
		}
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
	}
	cache.filesByContext = index;
	return index;
}

const key = (component: string, filearea: string, itemid: number): string => `${component}\u0000${filearea}\u0000${itemid}`;

/** Creates the `files` rows of `requests`, from the source context `oldContextId`, in `newContextId`. Returns how many. */
export async function restoreFiles(ctx: RestoreActivityContext, oldContextId: number, newContextId: number, requests: readonly FileRequest[]): Promise<number> {
	if (requests.length === 0) return 0;
	const index = await filesIndex(ctx);
	const contextFiles = index.get(oldContextId) ?? [];
	if (contextFiles.length === 0) return 0;
	const wanted = new Map<string, number>();
	const itemnameOfArea = new Map<string, string>();
	for (const request of requests) {
		if ('itemname' in request) itemnameOfArea.set(key(request.component, request.filearea, 0), request.itemname);
		else wanted.set(key(request.component, request.filearea, request.oldItemid), request.newItemid);
	}
	/** The new itemid of a file of this context, or undefined when no restored row owns it. */
	const newItemidOf = (component: string, filearea: string, oldItemid: number): number | undefined => {
		const explicit = wanted.get(key(component, filearea, oldItemid));
		if (explicit !== undefined) return explicit;
		const itemname = itemnameOfArea.get(key(component, filearea, 0));
		return itemname === undefined ? undefined : ctx.idMap.get(itemname, oldItemid);
	};
	const records: FileRecord[] = [];
	for (const file of contextFiles) {
		const data = file.data;
		const newItemid = newItemidOf(data.component ?? '', data.filearea ?? '', Number(data.itemid));
		if (newItemid === undefined) continue;
		const contenthash = data.contenthash ?? EMPTY_SHA1;
		if (data.filename !== '.' && contenthash !== EMPTY_SHA1 && !ctx.staging.has(contenthash) && !(await ctx.pool.has(contenthash))) {
			ctx.warn(notice('fileWithoutContent', {file: ctx.file, path: `${data.filepath ?? ''}${data.filename ?? ''}`, component: data.component ?? '', filearea: data.filearea ?? ''}));
			continue;
		}
		const userid = data.userid === null || data.userid === undefined ? null : (ctx.idMap.get('user', Number(data.userid)) ?? null);
		records.push({
			contextid: newContextId,
			component: data.component ?? '',
			filearea: data.filearea ?? '',
			itemid: newItemid,
			filepath: data.filepath ?? '/',
			filename: data.filename ?? '.',
			contenthash,
			filesize: Number(data.filesize ?? 0),
			mimetype: data.mimetype ?? null,
			userid,
			status: Number(data.status ?? 0),
			source: data.source ?? null,
			author: data.author ?? null,
			license: data.license ?? null,
			timecreated: Number(data.timecreated ?? 0),
			timemodified: Number(data.timemodified ?? data.timecreated ?? 0),
			sortorder: Number(data.sortorder ?? 0),
		});
	}
	await addFileRecords(ctx.db, records);
	return records.filter(record => record.filename !== '.').length;
}
