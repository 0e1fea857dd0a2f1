import type {Row, SqlValue} from '../store/db.js';
import {tableDefinition} from '../store/schema/tables.js';

/**
 * A complete row for a Moodle table: the given values for columns that exist (others ignored, since backups
 * carry fields some sites lack), each column's install.xml default where nothing is given, and '' / 0 for other
 * NOT NULL columns, as Moodle's DML fills them. Numeric columns get numbers, text columns strings.
 */
export function buildRow(table: string, values: Record<string, SqlValue | boolean | undefined>): Row {
	const row: Row = {};
	for (const column of tableDefinition(table).columns) {
		if (column.name === 'id') continue;
		const given = values[column.name];
		const numeric = column.type === 'int' || column.type === 'number' || column.type === 'float';
		if (given !== undefined) {
			row[column.name] = coerce(given, numeric, column.notnull === true);
		} else if (column.default !== undefined) {
			row[column.name] = numeric ? Number(column.default) : column.default;
		} else {
			row[column.name] = column.notnull ? (numeric ? 0 : '') : null;
		}
	}
	return row;
}

function coerce(value: SqlValue | boolean, numeric: boolean, notNull: boolean): SqlValue {
	if (typeof value === 'boolean') return value ? 1 : 0;
	if (value === null) return notNull ? (numeric ? 0 : '') : null;
	if (numeric && typeof value === 'string') {
		if (value === '') return notNull ? 0 : null;
		const parsed = Number(value);
		return Number.isFinite(parsed) ? parsed : 0;
	}
	if (!numeric && typeof value === 'number') return String(value);
	return value;
}

/** Column names of a table (for filtering backup fields). */
export function hasColumn(table: string, column: string): boolean {
	try {
		return tableDefinition(table).columns.some((definition) => definition.name === column);
	} catch {
		return false;
	}
}
