import {parseCommandLine} from './parse-command-line.js';
import type {Command} from './command.js';
import {openPreferences, resolveSiteLocation} from '../config.js';
import {loadAutomatedSettings, runAutomatedBackups, saveAutomatedSettings, type AutomatedReport, type AutomatedSettings} from '../engine/areas/index.js';
import {UsageError} from '../engine/errors.js';
import {openSite} from '../engine/store/site.js';

const usage = `
  Usage
    mbz automated run [--site DIR|URL] [--all] [--json]
    mbz automated settings [--visible-only|--no-visible-only] [--skip-unmodified|--no-skip-unmodified]
                           [--skip-days N] [--keep N] [--json]

  run        backs up every course Moodle's automated-backup rules select into its automated area, deletes the
             older automated backups beyond --keep, and reports what was backed up, skipped (and why) and deleted.
             For cron: exits 1 if any course failed.
  settings   shows the automated backup settings, or changes them (kept in the preferences).

  Options
    --all                  back up every course, whatever the rules say (the yearly full run)
    --visible-only         skip hidden courses (default on)
    --skip-unmodified      skip courses not modified since their last automated backup (default on)
    --skip-days N          skip courses not modified in the last N days (0 = off, the default)
    --keep N               automated backups kept per course, newest first (default 2; 0 = all)
    --json                 one JSON object
`;

function formatReport(report: AutomatedReport): string {
	const lines: string[] = [];
	for (const course of report.courses) {
		const name = `course ${course.courseId} (${course.shortname})`;
		if (course.outcome === 'backedUp') {
			lines.push(`backed up  ${name}: ${course.filename} (${course.bytes} bytes)${course.warnings ? `, ${course.warnings.length} warning(s)` : ''}`);
			for (const warning of course.warnings ?? []) lines.push(`           warning: ${warning}`);
		} else if (course.outcome === 'skipped') {
			lines.push(`skipped    ${name}: ${course.text}`);
		} else {
			lines.push(`FAILED     ${name}: ${course.text}`);
		}
		for (const deleted of course.deleted) lines.push(`deleted    ${deleted.filename} (older automated backup, id ${deleted.id})`);
	}
	lines.push(`${report.backedUp} backed up, ${report.skipped} skipped, ${report.failed} failed, ${report.deleted} old backup(s) deleted.`);
	return lines.join('\n') + '\n';
}

function formatSettings(settings: AutomatedSettings): string {
	return [
		`visible courses only:              ${settings.activeOnly ? 'yes' : 'no'}`,
		`skip unmodified since last backup: ${settings.skipUnmodified ? 'yes' : 'no'}`,
		`skip if not modified for days:     ${settings.skipModifiedDays === 0 ? 'off' : settings.skipModifiedDays}`,
		`backups kept per course:           ${settings.keep === 0 ? 'all' : settings.keep}`,
	].join('\n') + '\n';
}

function given(argv: readonly string[], flag: string): boolean {
	return argv.some(argument => argument === `--${flag}` || argument === `--no-${flag}` || argument.startsWith(`--${flag}=`));
}

function wholeNumber(text: string | undefined, flag: string): number | undefined {
	if (text === undefined) return undefined;
	const value = Number(text);
	if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) throw new UsageError(`${flag} needs a whole number >= 0, got "${text}"`);
	return value;
}

export const automatedCommand: Command = {
	summary: 'automated run [--all]            run automated backups (for cron)',
	usage,
	async run(argv) {
		const cli = parseCommandLine(usage, {
			argv, importMeta: import.meta, allowUnknownFlags: false,
			flags: {
				site: {type: 'string'}, all: {type: 'boolean', default: false}, json: {type: 'boolean', default: false},
				visibleOnly: {type: 'boolean'}, skipUnmodified: {type: 'boolean'}, skipDays: {type: 'string'}, keep: {type: 'string'},
			},
		});
		const [action, ...extra] = cli.input;
		if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
		const prefs = openPreferences();
		if (action === 'settings') {
			const changes: Partial<AutomatedSettings> = {};
			// meow reports absent boolean flags as false: only the flags actually given change anything.
			if (given(argv, 'visible-only')) changes.activeOnly = cli.flags.visibleOnly === true;
			if (given(argv, 'skip-unmodified')) changes.skipUnmodified = cli.flags.skipUnmodified === true;
			const days = wholeNumber(cli.flags.skipDays, '--skip-days');
			if (days !== undefined) changes.skipModifiedDays = days;
			const keep = wholeNumber(cli.flags.keep, '--keep');
			if (keep !== undefined) changes.keep = keep;
			const settings = Object.keys(changes).length > 0 ? saveAutomatedSettings(changes, prefs) : loadAutomatedSettings(prefs);
			process.stdout.write(cli.flags.json ? `${JSON.stringify(settings)}\n` : formatSettings(settings));
			return 0;
		}
		if (action !== 'run') throw new UsageError(action === undefined ? 'missing action: run or settings' : `unknown action "${action}": run or settings`);
		for (const flag of ['visible-only', 'skip-unmodified', 'skip-days', 'keep']) {
			if (given(argv, flag)) throw new UsageError('change the automated backup settings with "mbz automated settings"');
		}
		const site = await openSite(resolveSiteLocation(cli.flags.site, prefs));
		let report: AutomatedReport;
		try {
			report = await runAutomatedBackups(site, {all: cli.flags.all, settings: loadAutomatedSettings(prefs)});
		} finally {
			await site.close();
		}
		process.stdout.write(cli.flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
		return report.failed > 0 ? 1 : 0;
	},
};
