/**
 * backupActivity: one course module -> activities/<mod>_<cmid>/ with module.xml, <mod>.xml (derived from the
 * type's description, inside Moodle's `<activity id moduleid modulename contextid>` wrapper), the common
 * per-activity files, grading.xml for types with grading areas, and inforef.xml listing what the activity refers to.
 */
import {createWriteStream} from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {StoreError, UsageError} from '../errors.js';
import {CONTEXT_LEVEL, contextIdFor} from '../store/contexts.js';
import type {SqlValue} from '../store/db.js';
import {XmlWriter} from '../xml/xml-writer.js';
import {annotateKey, writeChildren, type BackupScope} from './backup-elements.js';
import {COMMON_FILES} from './common-files.js';
import {getActivityPlugin} from './registry.js';
import type {AnnotationKind, BackedUpActivity, BackupActivityContext} from './types.js';

/** Inforef item types in Moodle's order (backup_helper::get_inforef_itemnames). */
const INFOREF_KINDS: readonly AnnotationKind[] = ['user', 'grouping', 'group', 'role', 'file', 'scale', 'outcome', 'grade_item', 'question_category'];

type Row = Record<string, SqlValue>;

async function writeXml(file: string, encodeText: ((text: string) => string) | undefined, write: (writer: XmlWriter) => Promise<void>): Promise<void> {
	const writer = new XmlWriter(createWriteStream(file), encodeText ? {encodeText} : {});
	await write(writer);
	await writer.end();
}

/** inforef.xml of one task: one `<kindref>` wrapper per kind that has annotations, ids ascending. */
export async function writeInforef(file: string, annotations: ReadonlyMap<AnnotationKind, ReadonlySet<number>>): Promise<void> {
	await writeXml(file, undefined, async writer => {
		writer.startTag('inforef');
		for (const kind of INFOREF_KINDS) {
			const ids = annotations.get(kind);
			if (!ids || ids.size === 0) continue;
			writer.startTag(`${kind}ref`);
			for (const id of [...ids].sort((a, b) => a - b)) {
				writer.startTag(kind);
				writer.fullTag('id', id);
				writer.endTag(kind);
			}
			writer.endTag(`${kind}ref`);
		}
		writer.endTag('inforef');
	});
}

const MODULE_FIELDS = ['idnumber', 'added', 'score', 'indent', 'visible', 'visibleoncoursepage', 'visibleold', 'groupmode', 'groupingid', 'completion', 'completiongradeitemnumber', 'completionpassgrade', 'completionview', 'completionexpected', 'availability', 'showdescription', 'downloadcontent', 'lang'];

const xmlValue = (value: SqlValue | undefined): string | number | null | undefined => (value === undefined ? undefined : Buffer.isBuffer(value) ? value.toString('utf8') : typeof value === 'bigint' ? Number(value) : value);

export async function backupActivity(ctx: BackupActivityContext, cmid: number): Promise<BackedUpActivity> {
	const cm = await ctx.db.get<Row>('SELECT cm.*, m.name AS modulename FROM {course_modules} cm JOIN {modules} m ON m.id = cm.module WHERE cm.id = ?', [cmid]);
	if (!cm) throw new UsageError(`course module ${cmid} does not exist`);
	const modulename = String(cm.modulename);
	const plugin = getActivityPlugin(modulename);
	if (!plugin) throw new UsageError(`activity type "${modulename}" (course module ${cmid}) is not supported`);
	const contextId = await contextIdFor(ctx.db, CONTEXT_LEVEL.MODULE, cmid);
	if (contextId === undefined) throw new StoreError(`course module ${cmid} has no context`);
	const instanceId = Number(cm.instance);
	const instance = await ctx.db.get<Row>(`SELECT * FROM {${plugin.root.table}} WHERE id = ?`, [instanceId]);
	if (!instance) throw new StoreError(`${modulename} ${instanceId} of course module ${cmid} does not exist`);
	const section = await ctx.db.get<{id: number; section: number}>('SELECT id, section FROM {course_sections} WHERE id = ?', [cm.section ?? null]);
	const version = await ctx.db.get<{value: string}>("SELECT value FROM {config_plugins} WHERE plugin = ? AND name = 'version'", [`mod_${modulename}`]);

	const directory = `activities/${modulename}_${cmid}`;
	const out = path.join(ctx.outDir, directory);
	await fs.mkdir(out, {recursive: true});

	const annotations = new Map<AnnotationKind, Set<number>>();
	const annotate = (kind: AnnotationKind, id: number): void => {
		if (!(id > 0)) return;
		let ids = annotations.get(kind);
		if (!ids) annotations.set(kind, (ids = new Set()));
		if (ids.has(id)) return;
		ids.add(id);
		ctx.annotate(kind, id);
	};

	await writeXml(path.join(out, 'module.xml'), ctx.encodeLinks, async writer => {
		writer.startTag('module', {id: cmid, version: version ? Number(version.value) : plugin.version});
		writer.fullTag('modulename', modulename);
		writer.fullTag('sectionid', section ? Number(section.id) : 0);
		writer.fullTag('sectionnumber', section ? Number(section.section) : 0);
		for (const field of MODULE_FIELDS) writer.fullTag(field, xmlValue(cm[field]));
		writer.startTag('tags');
		const tags = await ctx.db.all<{id: number; name: string; rawname: string}>(
			"SELECT ti.id, tg.name, tg.rawname FROM {tag_instance} ti JOIN {tag} tg ON tg.id = ti.tagid WHERE ti.component = 'core' AND ti.itemtype = 'course_modules' AND ti.itemid = ? ORDER BY ti.ordering, ti.id",
			[cmid],
		);
		for (const tag of tags) {
			writer.startTag('tag', {id: Number(tag.id)});
			writer.fullTag('name', tag.name);
			writer.fullTag('rawname', tag.rawname);
			writer.endTag('tag');
		}
		writer.endTag('tags');
		writer.endTag('module');
	});
	await annotateKey({db: ctx.db, annotate}, 'grouping', cm.groupingid ?? null);

	const documentRow: Row = {id: instanceId, instance: instanceId, cmid, contextid: contextId, courseid: cm.course ?? null, modulename};
	const scope: BackupScope = {db: ctx.db, userinfo: ctx.userinfo, settings: ctx.settings, contextId, documentRow, annotate};

	await writeXml(path.join(out, `${modulename}.xml`), ctx.encodeLinks, async writer => {
		writer.startTag('activity', {id: instanceId, moduleid: cmid, modulename, contextid: contextId});
		await writeChildren(scope, writer, [{...plugin.root, link: {column: 'id', parentColumn: 'instance'}}], documentRow);
		writer.endTag('activity');
	});

	for (const common of COMMON_FILES) {
		if (common.file === 'completion.xml' && (!ctx.userinfo || ctx.settings.userscompletion === false)) continue;
		await writeXml(path.join(out, common.file), ctx.encodeLinks, async writer => {
			writer.startTag(common.root);
			await writeChildren(scope, writer, common.children, documentRow);
			writer.endTag(common.root);
		});
	}
	if (plugin.gradingAreas) {
		await writeXml(path.join(out, 'grading.xml'), undefined, async writer => {
			writer.startTag('areas');
			writer.endTag('areas');
		});
	}
	await writeInforef(path.join(out, 'inforef.xml'), annotations);

	return {directory, modulename, title: String(instance.name ?? ''), sectionid: section ? Number(section.id) : 0, moduleid: cmid, instanceId, contextId};
}
