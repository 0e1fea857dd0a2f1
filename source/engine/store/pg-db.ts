import {AsyncLocalStorage} from 'node:async_hooks';
import pg from 'pg';
import Cursor from 'pg-cursor';
import {MbzError, StoreError} from '../errors.js';
import type {Db, DbDialect, Row, RunResult, SqlValue} from './db.js';
import {toPgSql} from './pg-sql.js';
import {parseSiteLocation, type PostgresSiteLocation} from './site-location.js';

/**
 * The PostgreSQL adapter (node-postgres). Values come back as the SQLite adapter returns them:
 * - int8 (BIGINT ids, times, COUNT(*)) as number: Moodle's ids and unix times stay far below 2^53;
 * - NUMERIC (grades, SUM of integers) as number, as SQLite's NUMERIC affinity stores them
 *   (`100.00000` reads as 100); Moodle's NUMERIC(10,5) columns fit a double exactly enough;
 * - bytea as Buffer, text as string, NULL as null.
 * Unquoted column aliases are folded to lower case by PostgreSQL: portable SQL uses lower-case aliases.
 * After an error inside a transaction PostgreSQL refuses further statements until it rolls back, so
 * transaction work must not catch a failed statement and carry on.
 */
export const PG_POOL_SIZE = 4;
/** Parameters per statement: PostgreSQL's protocol counts them in 16 bits. */
const MAX_PARAMETERS = 65535;
const MAX_ROWS_PER_INSERT = 1000;
const CURSOR_BATCH = 1000;
const IDENTIFIER = /^[a-z][a-z0-9_]*$/;

const INT8_OID = 20;
const NUMERIC_OID = 1700;

const valueTypes: pg.CustomTypesConfig = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
		if (oid === INT8_OID || oid === NUMERIC_OID) return (text: string) => Number(text);
		return pg.types.getTypeParser(oid, format as 'text');
	}) as pg.CustomTypesConfig['getTypeParser'],
};

export type PgDbOptions = {
	/** Create the location's schema when it does not exist yet (site init). */
	createSchema?: boolean;
	/** Pool size; PG_POOL_SIZE unless a test needs fewer. */
	maxConnections?: number;
	/** Every transaction read-only (site info): the server refuses any write. */
	readOnly?: boolean;
};

/** Opens (and checks) a PostgreSQL site database from a postgres:// location. */
export async function openPgDb(location: string | PostgresSiteLocation, options: PgDbOptions = {}): Promise<PgDb> {
	const parsed = typeof location === 'string' ? parseSiteLocation(location) : location;
	if (parsed.kind !== 'postgres') throw new StoreError(`not a PostgreSQL location: ${location as string}`);
	const db = new PgDb(parsed, options.maxConnections ?? PG_POOL_SIZE, options.readOnly ?? false);
	try {
		await db.checkConnection(options.createSchema ?? false);
	} catch (error) {
		await db.close();
		throw error;
	}
	return db;
}

type Executor = {
	query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
};

/** What both handles share: SQL rewriting, value conventions, errors. */
abstract class PgHandle implements Db {
	readonly dialect: DbDialect = 'postgres';
	readonly prefix: string;
	protected readonly server: string;

	constructor(prefix: string, server: string) {
		this.prefix = prefix;
		this.server = server;
	}

	protected abstract executor(): Executor;
	/** Per table, the highest id taken from its sequence by reserveIds on this handle. */
	private readonly reservedUpTo = new Map<string, number>();
	abstract each<T extends object = Row>(sql: string, params?: readonly SqlValue[]): AsyncIterable<T>;
	abstract transaction<T>(work: (tx: Db) => Promise<T>): Promise<T>;
	abstract close(): Promise<void>;

	protected async query(sql: string, params: readonly SqlValue[] = []): Promise<pg.QueryResult> {
		const {text, parameterCount} = toPgSql(sql, this.prefix);
		if (parameterCount !== params.length) {
			throw new StoreError(`SQL has ${parameterCount} parameter(s) but ${params.length} value(s) were given: ${oneLine(sql)}`);
		}
		return this.send(text, params as unknown[], sql);
	}

