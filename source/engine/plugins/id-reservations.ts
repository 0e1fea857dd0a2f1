import type {Db} from '../store/db.js';

/** Ids asked of the database per table at most at once: large enough to amortise the round trip. */
const MAX_BLOCK = 512;

type TableIds = {ids: number[]; position: number; block: number};

/**
 * New ids handed out as rows are read, before they are written: children and later rows can then name a row
 * of the same document at once (a reply names its parent post), so the batch goes in as plain INSERTs with no
 * UPDATE afterwards. Ids come from the database in growing blocks (1, 2, 4, ... 512), so a table with three rows
 * takes three ids, not 512; what is left at the end is given back.
 */
export class IdReservations {
	private readonly tables = new Map<string, TableIds>();

	constructor(private readonly db: Db) {}

	/** The next id for `table` when one is already reserved, else undefined (then call next()). */
	nextReady(table: string): number | undefined {
		const entry = this.tables.get(table);
		if (!entry || entry.position >= entry.ids.length) return undefined;
		return entry.ids[entry.position++];
	}

	async next(table: string): Promise<number> {
		const ready = this.nextReady(table);
		if (ready !== undefined) return ready;
		let entry = this.tables.get(table);
		if (!entry) this.tables.set(table, entry = {ids: [], position: 0, block: 1});
		entry.ids = await this.db.reserveIds(table, entry.block);
		entry.position = 0;
		entry.block = Math.min(MAX_BLOCK, entry.block * 2);
		return entry.ids[entry.position++]!;
	}

	/** Gives back the ids reserved and not used. */
	async release(): Promise<void> {
		for (const [table, entry] of this.tables) {
			if (entry.position < entry.ids.length) await this.db.releaseIds(table, entry.ids.slice(entry.position));
		}
		this.tables.clear();
	}
}
