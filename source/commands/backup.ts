import process from 'node:process';
import {parseCommandLine} from './parse-command-line.js';
import type {Command} from './command.js';
import {openPreferences, resolveLanguage, resolveSiteLocation} from '../config.js';
import {UsageError} from '../engine/errors.js';
import {planBackup} from '../engine/backup/plan-backup.js';
import {runBackup, type BackupRequest} from '../engine/backup/run-backup.js';
import {BACKUP_ROOT_SETTINGS, loadBackupDefaults} from '../engine/settings/index.js';
import {openSite} from '../engine/store/site.js';
import {formatBytes} from '../engine/format-bytes.js';

const usage = `
  Usage
    mbz backup --course ID | --section ID | --activity CMID [options]

  Options
    --site DIR|URL          the site (default: MBZ_SITE, preferences, the demo site)
    --no-users              leave enrolled users and all user data out
    --anonymize             anonymize user information (anon1, anon1@doesntexist.invalid, ...)
    --no-<setting>          turn a root setting off: role-assignments, activities, blocks, files, filters,
                            comments, badges, calendarevents, userscompletion, questionbank, groups,
                            competencies, customfield, contentbankcontent, legacyfiles
    --logs, --grade-histories   include course logs / grade history (off by default, as in Moodle)
    --imscc11               course only: export an IMS Common Cartridge 1.1 (.imscc) instead of a .mbz
                            (stored in your private backup area unless --out is given)
    --exclude CMID|section:N    leave an activity (course module id) or a section (number) out; repeatable
    --no-userdata CMID      leave the user data of one activity out; repeatable
    --out DIR               write the .mbz into DIR (made if missing; its parent must exist)
    --area course|user      store it in the course backup area or your private backup area
                            (default as Moodle: course area; private area for no-users or anonymized backups)
    --lang en|fr            language of the file name (backup-... / sauvegarde-...); default: the preferences, then LANG
    --json                  print the result as JSON

  Examples
    mbz backup --course 9
    mbz backup --course 9 --no-users --out /srv/backups
    mbz backup --activity 445 --anonymize --json
`;

const ROOT_FLAGS = BACKUP_ROOT_SETTINGS.map(setting => setting.name).filter(name => name !== 'users' && name !== 'anonymize');

