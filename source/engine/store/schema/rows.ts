import type {Row, SqlValue} from '../db.js';
import {tableDefinition, type TableDefinition} from './tables.js';

/** Column names per table, built once: completeRow runs for every row a restore writes. */
const namesByDefinition = new WeakMap<TableDefinition, ReadonlySet<string>>();

function columnNames(definition: TableDefinition): ReadonlySet<string> {
	let names = namesByDefinition.get(definition);
	if (!names) namesByDefinition.set(definition, names = new Set(definition.columns.map(column => column.name)));
	return names;
}

/**
 * A complete row for `table`: the given values, then each column's Moodle default, then '' or 0 for
 * NOT NULL columns without one (as Moodle's DML does), else NULL. Unknown columns are an error, so a
 * typo never silently loses data. `id` is left out unless given.
 */
export function completeRow(table: string, values: Readonly<Record<string, SqlValue | boolean | undefined>>): Row {
	const definition = tableDefinition(table);
	const row: Row = {};
	const known = columnNames(definition);
	for (const name in values) {
		if (!known.has(name)) throw new Error(`table ${table} has no column "${name}"`);
	}
	for (const column of definition.columns) {
		const given = values[column.name];
		if (column.sequence) {
			if (given !== undefined) row[column.name] = given as SqlValue;
			continue;
		}
		if (given !== undefined) {
			row[column.name] = typeof given === 'boolean' ? (given ? 1 : 0) : given;
		} else if (column.default !== undefined) {
			row[column.name] = column.type === 'char' || column.type === 'text' ? column.default : Number(column.default);
		} else if (column.notnull) {
			row[column.name] = column.type === 'char' || column.type === 'text' ? '' : 0;
		} else {
			row[column.name] = null;
		}
	}
	return row;
}
