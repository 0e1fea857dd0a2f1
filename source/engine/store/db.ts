/**
 * The one narrow database interface the engine talks to. Implemented by the SQLite adapter
 * (sqlite-db.ts) and the PostgreSQL adapter (pg-db.ts).
 *
 * SQL conventions (Moodle's own, so the same text runs on both servers):
 * - tables are written `{name}` and the adapter substitutes the configured prefix (`mdl_name`);
 * - parameters are positional `?` (the PostgreSQL adapter rewrites them to $1, $2, ...);
 * - only portable SQL outside the adapters: no `INSERT OR IGNORE`, no `ON CONFLICT`, no `RETURNING`,
 *   no `LIMIT -1`, no dialect functions. Anything dialect-specific belongs in a Db method.
 */
export type SqlValue = string | number | bigint | null | Buffer;
export type Row = Record<string, SqlValue>;

export type DbDialect = 'sqlite' | 'postgres';

export interface RunResult {
	/** Rows changed by an UPDATE/DELETE/INSERT. */
	changes: number;
}

export interface Db {
	readonly dialect: DbDialect;
	/** Table prefix, `mdl_` by default. */
	readonly prefix: string;

	run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
	get<T extends object = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
	all<T extends object = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
	/** Streams rows without holding the result set in memory (cursor on PostgreSQL). */
	each<T extends object = Row>(sql: string, params?: readonly SqlValue[]): AsyncIterable<T>;

	/** Inserts one row (without `id`) and returns the new id. */
	insert(table: string, row: Row): Promise<number>;
	/**
	 * Inserts many rows in batched multi-row statements and returns their new ids in input order.
	 * All rows must have the same columns. Use this for anything bulk: one row per call is ~30x slower.
	 */
	insertMany(table: string, rows: readonly Row[]): Promise<number[]>;
	/**
	 * Hands out `count` ids of `table` that no other insert will take, so that rows can name each other before
	 * they are written (a restore links posts to their parents in the same batch). Only inside transaction().
	 * Rows are then inserted with insertMany and their `id`. Ids reserved and never written leave gaps, as
	 * a rolled-back insert does: give the last ones back with releaseIds.
	 */
	reserveIds(table: string, count: number): Promise<number[]>;
	/** Gives back reserved ids that were not written (SQLite reuses the last ones; PostgreSQL's sequence cannot). */
	releaseIds(table: string, ids: readonly number[]): Promise<void>;

	/**
	 * Runs `work` inside one transaction and commits, or rolls back if it throws.
	 * A call made while a transaction is open on this handle joins it (no nested commit).
	 * On PostgreSQL the handle passed to `work` is bound to one pooled connection: use it, not the outer one.
	 */
	transaction<T>(work: (tx: Db) => Promise<T>): Promise<T>;

	/** Names of the tables (without prefix) that exist with this prefix. */
	tableNames(): Promise<string[]>;
	/** Executes DDL (one or more statements), already written for this dialect. */
	exec(ddl: string): Promise<void>;

	close(): Promise<void>;
}