	protected async send(text: string, values: unknown[] | undefined, shownSql: string): Promise<pg.QueryResult> {
		try {
			return await (values === undefined || values.length === 0 ? this.executor().query(text) : this.executor().query(text, values));
		} catch (error) {
			throw pgStoreError(error, this.server, shownSql);
		}
	}

	async run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
		const result = await this.query(sql, params);
		return {changes: result.rowCount ?? 0};
	}

	async get<T extends object = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
		const result = await this.query(sql, params);
		return result.rows[0] as T | undefined;
	}

	async all<T extends object = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
		const result = await this.query(sql, params);
		return result.rows as T[];
	}

	async insert(table: string, row: Row): Promise<number> {
		const [id] = await this.insertBatch(table, Object.keys(row), [row]);
		return id!;
	}

	async insertMany(table: string, rows: readonly Row[]): Promise<number[]> {
		if (rows.length === 0) return [];
		const columns = Object.keys(rows[0]!);
		rows.forEach((row, index) => checkSameColumns(table, columns, row, index));
		const perBatch = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / Math.max(1, columns.length))));
		if (rows.length <= perBatch) return this.insertBatch(table, columns, rows);
		// Several statements: all or nothing.
		return this.transaction(async tx => {
			const handle = tx as PgHandle;
			const ids: number[] = [];
			for (let start = 0; start < rows.length; start += perBatch) {
				ids.push(...await handle.insertBatch(table, columns, rows.slice(start, start + perBatch)));
			}
			return ids;
		});
	}

	/** One multi-row INSERT ... RETURNING id; the sequence hands out ids, so concurrent writers never collide. */
	protected async insertBatch(table: string, columns: readonly string[], rows: readonly Row[]): Promise<number[]> {
		checkIdentifier(table, 'table');
		for (const column of columns) checkIdentifier(column, `column of ${table}`);
		const name = this.prefix + table;
		let text: string;
		const values: unknown[] = [];
		if (columns.length === 0) {
			if (rows.length !== 1) throw new StoreError(`insertMany(${table}): rows without columns`);
			text = `INSERT INTO ${name} DEFAULT VALUES RETURNING id`;
		} else {
			const tuples: string[] = [];
			for (const row of rows) {
				const placeholders: string[] = [];
				for (const column of columns) {
					values.push(row[column]);
					placeholders.push(`$${values.length}`);
				}
				tuples.push(`(${placeholders.join(',')})`);
			}
			text = `INSERT INTO ${name} (${columns.map(quoteIdentifier).join(',')}) VALUES ${tuples.join(',')} RETURNING id`;
		}
		const shown = `INSERT INTO {${table}} (${columns.join(',')}) (${rows.length} rows)`;
		const result = await this.send(text, values, shown);
		const ids = result.rows.map(row => Number((row as {id: unknown}).id));
		if (columns.includes('id') && Math.max(...ids) > (this.reservedUpTo.get(table) ?? 0)) {
			// Explicit ids bypass the sequence: move it past them (never back) so later inserts do not collide.
			await this.send(
				`SELECT setval(pg_get_serial_sequence($1, 'id'), GREATEST(nextval(pg_get_serial_sequence($1, 'id')), $2::bigint))`,
				[name, Math.max(...ids)],
				shown,
			);
		}
		return ids;
	}

	/**
	 * Ids taken from the table's own sequence: concurrent writers (Moodle itself) never get them. The site handle
	 * passes this on to its open transaction and refuses it outside one.
	 */
	async reserveIds(table: string, count: number): Promise<number[]> {
		checkIdentifier(table, 'table');
		if (count <= 0) return [];
		const result = await this.send(
			`SELECT nextval(pg_get_serial_sequence($1, 'id')) AS id FROM generate_series(1, $2::int)`,
			[this.prefix + table, count],
			`reserve ${count} ids of {${table}}`,
		);
		const ids = result.rows.map(row => Number((row as {id: unknown}).id));
		const top = Math.max(...ids);
		if (top > (this.reservedUpTo.get(table) ?? 0)) this.reservedUpTo.set(table, top);
		return ids;
	}

	/** A sequence does not go back safely while others may use it: unused ids stay gaps, as after a rollback. */
	async releaseIds(_table: string, _ids: readonly number[]): Promise<void> {}

	async tableNames(): Promise<string[]> {
		const rows = await this.send(
			// pg_catalog rather than information_schema: the latter runs privilege checks on every relation of
			// the database, which fail on tables another session is dropping at the same moment.
			`SELECT c.relname AS name FROM pg_catalog.pg_class c
			   JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
			  WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND substr(c.relname, 1, $1) = $2
			  ORDER BY c.relname`,
			[this.prefix.length, this.prefix],
			'list tables',
		);
		return rows.rows.map(row => (row as {name: string}).name.slice(this.prefix.length));
	}

	async exec(ddl: string): Promise<void> {
		// No values: the simple query protocol, which accepts several statements in one text.
		await this.send(toPgSql(ddl, this.prefix).text, undefined, ddl);
	}
}

