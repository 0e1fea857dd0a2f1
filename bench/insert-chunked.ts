import type {Db, Row} from '../source/engine/store/db.js';

/** Seeds a benchmark site in large insertMany batches, so seeding never dominates the run. */
export async function insertChunked(db: Db, table: string, rows: Iterable<Row>, size = 5000): Promise<number[]> {
	const ids: number[] = [];
	let batch: Row[] = [];
	for (const row of rows) {
		batch.push(row);
		if (batch.length === size) {
			ids.push(...await db.insertMany(table, batch));
			batch = [];
		}
	}
	if (batch.length > 0) ids.push(...await db.insertMany(table, batch));
	return ids;
}
