import moodleTables from './moodle-tables.json' with {type: 'json'};

/** One column as Moodle's install.xml describes it (XMLDB). */
export type ColumnDefinition = {
	name: string;
	type: 'int' | 'char' | 'text' | 'number' | 'float' | 'binary';
	length?: string;
	decimals?: string;
	notnull?: boolean;
	sequence?: boolean;
	default?: string;
};

export type KeyDefinition = {name: string; type: 'primary' | 'unique' | 'foreign' | 'foreign-unique'; fields: string; ref?: string};
export type IndexDefinition = {name: string; fields: string; unique: boolean};
export type TableDefinition = {columns: ColumnDefinition[]; keys: KeyDefinition[]; indexes: IndexDefinition[]; source: string};

/**
 * The Moodle 4.1 tables the site keeps, copied from Moodle's install.xml files (via the reference
 * definitions) so the site has Moodle's own names and types.
 */
export const MOODLE_RELEASE: string = moodleTables.moodle_release;
export const TABLES = moodleTables.tables as unknown as Readonly<Record<string, TableDefinition>>;

export function tableDefinition(table: string): TableDefinition {
	const definition = TABLES[table];
	if (!definition) throw new Error(`no definition for table "${table}"`);
	return definition;
}

export function splitFields(fields: string): string[] {
	return fields.split(',').map(field => field.trim()).filter(Boolean);
}
