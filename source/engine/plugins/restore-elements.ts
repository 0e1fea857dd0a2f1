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
import {elementPaths, fieldColumn, fieldXmlName, isIncluded, itemnameOf} from './element-tree.js';
import type {ActivitySettings, ChildSpec, ElementSpec, ForeignKey, RowScope} from './types.js';

/** One file area to re-link: files of (component, filearea, old itemid) get the new itemid. */
export type FileRequest = {component: string; filearea: string; oldItemid: number; newItemid: number};

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

/** Rows buffered before one insertMany per table: enough to amortise the statements, little memory. */
const FLUSH_ROWS = 500;
/** Rows per batched UPDATE of deferred keys (one CASE per statement). */
const UPDATE_ROWS = 500;

/** Where a column's value comes from at flush time: the parent row, the parent row else the document row, the document row. */
type ValueSource = 'parent' | 'parentOrDocument' | 'document';

type Buffered = {
	spec: ElementSpec;
	depth: number;
	row: Record<string, SqlValue>;
	/** The parent's state: its id (and other values) are known once the parent is flushed, always before this row. */
	parentState: RowState;
	/** Columns filled from the parent's state at flush time: column -> parent column (or document value). */
	fromParent: Array<{column: string; key: string; from: ValueSource}>;
	pending: Array<{column: string; item: string; oldTarget: number}>;
	oldId: number | undefined;
	mapParent: number | null;
	state: RowState;
	isRoot: boolean;
};

/** Deferred keys grouped per table and column, written with one UPDATE ... CASE per chunk of rows. */
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

/**
 * Restores one XML document described by `children` under `rootPath` (e.g. '/activity' + the plugin root).
 * Top-level elements link to `scope.documentRow` (the activity: id/instance, cmid, contextid, ...).
 * Rows are buffered and written with one insertMany per table per flush, parents (shallower elements) first;
 * values taken from a parent row and keys to rows of the same buffer are filled in at flush time.
 */
