/**
 * The restore direction derived from a description: XML records -> rows. Parents are inserted before their
 * children (the reader emits them first), every foreign key goes through the id map, keys to rows of the same
 * document that do not exist yet are fixed up at the end, and the file areas of each row are collected so the
 * caller can re-link the files to the new context.
 */
import type {Db, SqlValue} from '../store/db.js';
import type {IdMap} from '../store/id-map.js';
import {completeRow} from '../store/schema/rows.js';
import {readXmlFile} from '../xml/read-xml-records.js';
import {IdReservations} from './id-reservations.js';
import {elementPaths, fieldColumn, fieldXmlName, isIncluded, itemnameOf} from './element-tree.js';
import {EXISTING_ROW, ExistingRow, type ActivitySettings, type ChildSpec, type ElementSpec, type ForeignKey, type RowScope} from './types.js';

/**
 * One file area to re-link: files of (component, filearea, old itemid) get the new itemid; or, for an area whose
 * itemid is the id of a restored row, every file of the area gets the new id the id map gives its old itemid
 * under `itemname` (one request per area instead of one per row: a forum has two areas per post).
 */
export type FileRequest =
	| {component: string; filearea: string; oldItemid: number; newItemid: number}
	| {component: string; filearea: string; itemname: string};

export type RestoreScope = RowScope & {
	userinfo: boolean;
	settings: ActivitySettings;
	/** Values of the document's own parent (the activity: id/instance, cmid, contextid, courseid, modulename). */
	documentRow: Record<string, SqlValue>;
	/** Records the id of every row created, per table (content-link decoding reads it). */
	onRow?(table: string, newId: number): void;
};

export type RestoreDocumentResult = {files: FileRequest[]; counts: Map<string, number>; firstRootId?: number};

type RowState = Record<string, SqlValue>;
type Deferred = {table: string; column: string; item: string; oldTarget: number; rowId: number};

const EMPTY = new Set(['', null, undefined]);

/** Resolves one named foreign key through the id map. undefined = not restored. */
export async function resolveForeignKey(kind: ForeignKey, value: number, scope: RowScope): Promise<number | undefined> {
	if (typeof kind !== 'string') return scope.idMap.get(kind.item, value);
	switch (kind) {
		case 'scale': {
			if (value >= 0) return value; // a maximum grade, not a scale
			const mapped = scope.idMap.get('scale', -value);
			return mapped === undefined ? undefined : -mapped;
		}
		case 'course':
			return scope.idMap.get('course', value) ?? scope.courseId;
		case 'context':
			return scope.idMap.get('context', value) ?? scope.contextId;
		default:
			return scope.idMap.get(kind, value);
	}
}

/** Values <= 0 are "none"/special markers in Moodle (groupid -1, scale 0, parent 0) and are kept as they are. */
function needsMapping(kind: ForeignKey, value: number): boolean {
	return kind === 'scale' ? value < 0 : value > 0;
}

/** What readRecords needs of a description for every record, worked out once per element instead of per record. */
type ElementShape = {
	fields: Array<readonly [xml: string, column: string]>;
	foreignKeys: Array<readonly [column: string, kind: ForeignKey]>;
	match: Array<readonly [column: string, key: string]>;
	virtualColumns: string[];
};
const shapes = new WeakMap<ElementSpec, ElementShape>();

function shapeOf(spec: ElementSpec): ElementShape {
	let shape = shapes.get(spec);
	if (!shape) {
		shape = {
			fields: spec.fields.map((field) => [fieldXmlName(field), fieldColumn(field)] as const),
			foreignKeys: Object.entries(spec.foreignKeys ?? {}),
			match: Object.entries(spec.match ?? {}),
			virtualColumns: Object.keys(spec.virtualColumns ?? {}),
		};
		shapes.set(spec, shape);
	}
	return shape;
}

/** Rows buffered before they are written (one insertMany per table): enough to amortise the statements, little memory. */
const FLUSH_ROWS = 1000;
/** Rows per batched UPDATE of deferred keys. */
const UPDATE_ROWS = 500;

/** Where a column's value comes from: the parent row, the parent row else the document row, the document row. */
type ValueSource = 'parent' | 'parentOrDocument' | 'document';