function camel(name: string): string {
	return name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/** `--no-userdata 445` is a repeatable valued option, not the negation of a boolean: rename it before meow. */
function preprocess(argv: readonly string[]): string[] {
	const result: string[] = [];
	for (const arg of argv) {
		if (arg === '--no-userdata') result.push('--skip-userdata');
		else if (arg.startsWith('--no-userdata=')) result.push(`--skip-userdata=${arg.slice('--no-userdata='.length)}`);
		else if (/^--(no-)?[a-z]+_[a-z_]+(=|$)/.test(arg)) result.push(arg.replace(/_/g, '-'));
		else result.push(arg);
	}
	return result;
}

function positiveId(value: number | undefined, flag: string): number | undefined {
	if (value === undefined) return undefined;
	if (!Number.isInteger(value) || value <= 0) throw new UsageError(`--${flag} expects a positive id`);
	return value;
}

export const backupCommand: Command = {
	summary: 'backup --course ID | --section ID | --activity CMID ...   back up a course, section or activity',
	usage,
	async run(argv) {
		const rootFlags: Record<string, {type: 'boolean'}> = {};
		for (const name of ROOT_FLAGS) rootFlags[camel(name)] = {type: 'boolean'};
		const cli = parseCommandLine(usage, {
			argv: preprocess(argv),
			importMeta: import.meta,
			allowUnknownFlags: false,
			autoHelp: false,
			autoVersion: false,
			flags: {
				course: {type: 'number'},
				section: {type: 'number'},
				activity: {type: 'number'},
				site: {type: 'string'},
				users: {type: 'boolean', default: true},
				anonymize: {type: 'boolean', default: false},
				exclude: {type: 'string', isMultiple: true},
				skipUserdata: {type: 'number', isMultiple: true},
				out: {type: 'string'},
				area: {type: 'string', choices: ['course', 'user']},
				lang: {type: 'string', choices: ['en', 'fr']},
				json: {type: 'boolean', default: false},
				imscc11: {type: 'boolean', default: false},
				...rootFlags,
			},
		});
		const {flags} = cli;
		if (cli.input.length > 0) throw new UsageError(`unexpected argument "${cli.input[0]}" (see mbz backup --help)`);
		const targets = ([['course', flags.course], ['section', flags.section], ['activity', flags.activity]] as const)
			.filter(([, value]) => value !== undefined);
		if (targets.length !== 1) throw new UsageError('give exactly one of --course ID, --section ID or --activity CMID');
		const [type, rawId] = targets[0]!;
		const id = positiveId(rawId, type)!;
		if (flags.out !== undefined && flags.area !== undefined) throw new UsageError('give either --out DIR or --area, not both');
		if (flags.anonymize && !flags.users) throw new UsageError('--anonymize needs users: it cannot be combined with --no-users');

		// A cartridge has no users (IMS CC locks them off): only --no-users is said about users then.
		const root: Record<string, boolean> = flags.imscc11 && flags.users ? {} : {users: flags.users};
		if (flags.anonymize) root['anonymize'] = true;
		if (flags.imscc11) {
			if (type !== 'course') throw new UsageError('--imscc11 exports whole courses only: use it with --course ID');
			root['imscc11'] = true;
		}
		// meow reports absent booleans as false: only the root settings actually named on the command line count.
		const flagValues = flags as unknown as Record<string, boolean | undefined>;
		const given = preprocess(argv);
		for (const name of ROOT_FLAGS) {
			const kebab = name.replace(/_/g, '-');
			const named = given.some(arg => arg === `--${kebab}` || arg === `--no-${kebab}` || arg.startsWith(`--${kebab}=`));
			const value = flagValues[camel(name)];
			if (named && value !== undefined) root[name] = value;
		}
		const excludeCmids: number[] = [];
		const excludeSectionNumbers: number[] = [];
		for (const item of flags.exclude ?? []) {
			const section = /^section:(\d+)$/.exec(item);
			if (section) excludeSectionNumbers.push(Number(section[1]));
			else if (/^\d+$/.test(item)) excludeCmids.push(Number(item));
			else throw new UsageError(`--exclude expects a course module id or section:N, got "${item}"`);
		}
		const noUserdataCmids = (flags.skipUserdata ?? []).map(value => positiveId(value, 'no-userdata')!);

		const site = await openSite(resolveSiteLocation(flags.site));
		try {
			const {plan} = await planBackup(site.db, type, id, {
				root, excludeCmids, excludeSectionNumbers, noUserdataCmids,
				adminDefaults: loadBackupDefaults(openPreferences()),
			});
			const users = plan.isOn('users');
			const anonymized = users && plan.isOn('anonymize');
			const destination: BackupRequest['destination'] = flags.out !== undefined
				? {dir: flags.out}
				: {area: (flags.area as 'course' | 'user' | undefined) ?? (!users || anonymized ? 'user' : 'course')};
			const controller = new AbortController();
			const onSignal = () => controller.abort();
			process.once('SIGINT', onSignal);
			const showProgress = !flags.json && process.stderr.isTTY;
			try {
				const result = await runBackup(site, {
					type, id, settings: plan, destination, signal: controller.signal,
					lang: resolveLanguage(flags.lang, openPreferences().get('lang')),
					...(showProgress ? {onProgress: p => process.stderr.write(`\r\x1b[K${p.stage} ${p.done}/${p.total} ${p.item}`.slice(0, 120))} : {}),
				});
				if (showProgress) process.stderr.write('\r\x1b[K');
				if (flags.json) {
					// Where it really went (an IMS Common Cartridge goes to the private area).
					const stored = result.area ? {area: result.area} : destination;
					process.stdout.write(`${JSON.stringify({...result, type, id, destination: stored}, null, 2)}\n`);
				} else {
					const where = result.path ?? `${result.area ?? ''} backup area, file id ${result.areaFileId}`;
					const {counts} = result;
					process.stdout.write(`${result.filename}\n`);
					process.stdout.write(`  saved to   ${where}\n`);
					process.stdout.write(`  size       ${formatBytes(result.bytes)}\n`);
					process.stdout.write(`  contents   ${counts.sections} sections, ${counts.activities} activities, ${counts.users} users${anonymized ? ' (anonymized)' : ''}, ${counts.files} files (${formatBytes(counts.fileBytes)}${plan.isOn('files') ? '' : ', their contents left out'})\n`);
					for (const warning of result.warnings) process.stdout.write(`  warning    ${warning}\n`);
				}
				return 0;
			} finally {
				process.off('SIGINT', onSignal);
			}
		} finally {
			await site.close();
		}
	},
};
