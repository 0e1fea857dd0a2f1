/**
 * The backup direction derived from a description: rows -> XML in Moodle's element order (leaf fields, then each
 * child's wrapper and rows), with the cross-cutting references (users, groups, files, ...) annotated for
 * inforef.xml. Wrappers are always written, even empty, as Moodle does.
 */
import type {Db, SqlValue} from '../store/db.js';
import type {XmlWriter} from '../xml/xml-writer.js';
import {fieldColumn, fieldXmlName, isGroup, isIncluded} from './element-tree.js';
import type {ActivitySettings, AnnotationKind, ChildSpec, ElementSpec, ForeignKey} from './types.js';
import {placeholders} from '../store/in-list.js';

export type BackupScope = {
	db: Db;
	userinfo: boolean;
	settings: ActivitySettings;
	/** Context whose `contextColumn` rows belong to the document (the module context). */
	contextId: number;
	/** The document's own parent values (id/instance, cmid, contextid, courseid, modulename). */
	documentRow: Record<string, SqlValue>;
	annotate(kind: AnnotationKind, id: number): void;
};

type Row = Record<string, SqlValue>;

const ANNOTATED: Partial<Record<string, AnnotationKind>> = {user: 'user', group: 'group', grouping: 'grouping', question_category: 'question_category', grade_item: 'grade_item', role: 'role'};

/** Annotates what a key points at, plus what Moodle brings with it (a grouping's groups, a category's parents). */
export async function annotateKey(scope: Pick<BackupScope, 'db' | 'annotate'>, kind: ForeignKey, value: SqlValue): Promise<void> {
	if (value === null || value === '' || typeof kind !== 'string') return;
	const id = Number(value);
	if (kind === 'scale') {
		if (id < 0) scope.annotate('scale', -id);
		return;
	}
	const annotation = ANNOTATED[kind];
	if (!annotation || !(id > 0)) return;
	scope.annotate(annotation, id);
	if (kind === 'grouping') {
		const groups = await scope.db.all<{groupid: number}>('SELECT groupid FROM {groupings_groups} WHERE groupingid = ? ORDER BY groupid', [id]);
		for (const group of groups) scope.annotate('group', Number(group.groupid));
	}
	// A question category brings its parents (backup_calculate_question_categories).
	if (kind === 'question_category') {
		const row = await scope.db.get<{parent: number}>('SELECT parent FROM {question_categories} WHERE id = ?', [id]);
		if (row && Number(row.parent) > 0) await annotateKey(scope, kind, Number(row.parent));
	}
}

/** Parents whose children are fetched together: one query per child element per chunk instead of one per parent. */
const PARENT_CHUNK = 20;

/** The value `spec`'s link column must equal for the rows under `parent`. */
function linkValue(spec: ElementSpec, parent: Row, scope: BackupScope): SqlValue {
	const column = spec.link!.parentColumn ?? 'id';
	return spec.link!.reverse ? parent[column] ?? null : parent[column] ?? scope.documentRow[column] ?? null;
}

/**
 * SELECT of the rows of `spec` under one parent, or under several parents at once when `linkValues` is given
 * (`t.<link> IN (...)`, the caller splits the rows by their link column; within each parent the order is the same).
 */
function rowsQuery(spec: ElementSpec, parent: Row, scope: BackupScope, linkValues?: readonly SqlValue[]): {sql: string; params: SqlValue[]} {
	const conditions: string[] = [];
	const params: SqlValue[] = [];
	if (spec.link) {
		if (linkValues) {
			conditions.push(`t.${spec.link.column} IN (${placeholders(linkValues.length)})`);
			params.push(...linkValues);
		} else {
			conditions.push(`t.${spec.link.column} = ?`);
			params.push(linkValue(spec, parent, scope));
		}
	}
	for (const [column, key] of Object.entries(spec.match ?? {})) {
		conditions.push(`t.${column} = ?`);
		params.push(parent[key] ?? scope.documentRow[key] ?? null);
	}
	if (spec.contextColumn) {
		conditions.push(`t.${spec.contextColumn} = ?`);
		params.push(scope.contextId);
	}
	for (const [column, value] of Object.entries(spec.constants ?? {})) {
		conditions.push(`t.${column} = ?`);
		params.push(value);
	}
	if (spec.userDataColumn && !scope.userinfo) conditions.push(`(t.${spec.userDataColumn} IS NULL OR t.${spec.userDataColumn} = 0)`);
	if (spec.backupWhere) {
		conditions.push(
			`(${spec.backupWhere.replace(/:(\w+)/g, (_whole, name: string) => {
				params.push(scope.documentRow[name] ?? null);
				return '?';
			})})`,
		);
	}
	const where = conditions.length > 0 ? conditions.join(' AND ') : '1 = 1';
	const virtual = Object.entries(spec.virtualColumns ?? {}).map(([name, expression]) => `, (${expression}) AS ${name}`).join('');
	return {sql: `SELECT t.*${virtual} FROM {${spec.table}} t WHERE ${where} ORDER BY ${spec.backupOrder ?? 't.id'}`, params};
}

