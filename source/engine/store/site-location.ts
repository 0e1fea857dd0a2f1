import path from 'node:path';
import {UsageError} from '../errors.js';

/**
 * Where a site lives. A plain path is an SQLite site directory; a `postgres://` (or `postgresql://`) URL is a
 * PostgreSQL database, e.g. `postgres://moodle@db.example:5432/moodle?prefix=mdl_&schema=backups`.
 * `prefix` (default `mdl_`) and `schema` (default: the server's search_path) are ours; every other query
 * parameter (sslmode, application_name, ...) is passed on to the PostgreSQL client untouched.
 */
export type SiteLocation = SqliteSiteLocation | PostgresSiteLocation;

export type SqliteSiteLocation = {kind: 'sqlite'; directory: string};

export type PostgresSiteLocation = {
	kind: 'postgres';
	/** Connection string for the client, without our own parameters. */
	connectionString: string;
	host: string;
	port: number;
	user: string;
	database: string;
	prefix: string;
	schema?: string;
	/** The location as shown to the admin: no password. */
	display: string;
};

export const DEFAULT_PREFIX = 'mdl_';

// Moodle's own rule for $CFG->prefix, kept short so prefixed names stay under PostgreSQL's 63-byte limit.
const PREFIX_PATTERN = /^[a-z][a-z0-9_]{0,9}$/;
const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

export function isPostgresLocation(location: string): boolean {
	return /^postgres(ql)?:\/\//i.test(location.trim());
}

export function parseSiteLocation(location: string): SiteLocation {
	const trimmed = location.trim();
	if (trimmed === '') throw new UsageError('site location is empty');
	if (!isPostgresLocation(trimmed)) return {kind: 'sqlite', directory: path.resolve(trimmed)};
	return parsePostgresLocation(trimmed);
}

function parsePostgresLocation(location: string): PostgresSiteLocation {
	let url: URL;
	try {
		url = new URL(location);
	} catch {
		throw new UsageError(`not a valid PostgreSQL URL: ${redact(location)}`);
	}
	const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
	if (database === '' || database.includes('/')) {
		throw new UsageError(`PostgreSQL URL must name one database (postgres://user@host:port/db): ${redact(location)}`);
	}
	const host = url.hostname === '' ? 'localhost' : decodeURIComponent(url.hostname);
	const port = url.port === '' ? 5432 : Number(url.port);
	const user = url.username === '' ? (process.env['PGUSER'] ?? process.env['USER'] ?? 'postgres') : decodeURIComponent(url.username);

	const prefix = url.searchParams.get('prefix') ?? DEFAULT_PREFIX;
	if (!PREFIX_PATTERN.test(prefix)) {
		throw new UsageError(`table prefix "${prefix}" must be 1-10 lowercase letters, digits or _, starting with a letter`);
	}
	const schema = url.searchParams.get('schema') ?? undefined;
	if (schema !== undefined && !SCHEMA_PATTERN.test(schema)) {
		throw new UsageError(`schema "${schema}" must be a lowercase identifier (letters, digits, _)`);
	}

	const clientUrl = new URL(url.href);
	clientUrl.searchParams.delete('prefix');
	clientUrl.searchParams.delete('schema');
	// pg's parser reads the host from the URL; make a bare `postgres:///db` explicit.
	if (clientUrl.hostname === '') clientUrl.hostname = host;

	const shown = new URL(url.href);
	shown.password = '';
	return {
		kind: 'postgres',
		connectionString: clientUrl.href,
		host,
		port,
		user,
		database,
		prefix,
		...(schema === undefined ? {} : {schema}),
		display: shown.href,
	};
}

/** A location with any password removed, for messages. */
export function displaySiteLocation(location: string): string {
	return isPostgresLocation(location) ? redact(location) : location;
}

function redact(location: string): string {
	return location.replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}
