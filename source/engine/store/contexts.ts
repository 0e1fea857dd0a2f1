import {StoreError} from '../errors.js';
import type {Db} from './db.js';
import {forEachChunk} from './in-list.js';

/** Moodle's context levels (lib/accesslib.php). */
export const CONTEXT_LEVEL = {SYSTEM: 10, USER: 30, COURSECAT: 40, COURSE: 50, MODULE: 70, BLOCK: 80} as const;
export type ContextLevel = (typeof CONTEXT_LEVEL)[keyof typeof CONTEXT_LEVEL];

export type ContextRow = {id: number; contextlevel: number; instanceid: number; path: string; depth: number; locked: number};

export const SYSTEM_CONTEXT_ID = 1;

export async function getContext(db: Db, id: number): Promise<ContextRow | undefined> {
	return db.get<ContextRow>('SELECT id, contextlevel, instanceid, path, depth, locked FROM {context} WHERE id = ?', [id]);
}

/** The id of the context for (level, instance), or undefined. */
export async function contextIdFor(db: Db, level: ContextLevel, instanceId: number): Promise<number | undefined> {
	const row = await db.get<{id: number}>('SELECT id FROM {context} WHERE contextlevel = ? AND instanceid = ?', [level, instanceId]);
	return row === undefined ? undefined : Number(row.id);
}

/**
 * Creates contexts under one parent, as Moodle does: inserted with no path, then path = parent's
 * path + '/' + own id and depth = parent's depth + 1. The system context has no parent (path /1, depth 1).
 * Returns the new ids in input order.
 */
export async function createContexts(db: Db, level: ContextLevel, instanceIds: readonly number[], parentContextId: number | null): Promise<number[]> {
	if (instanceIds.length === 0) return [];
	let parentPath = '';
	let depth = 1;
	if (parentContextId !== null) {
		const parent = await getContext(db, parentContextId);
		if (!parent) throw new StoreError(`context ${parentContextId} does not exist (parent of a new level ${level} context)`);
		parentPath = parent.path;
		depth = Number(parent.depth) + 1;
	} else if (level !== CONTEXT_LEVEL.SYSTEM) {
		throw new StoreError(`a level ${level} context needs a parent context`);
	}
	return db.transaction(async tx => {
		const ids = await tx.insertMany(
			'context',
			instanceIds.map(instanceid => ({contextlevel: level, instanceid, path: null, depth, locked: 0})),
		);
		// One UPDATE per chunk of ids rather than per row; `||` and CAST are portable (SQLite, PostgreSQL).
		await forEachChunk(ids, (chunk, list) => tx.run(
			`UPDATE {context} SET path = CAST(? AS VARCHAR(255)) || CAST(id AS VARCHAR(20)) WHERE id IN (${list})`, [`${parentPath}/`, ...chunk],
		));
		return ids;
	});
}

export async function createContext(db: Db, level: ContextLevel, instanceId: number, parentContextId: number | null): Promise<number> {
	const [id] = await createContexts(db, level, [instanceId], parentContextId);
	return id!;
}

/** The context and every context below it (by path), for deletions and backups of a whole branch. */
export async function contextBranch(db: Db, contextId: number): Promise<ContextRow[]> {
	const context = await getContext(db, contextId);
	if (!context) return [];
	return db.all<ContextRow>('SELECT id, contextlevel, instanceid, path, depth, locked FROM {context} WHERE id = ? OR path LIKE ? ORDER BY depth, id', [
		contextId,
		`${context.path}/%`,
	]);
}