/** The site database: a small pool; each transaction runs on one dedicated pooled connection. */
export class PgDb extends PgHandle {
	readonly location: PostgresSiteLocation;
	private readonly pool: pg.Pool;
	private closed = false;
	private closing: Promise<void> | undefined;
	private readonly openTransaction = new AsyncLocalStorage<PgTransactionDb>();

	constructor(location: PostgresSiteLocation, maxConnections: number, readOnly = false) {
		super(location.prefix, `${location.host}:${location.port}`);
		this.location = location;
		const settings = [
			...(location.schema === undefined ? [] : [`-c search_path=${location.schema}`]),
			...(readOnly ? ['-c default_transaction_read_only=on'] : []),
		];
		this.pool = new pg.Pool({
			connectionString: location.connectionString,
			max: maxConnections,
			types: valueTypes,
			...(settings.length === 0 ? {} : {options: settings.join(' ')}),
			idleTimeoutMillis: 10_000,
			connectionTimeoutMillis: 30_000,
			// A forgotten close() must not keep a command from exiting.
			allowExitOnIdle: true,
		});
		// An idle connection dropped by the server: the next query reports it; do not crash the process.
		this.pool.on('error', () => {});
	}

	/** Connects once: reports an unreachable server or a missing schema now, not at the first statement. */
	async checkConnection(createSchema: boolean): Promise<void> {
		const schema = this.location.schema;
		if (schema !== undefined && createSchema) {
			await this.send(`CREATE SCHEMA IF NOT EXISTS ${schema}`, undefined, 'create schema');
		}
		const row = await this.send('SELECT current_schema() AS schema', undefined, 'connect');
		if ((row.rows[0] as {schema: string | null}).schema === null) {
			throw new StoreError(schema === undefined
				? `PostgreSQL at ${this.server}: database "${this.location.database}" has no schema on the search_path`
				: `PostgreSQL at ${this.server}: schema "${schema}" does not exist in database "${this.location.database}"`);
		}
	}

	/** `PostgreSQL 15.20` and the schema in use, for `mbz site info`. */
	async serverInfo(): Promise<{version: string; schema: string; database: string}> {
		const row = await this.send(
			`SELECT current_setting('server_version') AS version, current_schema() AS schema, current_database() AS database`,
			undefined,
			'server version',
		);
		const info = row.rows[0] as {version: string; schema: string; database: string};
		return {version: `PostgreSQL ${info.version}`, schema: info.schema, database: info.database};
	}

	/**
	 * The transaction open in the calling async context, if any: work that reaches for the site's own handle
	 * inside a transaction joins it, as on SQLite, instead of running on another connection that would not see
	 * the transaction's writes (or would wait forever on its locks).
	 */
	private joined(): PgTransactionDb | undefined {
		const tx = this.openTransaction.getStore();
		return tx && !tx.isFinished ? tx : undefined;
	}

	protected executor(): Executor {
		this.checkOpen();
		return this.joined()?.connection ?? this.pool;
	}

