/**
 * Per-restore caches: the rows a restore created, per table (content links are decoded in exactly these rows at
 * the end), and the files.xml index. They live in `ctx.cache` when given, else beside the restore's id map, so
 * copies of the context (`{...ctx, userinfo}`) share them.
 */
import type {IdMap} from '../store/id-map.js';
import type {RestoreActivityContext} from './types.js';

export type RestoredRows = Map<string, number[]>;

const byIdMap = new WeakMap<IdMap, Record<string, unknown>>();

export function restoreCache(ctx: Pick<RestoreActivityContext, 'cache' | 'idMap'>): Record<string, unknown> {
	if (ctx.cache) return ctx.cache;
	let cache = byIdMap.get(ctx.idMap);
	if (!cache) byIdMap.set(ctx.idMap, (cache = {}));
	return cache;
}

export function restoredRows(ctx: Pick<RestoreActivityContext, 'cache' | 'idMap'>): RestoredRows {
	const cache = restoreCache(ctx);
	let rows = cache.restoredRows as RestoredRows | undefined;
	if (!rows) cache.restoredRows = rows = new Map();
	return rows;
}

export function recordRestoredRow(ctx: Pick<RestoreActivityContext, 'cache' | 'idMap'>, table: string, id: number): void {
	const rows = restoredRows(ctx);
	const list = rows.get(table);
	if (list) list.push(id);
	else rows.set(table, [id]);
}
