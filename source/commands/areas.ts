import {parseCommandLine} from './parse-command-line.js';
import type {Command} from './command.js';
import {resolveSiteLocation} from '../config.js';
import {deleteAreaFile, exportAreaFile, listAreas, type AreaFile} from '../engine/areas/backup-areas.js';
import {UsageError} from '../engine/errors.js';
import {openSite} from '../engine/store/site.js';

const usage = `
  Usage
    mbz areas list [--course ID] [--json]     backup files in the site's backup areas, newest first
    mbz areas export ID --out PATH            copy one out (PATH: a file, or a directory to keep its name)
    mbz areas delete ID                       delete one (and its blob when nothing else uses it)

  Areas (as in Moodle): course (backup/course), section, activity, user (the private area of the user who made
  it: backups without users or anonymized) and automated (backup/automated).

  Options
    --site DIR|URL   the site (default: MBZ_SITE, preferences, the demo site)
    --course ID      only the backups of this course
    --out PATH       where export writes
    --json           one JSON object
`;

function formatTime(seconds: number): string {
	return new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 16);
}

function formatList(files: readonly AreaFile[]): string {
	if (files.length === 0) return 'No backup files.\n';
	const rows = files.map(file => [
		String(file.id), file.area, file.courseId === undefined ? '-' : String(file.courseId), String(file.filesize), formatTime(file.timemodified), file.filename,
	]);
	const header = ['ID', 'AREA', 'COURSE', 'BYTES', 'MODIFIED (UTC)', 'NAME'];
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)));
	const line = (cells: string[]) => cells.map((cell, column) => column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)).join('  ');
	return [line(header), ...rows.map(line)].join('\n') + '\n';
}

function parseId(text: string | undefined, what: string): number {
	if (text === undefined) throw new UsageError(`missing ${what} (see mbz areas --help)`);
	const id = Number(text);
	if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError(`"${text}" is not a valid ${what}`);
	return id;
}

export const areasCommand: Command = {
	summary: 'areas list|export|delete          the backup areas (course, user private, automated)',
	usage,
	async run(argv) {
		const cli = parseCommandLine(usage, {
			argv, importMeta: import.meta, allowUnknownFlags: false,
			flags: {site: {type: 'string'}, course: {type: 'string'}, out: {type: 'string'}, json: {type: 'boolean', default: false}},
		});
		const [action, idText, ...extra] = cli.input;
		if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
		if (action !== 'list' && action !== 'export' && action !== 'delete') {
			throw new UsageError(action === undefined ? 'missing action: list, export or delete' : `unknown action "${action}": list, export or delete`);
		}
		const courseId = cli.flags.course === undefined ? undefined : parseId(cli.flags.course, 'course id');
		if (action !== 'list' && courseId !== undefined) throw new UsageError('--course only applies to "list"');
		if (action === 'list' && idText !== undefined) throw new UsageError(`unexpected argument "${idText}"`);
		const fileId = action === 'list' ? 0 : parseId(idText, 'backup file id');
		if (action === 'export' && !cli.flags.out) throw new UsageError('export needs --out PATH');

		const site = await openSite(resolveSiteLocation(cli.flags.site));
		try {
			if (action === 'list') {
				const files = await listAreas(site, courseId === undefined ? {} : {courseId});
				process.stdout.write(cli.flags.json ? `${JSON.stringify({files}, null, 2)}\n` : formatList(files));
			} else if (action === 'export') {
				const result = await exportAreaFile(site, fileId, cli.flags.out!);
				process.stdout.write(cli.flags.json ? `${JSON.stringify(result)}\n` : `${result.path} (${result.bytes} bytes)\n`);
			} else {
				const file = await deleteAreaFile(site, fileId);
				process.stdout.write(cli.flags.json ? `${JSON.stringify({deleted: file})}\n` : `Deleted ${file.filename} (${file.area} area)\n`);
			}
		} finally {
			await site.close();
		}
		return 0;
	},
};
