/**
 * restoreActivity: one activities/<mod>_<cmid>/ directory of an extracted backup -> a course module, its module
 * context, the activity's rows (from its description), its files re-linked to the new context, and the common
 * per-activity files. Unknown types are skipped with a warning, never a crash.
 */
import path from 'node:path';
import {XmlError} from '../errors.js';
import {CONTEXT_LEVEL, createContext} from '../store/contexts.js';
import type {SqlValue} from '../store/db.js';
import {completeRow} from '../store/schema/rows.js';
import {readXmlFile, type XmlRecord} from '../xml/read-xml-records.js';
import {resolveTagId} from './common-elements.js';
import {remapAvailabilityGroups} from './availability.js';
import {COMMON_FILES} from './common-files.js';
import {pendingModuleCategories} from './question-bank.js';
import {getActivityPlugin} from './registry.js';
import {restoreDocument, type RestoreScope} from './restore-elements.js';
import {restoreFiles} from './restore-files.js';
import {recordRestoredRow} from './restored-rows.js';
import type {RestoreActivityContext, RestoreActivityResult} from './types.js';
import {notice} from '../notices.js';

async function firstRecord(xmlPath: string, ctx: RestoreActivityContext, entry: string, recordPath: string): Promise<XmlRecord> {
	for await (const record of readXmlFile(xmlPath, {file: ctx.file, entry, paths: [recordPath]})) return record;
	throw new XmlError(ctx.file, entry, `no <${recordPath.split('/').pop()}> element`);
}

const MODULE_COLUMNS = ['idnumber', 'added', 'score', 'indent', 'visible', 'visibleoncoursepage', 'visibleold', 'groupmode', 'completion', 'completiongradeitemnumber', 'completionpassgrade', 'completionview', 'completionexpected', 'availability', 'showdescription', 'downloadcontent', 'lang'];

/** module.xml `<tags>`: the course module's own tags (core/course_modules). */
async function restoreModuleTags(ctx: RestoreActivityContext, xmlPath: string, entry: string, cmid: number, contextId: number): Promise<void> {
	let ordering = 0;
	for await (const record of readXmlFile(xmlPath, {file: ctx.file, entry, paths: ['/module/tags/tag']})) {
		const rawname = record.data.rawname ?? record.data.name;
		if (!rawname) continue;
		const tagid = await resolveTagId({db: ctx.db, idMap: ctx.idMap, courseId: ctx.courseId, contextId, warn: ctx.warn}, rawname);
		const now = Math.floor(Date.now() / 1000);
		await ctx.db.insert('tag_instance', completeRow('tag_instance', {tagid, component: 'core', itemtype: 'course_modules', itemid: cmid, contextid: contextId, ordering: ordering++, timecreated: now, timemodified: now}));
	}
}

