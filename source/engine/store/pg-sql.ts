/**
 * Turns the store's portable SQL into PostgreSQL text: `{name}` becomes the prefixed table name and each `?`
 * parameter becomes `$1`, `$2`, ... A `?` inside a string literal ('...', E'...', $tag$...$tag$), a quoted
 * identifier or a comment is left alone, so a literal question mark never shifts the parameters.
 */
export type PgSql = {text: string; parameterCount: number};

const TABLE_REFERENCE = /\{([a-z][a-z0-9_]*)\}/g;

export function toPgSql(sql: string, prefix: string): PgSql {
	// Tables first, everywhere, exactly as Moodle's DML (and the SQLite adapter) substitute them.
	sql = sql.replace(TABLE_REFERENCE, (_match, name: string) => prefix + name);
	let out = '';
	let parameterCount = 0;
	let i = 0;
	const n = sql.length;
	while (i < n) {
		const ch = sql[i]!;
		const next = sql[i + 1];
		if (ch === '\'') {
			const escapes = isEscapeStringStart(sql, i);
			const end = endOfQuoted(sql, i, '\'', escapes);
			out += sql.slice(i, end);
			i = end;
		} else if (ch === '"') {
			const end = endOfQuoted(sql, i, '"', false);
			out += sql.slice(i, end);
			i = end;
		} else if (ch === '-' && next === '-') {
			const newline = sql.indexOf('\n', i);
			const end = newline === -1 ? n : newline;
			out += sql.slice(i, end);
			i = end;
		} else if (ch === '/' && next === '*') {
			const end = endOfBlockComment(sql, i);
			out += sql.slice(i, end);
			i = end;
		} else if (ch === '$' && dollarTagAt(sql, i) !== undefined) {
			const tag = dollarTagAt(sql, i)!;
			const close = sql.indexOf(tag, i + tag.length);
			const end = close === -1 ? n : close + tag.length;
			out += sql.slice(i, end);
			i = end;
		} else if (ch === '?') {
			parameterCount++;
			out += `$${parameterCount}`;
			i++;
		} else {
			out += ch;
			i++;
		}
	}
	return {text: out, parameterCount};
}

/** E'...' strings take backslash escapes; the E must not be the end of a longer word. */
function isEscapeStringStart(sql: string, quote: number): boolean {
	const before = sql[quote - 1];
	if (before !== 'E' && before !== 'e') return false;
	const beforeThat = sql[quote - 2];
	return beforeThat === undefined || !/[A-Za-z0-9_$]/.test(beforeThat);
}

/** Index just past the closing quote; a doubled quote is an escaped one. Unterminated: end of text. */
function endOfQuoted(sql: string, open: number, quote: string, backslashEscapes: boolean): number {
	let i = open + 1;
	while (i < sql.length) {
		const ch = sql[i];
		if (backslashEscapes && ch === '\\') {
			i += 2;
		} else if (ch === quote) {
			if (sql[i + 1] === quote) i += 2;
			else return i + 1;
		} else {
			i++;
		}
	}
	return sql.length;
}

/** PostgreSQL block comments nest. */
function endOfBlockComment(sql: string, open: number): number {
	let depth = 0;
	let i = open;
	while (i < sql.length) {
		if (sql[i] === '/' && sql[i + 1] === '*') {
			depth++;
			i += 2;
		} else if (sql[i] === '*' && sql[i + 1] === '/') {
			depth--;
			i += 2;
			if (depth === 0) return i;
		} else {
			i++;
		}
	}
	return sql.length;
}

/** `$tag$` or `$$` opening a dollar-quoted string (not a `$1` parameter). */
function dollarTagAt(sql: string, i: number): string | undefined {
	const match = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 66));
	if (!match) return undefined;
	const before = sql[i - 1];
	if (before !== undefined && /[A-Za-z0-9_]/.test(before)) return undefined;
	return match[0];
}
