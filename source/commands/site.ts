import {parseCommandLine} from './parse-command-line.js';
import type {Command} from './command.js';
import {openPreferences, resolveSiteLocation} from '../config.js';
import {UsageError} from '../engine/errors.js';
import {describeSite, type SiteInfo} from '../engine/store/site-info.js';
import {describePgServer} from '../engine/store/pg-site.js';
import {initSite, isPostgresLocation, openSite, siteExists} from '../engine/store/site.js';

const usage = `
  Usage
    mbz site init [--site DIR|URL] [--filedir DIR] [--demo] [--if-missing] [--wwwroot URL]
    mbz site info [--site DIR|URL] [--filedir DIR] [--json]

  init          create a site: an empty directory (or a new one) gets site.db and filedir/
    --demo        also fill it with the demo courses, users, enrolments, activities and files
    --if-missing  do nothing when a site already exists there
    --wwwroot     the site's address, as Moodle's wwwroot (default https://mbz.localhost)
  info          identity, schema version and rows per table
    --json        as JSON

  --site DIR    the site (default: MBZ_SITE, then preferences, then ~/.local/share/mbz-wizard/site)
  --site URL    a PostgreSQL site: postgres://user@host:port/db?prefix=mdl_ (optional &schema=NAME)
  --filedir DIR the file pool of a PostgreSQL site (init records it in the site; default: preferences)
`;

function formatInfo(info: SiteInfo): string {
	const lines = [
		`site:            ${info.location}`,
		`identifier:      ${info.identifier}`,
		`identifier hash: ${info.identifierHash}`,
		`wwwroot:         ${info.wwwroot}`,
		`schema version:  ${info.schemaVersion ?? 'unknown'}`,
		`Moodle release:  ${info.release ?? 'unknown'}`,
		`file pool:       ${info.filedir} (${info.blobs} files, ${info.blobBytes} bytes)`,
		'',
		'rows per table (empty tables omitted):',
	];
	const tables = Object.entries(info.counts).filter(([, count]) => count > 0);
	const width = Math.max(...tables.map(([table]) => table.length), 10);
	for (const [table, count] of tables) lines.push(`  ${table.padEnd(width)}  ${String(count).padStart(8)}`);
	const empty = Object.keys(info.counts).length - tables.length;
	lines.push(`  (${empty} empty tables)`);
	return `${lines.join('\n')}\n`;
}

export const siteCommand: Command = {
	summary: 'site init|info [--demo]           create or describe a site',
	usage,
	async run(argv) {
		const cli = parseCommandLine(usage, {
			argv,
			importMeta: import.meta,
			allowUnknownFlags: false,
			flags: {
				site: {type: 'string'},
				demo: {type: 'boolean', default: false},
				ifMissing: {type: 'boolean', default: false},
				wwwroot: {type: 'string'},
				json: {type: 'boolean', default: false},
				filedir: {type: 'string'},
			},
		});
		const [action, ...extra] = cli.input;
		if (extra.length > 0) throw new UsageError(`site: unexpected argument "${extra[0]}"`);
		const location = resolveSiteLocation(cli.flags.site);
		if (cli.flags.filedir && !isPostgresLocation(location)) throw new UsageError('site: --filedir applies to PostgreSQL sites; a directory site keeps its files in DIR/filedir');
		const filedir = isPostgresLocation(location) ? (cli.flags.filedir ?? openPreferences().get('filedir')) : undefined;
		if (action === 'init') {
			if (cli.flags.json) throw new UsageError('site init: --json applies to "site info" only');
			if (cli.flags.ifMissing && (await siteExists(location))) {
				process.stdout.write(`site already exists at ${location}: nothing to do\n`);
				return 0;
			}
			const site = await initSite(location, {demo: cli.flags.demo, ...(cli.flags.wwwroot ? {wwwroot: cli.flags.wwwroot} : {}), ...(filedir ? {filedir} : {})});
			try {
				const info = await describeSite(site);
				process.stdout.write(
					`created ${cli.flags.demo ? 'demo ' : ''}site at ${location}: ${info.counts['course']! - 1} courses, ${info.counts['user']} users, ${info.blobs} files (identifier hash ${info.identifierHash})\n`,
				);
			} finally {
				await site.close();
			}
			return 0;
		}
		if (action === 'info') {
			if (cli.flags.demo || cli.flags.ifMissing || cli.flags.wwwroot) throw new UsageError('site info: --demo, --if-missing and --wwwroot apply to "site init" only');
			// An explicit --filedir overrides the one recorded in a PostgreSQL site.
			const site = await openSite(location, {readOnly: true, ...(cli.flags.filedir ? {filedir: cli.flags.filedir} : {})});
			try {
				const info = await describeSite(site);
				const server = await describePgServer(site.db);
				if (cli.flags.json) process.stdout.write(`${JSON.stringify(server ? {...info, server} : info, null, 2)}\n`);
				else process.stdout.write(`${server ? `server:          ${server}\n` : ''}${formatInfo(info)}`);
			} finally {
				await site.close();
			}
			return 0;
		}
		throw new UsageError(action === undefined ? 'site: say "init" or "info" (see mbz site --help)' : `site: unknown action "${action}" (init or info)`);
	},
};