/** Whether the rows of `spec` under many parents can be read in one query: a plain link from the child to its parent, nothing else parent-specific. */
function fetchesInChunks(spec: ElementSpec): boolean {
	return spec.link !== undefined && !spec.link.reverse && spec.match === undefined;
}

const keyOf = (value: SqlValue | undefined): string => (value === null || value === undefined ? '' : Buffer.isBuffer(value) ? value.toString('utf8') : String(value));

/** The rows of one child element for a chunk of parents, by link value, each list in the element's own order. */
type ChildRows = {byLink: Map<string, Row[]>};

async function fetchChildRows(scope: BackupScope, spec: ElementSpec, parents: readonly Row[]): Promise<ChildRows> {
	const values = [...new Set(parents.map(parent => linkValue(spec, parent, scope)).filter(value => value !== null))];
	const byLink = new Map<string, Row[]>();
	if (values.length === 0) return {byLink};
	const {sql, params} = rowsQuery(spec, parents[0]!, scope, values);
	for (const row of await scope.db.all<Row>(sql, params)) {
		const key = keyOf(row[spec.link!.column]);
		let list = byLink.get(key);
		if (!list) byLink.set(key, (list = []));
		list.push(row);
	}
	return {byLink};
}

/** Children of a chunk of rows that take part and can be fetched for the whole chunk. */
function chunkedChildren(children: readonly ChildSpec[], scope: BackupScope, into: ElementSpec[] = []): ElementSpec[] {
	for (const child of children) {
		if (isGroup(child)) chunkedChildren(child.children, scope, into);
		else if (!child.restoreOnly && isIncluded(child, scope.userinfo, scope.settings) && fetchesInChunks(child)) into.push(child);
	}
	return into;
}

/** Annotates the files of `spec`'s areas for a chunk of its rows: one query per area. */
async function annotateFiles(scope: BackupScope, spec: ElementSpec, rows: readonly Row[]): Promise<void> {
	for (const area of spec.files ?? []) {
		const ids = area.itemid === 0 ? [0] : [...new Set(rows.map(row => Number(row.id)))];
		const files = await scope.db.all<{id: number}>(
			`SELECT id FROM {files} WHERE contextid = ? AND component = ? AND filearea = ? AND itemid IN (${placeholders(ids.length)})`,
			[scope.contextId, area.component, area.filearea, ...ids],
		);
		for (const file of files) scope.annotate('file', Number(file.id));
	}
}

/** Prefetched rows of the chunked children of the row being written. */
type Prefetched = Map<ElementSpec, ChildRows>;

async function writeRows(scope: BackupScope, writer: XmlWriter, spec: ElementSpec, rows: readonly Row[]): Promise<void> {
	const chunked = chunkedChildren(spec.children ?? [], scope);
	for (let start = 0; start < rows.length; start += PARENT_CHUNK) {
		const chunk = rows.slice(start, start + PARENT_CHUNK);
		const prefetched: Prefetched = new Map();
		for (const child of chunked) prefetched.set(child, await fetchChildRows(scope, child, chunk));
		if (spec.files?.length) await annotateFiles(scope, spec, chunk);
		for (const row of chunk) {
			writer.startTag(spec.name, spec.noId ? undefined : {id: Number(row.id)});
			for (const field of spec.fields) {
				const value = row[fieldColumn(field)];
				writer.fullTag(fieldXmlName(field), value === undefined ? undefined : Buffer.isBuffer(value) ? value.toString('utf8') : typeof value === 'bigint' ? Number(value) : value);
			}
			for (const [column, kind] of Object.entries(spec.foreignKeys ?? {})) await annotateKey(scope, kind, row[column] ?? null);
			if (spec.annotateAs) scope.annotate(spec.annotateAs, Number(row.id));
			await writeChildrenOf(scope, writer, spec.children ?? [], row, prefetched);
			writer.endTag(spec.name);
			await writer.flush();
		}
	}
}

/** Writes the children of a row (or of the document when `parent` is the document row). */
export async function writeChildren(scope: BackupScope, writer: XmlWriter, children: readonly ChildSpec[], parent: Row): Promise<void> {
	await writeChildrenOf(scope, writer, children, parent, new Map());
}

async function writeChildrenOf(scope: BackupScope, writer: XmlWriter, children: readonly ChildSpec[], parent: Row, prefetched: Prefetched): Promise<void> {
	for (const child of children) {
		if (isGroup(child)) {
			if (child.when && !child.when(parent)) continue;
			writer.startTag(child.group);
			await writeChildrenOf(scope, writer, child.children, parent, prefetched);
			writer.endTag(child.group);
			continue;
		}
		if (child.restoreOnly) continue;
		if (child.wrapper) writer.startTag(child.wrapper);
		if (isIncluded(child, scope.userinfo, scope.settings)) {
			const fetched = prefetched.get(child);
			let rows: readonly Row[];
			if (fetched) {
				rows = fetched.byLink.get(keyOf(linkValue(child, parent, scope))) ?? [];
			} else {
				const {sql, params} = rowsQuery(child, parent, scope);
				rows = await scope.db.all<Row>(sql, params);
			}
			await writeRows(scope, writer, child, rows);
		}
		if (child.wrapper) writer.endTag(child.wrapper);
	}
}
