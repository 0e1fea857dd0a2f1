import {parseCommandLine} from './parse-command-line.js';
import type {Command} from './command.js';
import {UsageError} from '../engine/errors.js';
import {readBackupDetails} from '../engine/details/read-backup-details.js';
import {formatInspectReport} from './inspect-report.js';

const usage = `
  Usage
    mbz inspect FILE [--json] [--site DIR|URL]

  Shows what a Moodle backup (.mbz) contains, like Moodle's restore "Confirm" page: backup details,
  settings, course, sections with their activities, and counts. Reads the archive once, without extracting it.

  --json        print the details as one JSON object
  --site        compare with this site to tell whether the backup comes from it (default: MBZ_SITE when set)
`;

export const inspectCommand: Command = {
	summary: 'inspect FILE [--json]            show what a backup contains (Moodle\'s restore "Confirm" page)',
	usage,
	async run(argv) {
		const cli = parseCommandLine(usage, {
			argv,
			importMeta: import.meta,
			allowUnknownFlags: false,
			flags: {
				json: {type: 'boolean', default: false},
				site: {type: 'string'},
			},
		});
		const [file, ...extra] = cli.input;
		if (!file) throw new UsageError('inspect: which backup? (mbz inspect FILE)');
		if (extra.length > 0) throw new UsageError(`inspect: unexpected argument "${extra[0]}"`);
		// Only a site named on purpose (--site, MBZ_SITE): inspecting a file needs none.
		const location = cli.flags.site ?? (process.env['MBZ_SITE'] || undefined);
		const siteIdentifierHash = location === undefined ? undefined : await siteHash(location);
		const details = await readBackupDetails(file, siteIdentifierHash === undefined ? {} : {siteIdentifierHash});
		process.stdout.write(cli.flags.json ? `${JSON.stringify(details, null, 2)}\n` : formatInspectReport(details));
		return 0;
	},
};

/** The site's identifier hash, loaded only when a site is named (keeps plain inspect free of the database driver). */
async function siteHash(location: string): Promise<string> {
	const {openSite, siteIdentifierHash} = await import('../engine/store/site.js');
	const site = await openSite(location);
	try {
		return siteIdentifierHash(site.identifier);
	} finally {
		await site.close();
	}
}