export async function restoreActivity(ctx: RestoreActivityContext, activityDirectory: string): Promise<RestoreActivityResult> {
	const directory = path.join(ctx.xmlDir, activityDirectory);
	const moduleEntry = `${activityDirectory}/module.xml`;
	const moduleRecord = await firstRecord(path.join(directory, 'module.xml'), ctx, moduleEntry, '/module');
	const modulename = moduleRecord.data.modulename ?? '';
	const plugin = getActivityPlugin(modulename);
	if (!plugin) {
		ctx.warn(notice('activityDirectoryUnsupported', {type: modulename, directory: activityDirectory}));
		return {skipped: notice('activityTypeUnsupported', {type: modulename}), modulename};
	}
	const moduleRow = await ctx.db.get<{id: number}>('SELECT id FROM {modules} WHERE name = ?', [modulename]);
	if (!moduleRow) {
		ctx.warn(notice('activityDirectoryNotInstalled', {type: modulename, directory: activityDirectory}));
		return {skipped: notice('activityTypeNotInstalled', {type: modulename}), modulename};
	}
	ctx.progress?.(activityDirectory);

	return ctx.db.transaction(async db => {
		const scopeCtx: RestoreActivityContext = {...ctx, db};
		const activityEntry = `${activityDirectory}/${modulename}.xml`;
		const activityXml = path.join(directory, `${modulename}.xml`);
		const activity = await firstRecord(activityXml, scopeCtx, activityEntry, '/activity');
		const oldCmid = Number(moduleRecord.attrs.id);
		const oldContextId = Number(activity.attrs.contextid);

		const data = moduleRecord.data;
		// restore_module_structure_step: the mapped section, else the course's section with the same number, else the default.
		const sameNumber = data.sectionnumber === undefined || data.sectionnumber === null ? undefined
			: await db.get<{id: number}>('SELECT id FROM {course_sections} WHERE course = ? AND section = ?', [ctx.courseId, Number(data.sectionnumber)]);
		const sectionId = ctx.idMap.get('course_section', Number(data.sectionid)) ?? (sameNumber ? Number(sameNumber.id) : undefined) ?? ctx.defaultSectionId;
		if (sectionId === undefined) throw new XmlError(ctx.file, moduleEntry, `section ${data.sectionid} was not restored`);
		const cmValues: Record<string, SqlValue> = {course: ctx.courseId, module: Number(moduleRow.id), instance: 0, section: sectionId};
		for (const column of MODULE_COLUMNS) if (column in data) cmValues[column] = data[column] ?? null;
		if (ctx.dateOffset && Number(cmValues.completionexpected) > 0) cmValues.completionexpected = Number(cmValues.completionexpected) + ctx.dateOffset;
		const grouping = Number(data.groupingid ?? 0);
		cmValues.groupingid = grouping > 0 ? (ctx.idMap.get('grouping', grouping) ?? 0) : 0;
		cmValues.availability = remapAvailabilityGroups(data.availability ?? null, ctx.idMap);
		const cmid = await db.insert('course_modules', completeRow('course_modules', cmValues));
		recordRestoredRow(ctx, 'course_modules', cmid);
		const contextId = await createContext(db, CONTEXT_LEVEL.MODULE, cmid, ctx.courseContextId);
		ctx.idMap.set('course_module', oldCmid, cmid);
		ctx.idMap.set('context', oldContextId, contextId);

		await restoreModuleTags(scopeCtx, path.join(directory, 'module.xml'), moduleEntry, cmid, contextId);

		const section = await db.get<{sequence: string | null}>('SELECT sequence FROM {course_sections} WHERE id = ?', [sectionId]);
		const sequence = section?.sequence ? `${section.sequence},${cmid}` : String(cmid);
		await db.run('UPDATE {course_sections} SET sequence = ? WHERE id = ?', [sequence, sectionId]);

		const documentRow: Record<string, SqlValue> = {id: null, instance: null, cmid, contextid: contextId, courseid: ctx.courseId, modulename};
		const scope: RestoreScope = {
			db,
			idMap: ctx.idMap,
			courseId: ctx.courseId,
			contextId,
			warn: ctx.warn,
			...(ctx.dateOffset ? {dateOffset: ctx.dateOffset} : {}),
			userinfo: ctx.userinfo,
			settings: ctx.settings,
			documentRow,
			onRow: (table, id) => recordRestoredRow(ctx, table, id),
		};
		const root = {...plugin.root, courseColumn: plugin.root.courseColumn ?? 'course'};
		// The instance row comes first; children link to it through documentRow.id once it exists.
		const restored = await restoreDocument({...scope, onRow: (table, id) => {
			if (documentRow.id === null && table === root.table) {
				documentRow.id = id;
				documentRow.instance = id;
			}
			scope.onRow?.(table, id);
		}}, ctx.file, activityXml, activityEntry, '/activity', [root]);
		const instanceId = restored.firstRootId;
		if (instanceId === undefined) throw new XmlError(ctx.file, activityEntry, `no <${modulename}> element`);
		await db.run('UPDATE {course_modules} SET instance = ? WHERE id = ?', [instanceId, cmid]);

		let fileRequests = restored.files;
		const rows: Record<string, number> = {};
		const tally = (counts: Map<string, number>): void => {
			for (const [table, n] of counts) rows[table] = (rows[table] ?? 0) + n;
		};
		tally(restored.counts);
		// The module's own question categories were restored into the course before it existed: move them in.
		const waiting = pendingModuleCategories(ctx).get(oldContextId);
		if (waiting) {
			for (const categoryId of waiting.categoryIds) await db.run('UPDATE {question_categories} SET contextid = ? WHERE id = ?', [contextId, categoryId]);
			fileRequests = fileRequests.concat(waiting.files);
			pendingModuleCategories(ctx).delete(oldContextId);
		}
		for (const common of COMMON_FILES) {
			const result = await restoreDocument(scope, ctx.file, path.join(directory, common.file), `${activityDirectory}/${common.file}`, `/${common.root}`, common.children).catch((error: unknown) => {
				if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // older backups lack some of these files
				throw error;
			});
			if (result) {
				fileRequests = fileRequests.concat(result.files);
				tally(result.counts);
			}
		}
		await restoreFiles(scopeCtx, oldContextId, contextId, fileRequests);

		const result = {cmid, modulename, instanceId, contextId, oldCmid, rows};
		await plugin.hooks?.afterRestore?.(scopeCtx, result);
		return result;
	});
}