/** A row read and waiting in the buffer: complete but for keys to rows of this document not read yet. */
type Buffered = {row: Record<string, SqlValue>; pending: Array<{column: string; item: string; oldTarget: number}> | undefined};

/** Deferred keys grouped per table and column, each chunk written with one UPDATE joined to a VALUES list. */
async function applyFixups(db: Db, fixes: readonly {table: string; column: string; rowId: number; value: number}[]): Promise<void> {
	const groups = new Map<string, Array<{rowId: number; value: number}>>();
	for (const fix of fixes) {
		const key = `${fix.table}\u0000${fix.column}`;
		let list = groups.get(key);
		if (!list) groups.set(key, list = []);
		list.push({rowId: fix.rowId, value: fix.value});
	}
	for (const [key, list] of groups) {
		const [table, column] = key.split('\u0000') as [string, string];
		for (let start = 0; start < list.length; start += UPDATE_ROWS) {
			const chunk = list.slice(start, start + UPDATE_ROWS);
			const params: SqlValue[] = [];
			for (const item of chunk) params.push(item.rowId, item.value);
			// A join on a VALUES list (columns column1, column2 in SQLite and PostgreSQL alike) finds each row by its
			// key, where a CASE would compare every row with every WHEN. Fix-ups are ids: the casts give PostgreSQL
			// the parameters' type.
			const values = chunk.map(() => '(CAST(? AS BIGINT), CAST(? AS BIGINT))').join(', ');
			await db.run(`UPDATE {${table}} SET ${column} = fix.column2 FROM (VALUES ${values}) AS fix WHERE {${table}}.id = fix.column1`, params);
		}
	}
}

/** The row as the table takes it: values only read on restore (virtual columns) left out. */
function storedRow(spec: ElementSpec, row: Record<string, SqlValue>): Record<string, SqlValue> {
	const virtual = shapeOf(spec).virtualColumns;
	if (virtual.length === 0) return completeRow(spec.table, row);
	const stored = {...row};
	for (const name of virtual) delete stored[name];
	return completeRow(spec.table, stored);
}

/**
 * Restores one XML document described by `children` under `rootPath` (e.g. '/activity' + the plugin root).
 * Top-level elements link to `scope.documentRow` (the activity: id/instance, cmid, contextid, ...).
 * Each row gets its new id as it is read (reserved from the database), so parents, children and keys to rows
 * read earlier are filled in at once; rows are then written in batches, one insertMany per table, while the
 * XML goes on being read. Only keys to rows read later (a discussion's first post) wait: filled in before the
 * row is written when the target was read by then, else by an UPDATE at the end.
 */