	/** Inside a transaction, the transaction's handle reserves (and then skips moving the sequence on insert). */
	override async reserveIds(table: string, count: number): Promise<number[]> {
		const joined = this.joined();
		if (!joined) throw new StoreError('reserveIds: only inside a transaction');
		return joined.reserveIds(table, count);
	}

	override async insertMany(table: string, rows: readonly Row[]): Promise<number[]> {
		const joined = this.joined();
		return joined ? joined.insertMany(table, rows) : super.insertMany(table, rows);
	}

	async *each<T extends object = Row>(sql: string, params: readonly SqlValue[] = []): AsyncGenerator<T> {
		const joined = this.joined();
		if (joined) {
			yield* joined.each<T>(sql, params);
			return;
		}
		const {text, parameterCount} = toPgSql(sql, this.prefix);
		if (parameterCount !== params.length) {
			throw new StoreError(`SQL has ${parameterCount} parameter(s) but ${params.length} value(s) were given: ${oneLine(sql)}`);
		}
		const client = await this.connect();
		let broken: Error | undefined;
		const cursor = client.query(new Cursor<T>(text, [...params], {types: valueTypes}));
		try {
			for (;;) {
				let rows: T[];
				try {
					rows = await cursor.read(CURSOR_BATCH);
				} catch (error) {
					broken = error as Error;
					throw pgStoreError(error, this.server, sql);
				}
				if (rows.length === 0) break;
				yield* rows;
			}
		} finally {
			if (broken === undefined) {
				await cursor.close().catch((error: Error) => {
					broken = error;
				});
			}
			client.release(broken);
		}
	}

	async transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
		const joined = this.joined();
		if (joined) return work(joined);
		const client = await this.connect();
		const tx = new PgTransactionDb(client, this.prefix, this.server);
		let broken: Error | undefined;
		try {
			await tx.command('BEGIN');
			const result = await this.openTransaction.run(tx, () => work(tx));
			await tx.command('COMMIT');
			return result;
		} catch (error) {
			try {
				await tx.settled();
				await client.query('ROLLBACK');
			} catch (rollbackError) {
				broken = rollbackError as Error;
			}
			// Statement failures are already StoreErrors; the work's own errors pass through unchanged.
			throw error;
		} finally {
			tx.finish();
			client.release(broken);
		}
	}

	async close(): Promise<void> {
		if (!this.closing) {
			this.closed = true;
			this.closing = this.pool.end();
		}
		await this.closing;
	}

	/** Connections currently open (idle or in use): lets tests see the pool drained after close(). */
	get openConnections(): number {
		return this.pool.totalCount;
	}

	private async connect(): Promise<pg.PoolClient> {
		this.checkOpen();
		try {
			return await this.pool.connect();
		} catch (error) {
			throw pgStoreError(error, this.server, 'connect');
		}
	}

	private checkOpen(): void {
		if (this.closed) throw new StoreError(`PostgreSQL site ${this.location.display} is closed`);
	}
}

let cursorNumber = 0;

/** The handle given to transaction work: bound to the transaction's one connection. */
class PgTransactionDb extends PgHandle {
	private finished = false;

	/** The last statement sent on the connection: the next one waits for it (see serial). */
	private tail: Promise<unknown> = Promise.resolve();
	/**
	 * The connection with its statements sent one after another. pg would queue concurrent ones itself, but warns
	 * that doing so is deprecated; and a ROLLBACK after a failure or a cancel must come after what is in flight.
	 */
	private readonly serial: Executor = {
		query: (text, values) => {
			const sent = this.tail.then(() => (values === undefined ? this.client.query(text) : this.client.query(text, values)));
			this.tail = sent.catch(() => undefined);
			return sent;
		},
	};

	constructor(private readonly client: pg.PoolClient, prefix: string, server: string) {
		super(prefix, server);
	}

	/** Resolves once every statement sent so far has been answered. */
	async settled(): Promise<void> {
		await this.tail;
	}

	async command(text: string): Promise<void> {
		await this.send(text, undefined, text);
	}

