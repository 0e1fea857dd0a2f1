import {createHash} from 'node:crypto';
import type {DbDialect} from '../db.js';
import {splitFields, type ColumnDefinition, type TableDefinition} from './tables.js';

/** PostgreSQL truncates identifiers at 63 bytes: long index names get a stable hashed tail instead. */
const MAX_IDENTIFIER = 63;

export function quoteIdentifier(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}

function columnType(column: ColumnDefinition, dialect: DbDialect): string {
	const length = Number(column.length ?? 0);
	switch (column.type) {
		case 'int': {
			if (dialect === 'sqlite') return 'INTEGER';
			// Moodle's PostgreSQL generator: up to 4 digits SMALLINT, up to 9 INTEGER, else BIGINT.
			if (length > 0 && length <= 4) return 'SMALLINT';
			if (length > 0 && length <= 9) return 'INTEGER';
			return 'BIGINT';
		}
		case 'char':
			return `VARCHAR(${length || 255})`;
		case 'text':
			return 'TEXT';
		case 'number':
			return `NUMERIC(${length || 10},${Number(column.decimals ?? 0)})`;
		case 'float':
			return dialect === 'sqlite' ? 'REAL' : 'DOUBLE PRECISION';
		case 'binary':
			return dialect === 'sqlite' ? 'BLOB' : 'BYTEA';
	}
}

function defaultClause(column: ColumnDefinition): string {
	if (column.default === undefined) return '';
	if (column.type === 'char' || column.type === 'text') return ` DEFAULT '${column.default.replaceAll("'", "''")}'`;
	const value = Number(column.default);
	if (!Number.isFinite(value)) throw new Error(`non-numeric default "${column.default}" for column ${column.name}`);
	return ` DEFAULT ${value}`;
}

function columnDdl(column: ColumnDefinition, dialect: DbDialect): string {
	const name = quoteIdentifier(column.name);
	if (column.sequence) {
		return dialect === 'sqlite' ? `${name} INTEGER PRIMARY KEY AUTOINCREMENT` : `${name} BIGSERIAL PRIMARY KEY`;
	}
	return `${name} ${columnType(column, dialect)}${column.notnull ? ' NOT NULL' : ''}${defaultClause(column)}`;
}

export function indexName(prefix: string, table: string, name: string, unique: boolean): string {
	const full = `${prefix}${table}_${name.replaceAll(/[^A-Za-z0-9_]/g, '_')}_${unique ? 'uix' : 'ix'}`;
	if (full.length <= MAX_IDENTIFIER) return full;
	const hash = createHash('md5').update(full).digest('hex').slice(0, 10);
	return `${full.slice(0, MAX_IDENTIFIER - 11)}_${hash}`;
}

/**
 * The statements that create one table with its indexes. Like Moodle, unique keys become unique
 * indexes and foreign keys become plain indexes (the constraints themselves are not enforced).
 */
export function tableDdl(table: string, definition: TableDefinition, options: {prefix: string; dialect: DbDialect}): string[] {
	const {prefix, dialect} = options;
	const qualified = quoteIdentifier(`${prefix}${table}`);
	const statements = [`CREATE TABLE ${qualified} (\n\t${definition.columns.map(column => columnDdl(column, dialect)).join(',\n\t')}\n)`];
	const seen = new Set<string>();
	const addIndex = (name: string, fields: string, unique: boolean) => {
		const columns = splitFields(fields);
		const signature = `${unique}:${columns.join(',')}`;
		if (seen.has(signature)) return;
		seen.add(signature);
		statements.push(
			`CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${quoteIdentifier(indexName(prefix, table, name, unique))} ON ${qualified} (${columns.map(quoteIdentifier).join(', ')})`,
		);
	};
	for (const key of definition.keys) {
		if (key.type === 'primary') continue;
		addIndex(key.name, key.fields, key.type === 'unique' || key.type === 'foreign-unique');
	}
	for (const index of definition.indexes) addIndex(index.name, index.fields, index.unique);
	return statements;
}

export function schemaDdl(tables: Readonly<Record<string, TableDefinition>>, options: {prefix: string; dialect: DbDialect}): string[] {
	return Object.entries(tables).flatMap(([table, definition]) => tableDdl(table, definition, options));
}