export async function restoreDocument(scope: RestoreScope, file: string, xmlPath: string, entry: string, rootPath: string, children: readonly ChildSpec[]): Promise<RestoreDocumentResult> {
	const include = (spec: ElementSpec): boolean => !spec.backupOnly && isIncluded(spec, scope.userinfo, scope.settings);
	const entries = elementPaths(children, rootPath, include);
	const byPath = new Map(entries.map(item => [item.path, item]));
	const entryOf = new Map(entries.map(item => [item.spec, item]));
	const descendants = new Map<ElementSpec, ElementSpec[]>();
	for (const item of entries) {
		for (let parent = item.parent; parent; parent = entryOf.get(parent)?.parent) {
			const list = descendants.get(parent) ?? [];
			list.push(item.spec);
			descendants.set(parent, list);
		}
	}
	const state = new Map<ElementSpec, RowState>();
	const deferred: Deferred[] = [];
	const files: FileRequest[] = [];
	/** Areas whose itemids are ids of rows restored here, once each (component, filearea -> itemname). */
	const rowAreas = new Map<string, FileRequest>();
	const counts = new Map<string, number>();
	const ids = new IdReservations(scope.db);
	let firstRootId: number | undefined;
	/** Rows read and not written yet, per table in the order tables first appear (parents before children). */
	let buffer = new Map<string, Buffered[]>();
	let buffered = 0;

	/** Everything known once a row has its new id: id map, counts, files. */
	const recordRow = (spec: ElementSpec, newId: number, oldId: number | undefined, mapParent: number | null, isRoot: boolean): void => {
		counts.set(spec.table, (counts.get(spec.table) ?? 0) + 1);
		scope.onRow?.(spec.table, newId);
		if (oldId !== undefined) scope.idMap.set(itemnameOf(spec), oldId, newId, mapParent);
		if (isRoot && firstRootId === undefined) firstRootId = newId;
		for (const area of spec.files ?? []) {
			if (area.itemid === 0) files.push({component: area.component, filearea: area.filearea, oldItemid: 0, newItemid: 0});
			else if (oldId !== undefined && !rowAreas.has(`${area.component}/${area.filearea}`)) {
				rowAreas.set(`${area.component}/${area.filearea}`, {component: area.component, filearea: area.filearea, itemname: itemnameOf(spec)});
			}
		}
	};

	const valueFrom = (parentState: RowState, key: string, from: ValueSource): SqlValue => {
		if (from === 'document') return scope.documentRow[key] ?? null;
		return parentState[key] ?? (from === 'parentOrDocument' ? scope.documentRow[key] : undefined) ?? null;
	};

	/** Writes one batch; keys to rows read since are filled in first, the others wait for the end. */
	const writeBatch = async (batch: Map<string, Buffered[]>): Promise<void> => {
		for (const [table, list] of batch) {
			const rows = list.map(({row, pending}) => {
				for (const key of pending ?? []) {
					const target = scope.idMap.get(key.item, key.oldTarget);
					if (target !== undefined) row[key.column] = target;
					else deferred.push({table, column: key.column, item: key.item, oldTarget: key.oldTarget, rowId: Number(row.id)});
				}
				return row;
			});
			await scope.db.insertMany(table, rows);
		}
	};

	// A full buffer is written while the XML goes on being read (the database works on its own thread).
	let writing: Promise<void> | undefined;
	const startFlush = async (): Promise<void> => {
		const previous = writing;
		writing = undefined;
		if (previous) await previous;
		if (buffered === 0) return;
		const batch = buffer;
		buffer = new Map();
		buffered = 0;
		writing = writeBatch(batch);
		writing.catch(() => undefined); // awaited (and its error thrown) by the next flush
	};
	/** Everything read so far is written. */
	const flush = async (): Promise<void> => {
		await startFlush();
		const last = writing;
		writing = undefined;
		if (last) await last;
	};

	try {
		await readRecords();
		await flush();
	} finally {
		// On an error, the batch being written finishes before the caller rolls back: nothing writes after it.
		if (writing) await writing.catch(() => undefined);
		await ids.release();
	}

	const fixups: Array<{table: string; column: string; rowId: number; value: number}> = [];
	for (const fix of deferred) {
		const target = scope.idMap.get(fix.item, fix.oldTarget);
		if (target !== undefined) fixups.push({table: fix.table, column: fix.column, rowId: fix.rowId, value: target});
	}
	await applyFixups(scope.db, fixups);
	return {files: [...files, ...rowAreas.values()], counts, firstRootId};

	async function readRecords(): Promise<void> {
		for await (const record of readXmlFile(xmlPath, {file, entry, paths: entries.map(item => item.path)})) {
			const item = byPath.get(record.path);
			if (!item) continue;
			const {spec, parent} = item;
			for (const below of descendants.get(spec) ?? []) state.delete(below);
			state.delete(spec);
			const parentState = parent ? state.get(parent) : scope.documentRow;
			if (!parentState) continue; // the parent row was skipped, so is this one

			if (spec.userDataColumn && !scope.userinfo && Number(record.data[spec.userDataColumn] ?? 0) > 0) continue;

			// Elements with hooks (resolve, afterInsert, a key written back into the parent) are inserted one by one,
			// after everything before them: their hooks may read the rows already restored.
			const underExisting = Boolean(parentState[EXISTING_ROW]);
			const immediate = Boolean(spec.resolve || spec.afterInsert || (spec.link?.reverse && parent) || (underExisting && spec.existing));
			if (immediate) await flush();

			const shape = shapeOf(spec);
			const row: Record<string, SqlValue> = {};
			for (const [xml, column] of shape.fields) {
				const value = record.data[xml];
				if (value !== undefined) row[column] = value;
			}
			if (spec.link && !spec.link.reverse) row[spec.link.column] = valueFrom(parentState, spec.link.parentColumn ?? 'id', 'parent');
			for (const [column, key] of shape.match) row[column] = valueFrom(parentState, key, 'parentOrDocument');
			if (spec.courseColumn) row[spec.courseColumn] = scope.courseId;
			if (spec.rootColumn) row[spec.rootColumn] = valueFrom(parentState, 'id', 'document');
			if (spec.contextColumn) row[spec.contextColumn] = scope.contextId;
			Object.assign(row, spec.constants ?? {});
			if (scope.dateOffset) {
				for (const column of spec.dates ?? []) {
					const value = Number(row[column]);
					if (row[column] !== null && row[column] !== undefined && value > 0) row[column] = value + scope.dateOffset;
				}
			}

			let pending: Buffered['pending'];
			let skip = false;
			for (const [column, kind] of shape.foreignKeys) {
				const raw = row[column];
				if (EMPTY.has(raw as string | null)) {
					if (spec.requiredKeys?.includes(column)) skip = true;
					continue;
				}
				const value = Number(raw);
				if (!needsMapping(kind, value)) {
					if (spec.requiredKeys?.includes(column)) skip = true;
					continue;
				}
				const mapped = await resolveForeignKey(kind, value, scope);
				if (mapped !== undefined) {
					row[column] = mapped;
				} else if (typeof kind !== 'string') {
					// A row of this document read later (or never): 0 until then.
					row[column] = 0;
					(pending ??= []).push({column, item: kind.item, oldTarget: value});
				} else if (spec.requiredKeys?.includes(column)) {
					skip = true;
				} else {
					row[column] = 0;
				}
			}
			if (skip) continue;
			const oldIdValue = spec.noId ? undefined : Number(record.attrs.id);
			const oldId = oldIdValue !== undefined && Number.isFinite(oldIdValue) ? oldIdValue : undefined;
			const parentValue = spec.mapParent ? record.data[spec.mapParent] : undefined;
			const mapParent = parentValue === undefined || parentValue === null ? null : Number(parentValue);

			if (!immediate) {
				const newId = ids.nextReady(spec.table) ?? await ids.next(spec.table);
				row.id = newId;
				recordRow(spec, newId, oldId, mapParent, parent === undefined);
				state.set(spec, row);
				let list = buffer.get(spec.table);
				if (!list) buffer.set(spec.table, list = []);
				list.push({row: storedRow(spec, row), pending});
				if (++buffered >= FLUSH_ROWS) await startFlush();
				continue;
			}

			const match = underExisting && spec.existing ? await spec.existing(row, scope, parentState, oldId) : undefined;
			const finalRow = match ?? (spec.resolve ? await spec.resolve(row, scope, record.data, parentState) : row);
			if (!finalRow) continue;
			// The parent holds the reference (reverse link); never repoint a row of the site the parent was mapped to.
			const linkParent = async (id: number): Promise<void> => {
				if (!spec.link?.reverse || !parent || underExisting) return;
				await scope.db.run(`UPDATE {${parent.table}} SET ${spec.link.parentColumn ?? 'id'} = ? WHERE id = ?`, [id, parentState.id ?? null]);
			};
			if (finalRow instanceof ExistingRow) {
				// Mapped to a row the site has: nothing written, nothing counted as restored.
				if (oldId !== undefined) scope.idMap.set(itemnameOf(spec), oldId, finalRow.id, mapParent);
				await linkParent(finalRow.id);
				if (finalRow.restoreChildren) state.set(spec, {...row, id: finalRow.id, [EXISTING_ROW]: 1});
				continue;
			}
			const newId = await scope.db.insert(spec.table, storedRow(spec, finalRow));
			recordRow(spec, newId, oldId, mapParent, parent === undefined);
			for (const key of pending ?? []) deferred.push({table: spec.table, column: key.column, item: key.item, oldTarget: key.oldTarget, rowId: newId});
			await linkParent(newId);
			await spec.afterInsert?.(newId, record.data, parentState, scope);
			state.set(spec, {...finalRow, id: newId});
		}
	}
}