	finish(): void {
		this.finished = true;
	}

	get isFinished(): boolean {
		return this.finished;
	}

	/** The transaction's connection, for the site handle's calls that join it. */
	get connection(): Executor {
		return this.executor();
	}

	protected executor(): Executor {
		if (this.finished) throw new StoreError('a transaction handle was used after its transaction ended');
		return this.serial;
	}

	/**
	 * A server-side cursor declared inside the transaction: rows arrive in batches, and other statements
	 * can run on the same connection between batches (a protocol-level cursor would block them).
	 */
	async *each<T extends object = Row>(sql: string, params: readonly SqlValue[] = []): AsyncGenerator<T> {
		const name = `mbz_cursor_${++cursorNumber}`;
		const {text, parameterCount} = toPgSql(sql, this.prefix);
		if (parameterCount !== params.length) {
			throw new StoreError(`SQL has ${parameterCount} parameter(s) but ${params.length} value(s) were given: ${oneLine(sql)}`);
		}
		await this.send(`DECLARE ${name} NO SCROLL CURSOR FOR ${text}`, [...params], sql);
		let failed = false;
		try {
			for (;;) {
				let result: pg.QueryResult;
				try {
					result = await this.send(`FETCH ${CURSOR_BATCH} FROM ${name}`, undefined, sql);
				} catch (error) {
					failed = true;
					throw error;
				}
				if (result.rows.length === 0) break;
				yield* result.rows as T[];
			}
		} finally {
			// After a failed FETCH the transaction is aborted and the cursor is gone with it.
			if (!failed && !this.finished) await this.send(`CLOSE ${name}`, undefined, sql).catch(() => {});
		}
	}

	/** A nested call joins the open transaction. */
	async transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
		if (this.finished) throw new StoreError('a transaction handle was used after its transaction ended');
		return work(this);
	}

	/** The pool belongs to the site's handle; closing a transaction handle closes nothing. */
	async close(): Promise<void> {}
}

function checkSameColumns(table: string, columns: readonly string[], row: Row, index: number): void {
	const keys = Object.keys(row);
	if (keys.length !== columns.length || columns.some(column => !(column in row))) {
		throw new StoreError(`insertMany(${table}): row ${index + 1} has columns (${keys.join(', ')}), expected (${columns.join(', ')})`);
	}
}

function checkIdentifier(name: string, what: string): void {
	if (!IDENTIFIER.test(name)) throw new StoreError(`invalid ${what} name "${name}"`);
}

function quoteIdentifier(name: string): string {
	return `"${name}"`;
}

function oneLine(sql: string): string {
	const flat = sql.replace(/\s+/g, ' ').trim();
	return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

/** One line for the admin: what failed, where, and the statement it failed in. */
export function pgStoreError(error: unknown, server: string, sql: string): MbzError {
	if (error instanceof MbzError) return error;
	const err = error as Error & {code?: string; errors?: Error[]};
	const networkCode = err.code ?? (err.errors?.[0] as (Error & {code?: string}) | undefined)?.code;
	if (networkCode && NETWORK_CODES.has(networkCode)) {
		const detail = err.message || err.errors?.map(e => e.message).join('; ') || networkCode;
		return new StoreError(`cannot reach PostgreSQL at ${server}: ${oneLine(detail)}`);
	}
	if (/timeout exceeded when trying to connect|Connection terminated/i.test(err.message ?? '')) {
		return new StoreError(`cannot reach PostgreSQL at ${server}: ${oneLine(err.message)}`);
	}
	if (err instanceof pg.DatabaseError) {
		// Connection-level refusals (no such database, authentication) say nothing about a statement.
		const connectionProblem = err.code?.startsWith('28') || err.code === '3D000';
		return new StoreError(connectionProblem
			? `PostgreSQL at ${server}: ${oneLine(err.message)}`
			: `PostgreSQL: ${oneLine(err.message)} (in: ${oneLine(sql)})`);
	}
	return new StoreError(`PostgreSQL at ${server}: ${oneLine(err.message ?? String(error))}`);
}
