import type {Db, Row, SqlValue} from '../store/db.js';
import type {FilePool} from '../store/file-pool.js';
import {completeRow} from '../store/schema/rows.js';
import {Prng} from './prng.js';

/** Monday 2 September 2024, 09:00 UTC: every demo timestamp is an offset from it. */
export const DEMO_EPOCH = 1_725_267_600;
const DAY = 86_400;

export type DemoSeedContext = {
	db: Db;
	pool: FilePool;
	prng: Prng;
	/** Ids of the `modules` rows by name. */
	moduleIds: Map<string, number>;
	/** A fixed timestamp `days` (may be fractional) after the demo epoch. */
	at(days: number): number;
	/** Inserts complete rows (Moodle defaults filled in) in batches; returns their ids. */
	insert(table: string, rows: ReadonlyArray<Readonly<Record<string, SqlValue | boolean | undefined>>>): Promise<number[]>;
	insertOne(table: string, row: Readonly<Record<string, SqlValue | boolean | undefined>>): Promise<number>;
};

export async function createDemoContext(db: Db, pool: FilePool, seed: number): Promise<DemoSeedContext> {
	const modules = await db.all<{id: number; name: string}>('SELECT id, name FROM {modules} ORDER BY id');
	const insert = (table: string, rows: ReadonlyArray<Readonly<Record<string, SqlValue | boolean | undefined>>>) =>
		db.insertMany(table, rows.map((row): Row => completeRow(table, row)));
	return {
		db,
		pool,
		prng: new Prng(seed),
		moduleIds: new Map(modules.map(module => [module.name, Number(module.id)])),
		at: days => DEMO_EPOCH + Math.round(days * DAY),
		insert,
		insertOne: async (table, row) => (await insert(table, [row]))[0]!,
	};
}