export async function restoreDocument(scope: RestoreScope, file: string, xmlPath: string, entry: string, rootPath: string, children: readonly ChildSpec[]): Promise<RestoreDocumentResult> {
	const include = (spec: ElementSpec): boolean => !spec.backupOnly && isIncluded(spec, scope.userinfo, scope.settings);
	const entries = elementPaths(children, rootPath, include);
	const byPath = new Map(entries.map(item => [item.path, item]));
	const entryOf = new Map(entries.map(item => [item.spec, item]));
	const descendants = new Map<ElementSpec, ElementSpec[]>();
	const depthOf = new Map<ElementSpec, number>();
	for (const item of entries) {
		let depth = 0;
		for (let parent = item.parent; parent; parent = entryOf.get(parent)?.parent) {
			depth++;
			const list = descendants.get(parent) ?? [];
			list.push(item.spec);
			descendants.set(parent, list);
		}
		depthOf.set(item.spec, depth);
	}
	const documentItems = new Set(entries.map(item => itemnameOf(item.spec)));
	const state = new Map<ElementSpec, RowState>();
	const deferred: Deferred[] = [];
	const files: FileRequest[] = [];
	const counts = new Map<string, number>();
	let firstRootId: number | undefined;
	let buffer: Buffered[] = [];
	/** Item names with rows in the buffer (not yet in the id map). */
	const bufferedItems = new Set<string>();

	/** Everything known once a row has its new id: id map, counts, files, deferred keys. */
	const recordInserted = (spec: ElementSpec, newId: number, oldId: number | undefined, mapParent: number | null, pending: Buffered['pending'], isRoot: boolean): void => {
		counts.set(spec.table, (counts.get(spec.table) ?? 0) + 1);
		scope.onRow?.(spec.table, newId);
		if (oldId !== undefined) scope.idMap.set(itemnameOf(spec), oldId, newId, mapParent);
		if (isRoot && firstRootId === undefined) firstRootId = newId;
		for (const item of pending) deferred.push({table: spec.table, column: item.column, item: item.item, oldTarget: item.oldTarget, rowId: newId});
		for (const area of spec.files ?? []) {
			if (area.itemid === 0) files.push({component: area.component, filearea: area.filearea, oldItemid: 0, newItemid: 0});
			else if (oldId !== undefined) files.push({component: area.component, filearea: area.filearea, oldItemid: oldId, newItemid: newId});
		}
	};

	const valueFrom = (parentState: RowState, key: string, from: ValueSource): SqlValue => {
		if (from === 'document') return scope.documentRow[key] ?? null;
		return parentState[key] ?? (from === 'parentOrDocument' ? scope.documentRow[key] : undefined) ?? null;
	};
	const fillFromParent = (item: Buffered): void => {
		for (const {column, key, from} of item.fromParent) item.row[column] = valueFrom(item.parentState, key, from);
	};

	/** Writes one batch: shallower elements first, one insertMany per table, then the keys within the batch. */
	const writeBatch = async (rows: readonly Buffered[]): Promise<void> => {
		// Shallower elements first: every parent gets its id before its children read it. Within a depth the
		// document order is kept, so each table's ids still follow the document.
		const byDepth = new Map<number, Map<string, Buffered[]>>();
		for (const item of rows) {
			let groups = byDepth.get(item.depth);
			if (!groups) byDepth.set(item.depth, groups = new Map());
			const key = item.spec.table;
			let list = groups.get(key);
			if (!list) groups.set(key, list = []);
			list.push(item);
		}
		const fixups: Array<{table: string; column: string; rowId: number; value: number}> = [];
		const unresolved: Array<{item: Buffered; column: string; itemname: string; oldTarget: number}> = [];
		for (const depth of [...byDepth.keys()].sort((a, b) => a - b)) {
			for (const [table, list] of byDepth.get(depth)!) {
				const complete = list.map((item) => {
					fillFromParent(item);
					// Keys to rows of this document flushed earlier resolve now; the rest are fixed after the insert.
					const stillPending: Buffered['pending'] = [];
					for (const key of item.pending) {
						const target = scope.idMap.get(key.item, key.oldTarget);
						if (target !== undefined) item.row[key.column] = target;
						else stillPending.push(key);
					}
					item.pending = stillPending;
					for (const name of shapeOf(item.spec).virtualColumns) delete item.row[name];
					return completeRow(table, item.row);
				});
				const ids = await insertGrouped(scope.db, table, complete);
				for (const [index, item] of list.entries()) {
					const newId = ids[index]!;
					Object.assign(item.state, item.row, {id: newId});
					for (const key of item.pending) unresolved.push({item, column: key.column, itemname: key.item, oldTarget: key.oldTarget});
					recordInserted(item.spec, newId, item.oldId, item.mapParent, [], item.isRoot);
				}
			}
		}
		// Keys to rows of the same flush (a reply to a post of the same batch); later targets wait for the end.
		for (const key of unresolved) {
			const target = scope.idMap.get(key.itemname, key.oldTarget);
			const rowId = Number(key.item.state.id);
			if (target !== undefined) fixups.push({table: key.item.spec.table, column: key.column, rowId, value: target});
			else deferred.push({table: key.item.spec.table, column: key.column, item: key.itemname, oldTarget: key.oldTarget, rowId});
		}
		await applyFixups(scope.db, fixups);
	};

	// A full buffer is written while the XML goes on being read (the database works on its own thread); the next
	// batch waits for it, so parents always have their ids before the children that read them are written.
	let writing: Promise<void> | undefined;
	const startFlush = async (): Promise<void> => {
		const previous = writing;
		writing = undefined;
		if (previous) await previous;
		if (buffer.length === 0) return;
		const rows = buffer;
		buffer = [];
		writing = writeBatch(rows);
		writing.catch(() => undefined); // awaited (and its error thrown) by the next flush
	};
	/** Everything read so far is written and in the id map. */
	const flush = async (): Promise<void> => {
		await startFlush();
		const last = writing;
		writing = undefined;
		if (last) await last;
		bufferedItems.clear();
	};

	try {
		await readRecords();
	} finally {
		// On an error, the batch being written finishes before the caller rolls back: nothing writes after it.
		if (writing) await writing.catch(() => undefined);
	}
	await flush();

	const fixups: Array<{table: string; column: string; rowId: number; value: number}> = [];
	for (const fix of deferred) {
		const target = scope.idMap.get(fix.item, fix.oldTarget);
		if (target !== undefined) fixups.push({table: fix.table, column: fix.column, rowId: fix.rowId, value: target});
	}
	await applyFixups(scope.db, fixups);
	return {files, counts, firstRootId};

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
			const immediate = Boolean(spec.resolve || spec.afterInsert || (spec.link?.reverse && parent));
			if (immediate) await flush();

			const shape = shapeOf(spec);
			const row: Record<string, SqlValue> = {};
			for (const [xml, column] of shape.fields) {
				const value = record.data[xml];
				if (value !== undefined) row[column] = value;
			}
			const fromParent: Buffered['fromParent'] = [];
			if (spec.link && !spec.link.reverse) fromParent.push({column: spec.link.column, key: spec.link.parentColumn ?? 'id', from: 'parent'});
			for (const [column, key] of shape.match) fromParent.push({column, key, from: 'parentOrDocument'});
			if (spec.courseColumn) row[spec.courseColumn] = scope.courseId;
			// The activity's id is known once its row is written (the document row is filled in then).
			if (spec.rootColumn) fromParent.push({column: spec.rootColumn, key: 'id', from: 'document'});
			if (spec.contextColumn) row[spec.contextColumn] = scope.contextId;
			Object.assign(row, spec.constants ?? {});
			if (scope.dateOffset) {
				for (const column of spec.dates ?? []) {
					const value = Number(row[column]);
					if (row[column] !== null && row[column] !== undefined && value > 0) row[column] = value + scope.dateOffset;
				}
			}

			const pending: Array<{column: string; item: string; oldTarget: number}> = [];
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
				let mapped = await resolveForeignKey(kind, value, scope);
				// A named key to an item of this document still in the buffer: write the buffer, then look again.
				if (mapped === undefined && typeof kind === 'string' && bufferedItems.has(kind)) {
					await flush();
					mapped = await resolveForeignKey(kind, value, scope);
				}
				if (mapped !== undefined) {
					row[column] = mapped;
				} else if (typeof kind !== 'string') {
					row[column] = 0;
					pending.push({column, item: kind.item, oldTarget: value});
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
				const rowState: RowState = {};
				buffer.push({spec, depth: depthOf.get(spec) ?? 0, row, parentState, fromParent, pending, oldId, mapParent, state: rowState, isRoot: parent === undefined});
				if (documentItems.has(itemnameOf(spec))) bufferedItems.add(itemnameOf(spec));
				state.set(spec, rowState);
				if (buffer.length >= FLUSH_ROWS) await startFlush();
				continue;
			}

			for (const {column, key, from} of fromParent) row[column] = valueFrom(parentState, key, from);
			const finalRow = spec.resolve ? await spec.resolve(row, scope, record.data) : row;
			if (!finalRow) continue;
			for (const name of shape.virtualColumns) delete finalRow[name];

			const newId = await scope.db.insert(spec.table, completeRow(spec.table, finalRow));
			recordInserted(spec, newId, oldId, mapParent, pending, parent === undefined);
			if (spec.link?.reverse && parent) {
				await scope.db.run(`UPDATE {${parent.table}} SET ${spec.link.parentColumn ?? 'id'} = ? WHERE id = ?`, [newId, parentState.id ?? null]);
			}
			await spec.afterInsert?.(newId, record.data, parentState, scope);
			state.set(spec, {...finalRow, id: newId});
		}
	}
}

/**
 * insertMany over completeRow rows, which have every column of the table and differ only in whether they carry
 * an id (completeRow leaves out an id it was not given): one insertMany per kind.
 */
async function insertGrouped(db: Db, table: string, rows: readonly Record<string, SqlValue>[]): Promise<number[]> {
	const ids: number[] = new Array(rows.length);
	const groups = new Map<boolean, number[]>();
	for (const [index, row] of rows.entries()) {
		const key = 'id' in row;
		let list = groups.get(key);
		if (!list) groups.set(key, list = []);
		list.push(index);
	}
	for (const indexes of groups.values()) {
		const written = await db.insertMany(table, indexes.map(index => rows[index]!));
		for (const [position, index] of indexes.entries()) ids[index] = written[position]!;
	}
	return ids;
}
