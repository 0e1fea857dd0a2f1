import {createInterface} from 'node:readline/promises';
import {parseCommandLine} from './parse-command-line.js';
import type {Command} from './command.js';
import {openPreferences, resolveLanguage, resolveSiteLocation} from '../config.js';
import {UsageError} from '../engine/errors.js';
import {parseStartDate} from '../engine/restore/date-offset.js';
import {refusal} from '../engine/restore/execute-restore.js';
import {formatResult, formatReview} from '../engine/restore/format-review.js';
import {openRestore, type RestorePlan} from '../engine/restore/restore-plan.js';
import type {RestoreDestination, RestoreResult, RestoreReview} from '../engine/restore/types.js';
import {openSite} from '../engine/store/site.js';
import {formatBytes} from '../engine/format-bytes.js';
import {COURSE_FULLNAME_MAX, COURSE_SHORTNAME_MAX} from '../engine/settings/restore-settings.js';

const usage = `
  Usage
    mbz restore FILE --target new --category ID [options]
    mbz restore FILE --target merge --course ID [options]
    mbz restore FILE --target replace --course ID [--keep-enrolments] [--keep-groups] [options]

  Restores a Moodle backup (.mbz) into the site the way Moodle does, after showing what will happen: users to
  create, to map and in conflict, enrolment methods dropped or converted, warnings. Everything is written in one
  transaction: on any failure the site is left exactly as it was.

  Options
    --site DIR|URL           the site (default: MBZ_SITE, preferences, the demo site)
    --target new|merge|replace
    --category ID            category of the new course (--target new)
    --course ID              the existing course (--target merge / replace)
    --keep-enrolments        replace: keep the course's current roles and enrolments
    --keep-groups            replace: keep the course's current groups and groupings
    --no-users               restore without user data
    --enrolments never|withusers|always
                             enrolment methods: never (users become manual enrolments), only with users (default), always
    --manual-enrolments      users of a cohort method that cannot be restored here are enrolled manually instead
                             (always so with --enrolments never)
    --on-conflict abort|no-users|map-by-email
                             user conflicts: refuse (default), restore without user data, or map each conflicting
                             user to the existing account with the same email
    --fullname S, --shortname S, --startdate YYYY-MM-DD
                             course names and start date (every date is shifted by the start date change);
                             with merge/replace they turn on "overwrite course configuration", as in Moodle: the
                             backup's course settings, names and summary replace the course's, except what is given
    --exclude CMID|section:N leave out an activity (course module id) or a section (by number); repeatable
    --no-userdata CMID       restore an activity without its user data; repeatable
    --lang en|fr             language of the words written into the site (a taken course name gets " copy 1" / " copie 1");
                             default: the preferences, then LANG
    --dry-run                print the review and write nothing
    --json                   one JSON object (precheck, warnings, review, courseId after a real restore)
    --yes                    do not ask for confirmation on a terminal
`;

/** `--no-userdata X` would read as the negation of a boolean `userdata`: rename it before parsing. */
function renameNoUserdata(argv: readonly string[]): string[] {
	return argv.map((argument) => argument === '--no-userdata' ? '--without-userdata' : argument.startsWith('--no-userdata=') ? `--without-userdata=${argument.slice(14)}` : argument);
}

function positiveId(text: string | undefined, flag: string): number {
	const id = Number(text);
	if (text === undefined || !Number.isSafeInteger(id) || id <= 0) throw new UsageError(`${flag} needs a positive id${text === undefined ? '' : `, not "${text}"`}`);
	return id;
}

function destinationFrom(flags: {target?: string; category?: string; course?: string; keepEnrolments: boolean; keepGroups: boolean}): RestoreDestination {
	if (flags.target === undefined) throw new UsageError('missing --target new|merge|replace');
	if ((flags.keepEnrolments || flags.keepGroups) && flags.target !== 'replace') throw new UsageError('--keep-enrolments and --keep-groups only apply to --target replace');
	switch (flags.target) {
		case 'new':
			if (flags.course !== undefined) throw new UsageError('--target new takes --category, not --course');
			return {target: 'new', categoryId: positiveId(flags.category, '--category')};
		case 'merge':
			if (flags.category !== undefined) throw new UsageError('--target merge takes --course, not --category');
			return {target: 'merge', courseId: positiveId(flags.course, '--course')};
		case 'replace':
			if (flags.category !== undefined) throw new UsageError('--target replace takes --course, not --category');
			return {target: 'replace', courseId: positiveId(flags.course, '--course'), keepRolesAndEnrolments: flags.keepEnrolments, keepGroupsAndGroupings: flags.keepGroups};
		default:
			throw new UsageError(`unknown --target "${flags.target}": new, merge or replace`);
	}
}

async function applySchemaChoices(plan: RestorePlan, flags: {exclude: string[]; withoutUserdata: string[]}): Promise<void> {
	const activityByCmid = (text: string, flag: string) => {
		const cmid = positiveId(text, flag);
		const activity = plan.info.activities.find((candidate) => candidate.cmid === cmid);
		if (!activity) throw new UsageError(`${flag} ${text}: the backup has no activity with course module id ${cmid}`);
		return activity;
	};
	for (const item of flags.exclude) {
		const section = /^section:(\d+)$/.exec(item);
		if (section) {
			const sectionId = (await plan.sectionNumbers()).get(Number(section[1]));
			if (sectionId === undefined) throw new UsageError(`--exclude ${item}: the backup has no section number ${section[1]}`);
			plan.settings.set(`section_${sectionId}_included`, false);
		} else {
			const activity = activityByCmid(item, '--exclude');
			plan.settings.set(`${activity.modulename}_${activity.cmid}_included`, false);
		}
	}
	for (const item of flags.withoutUserdata) {
		const activity = activityByCmid(item, '--no-userdata');
		plan.settings.set(`${activity.modulename}_${activity.cmid}_userinfo`, false);
	}
}

function jsonOutput(review: RestoreReview, result?: RestoreResult, extra: Record<string, unknown> = {}): string {
	return `${JSON.stringify({
		precheck: review.precheck, warnings: result?.warnings ?? review.warnings, blockers: review.blockers, review,
		...(result ? {courseId: result.courseId, result} : {}), ...extra,
	}, null, 2)}\n`;
}

async function confirmOnTerminal(): Promise<boolean> {
	const prompt = createInterface({input: process.stdin, output: process.stderr});
	try {
		const answer = await prompt.question('Restore now? [y/N] ');
		return /^y(es)?$/i.test(answer.trim());
	} finally {
		prompt.close();
	}
}

export const restoreCommand: Command = {
	summary: 'restore FILE --target ...         restore a backup: precheck, review, one transaction',
	usage,
	async run(argv) {
		const cli = parseCommandLine(usage, {
			argv: renameNoUserdata(argv), importMeta: import.meta, allowUnknownFlags: false,
			flags: {
				site: {type: 'string'}, target: {type: 'string'}, category: {type: 'string'}, course: {type: 'string'},
				keepEnrolments: {type: 'boolean', default: false}, keepGroups: {type: 'boolean', default: false},
				users: {type: 'boolean', default: true}, enrolments: {type: 'string'}, manualEnrolments: {type: 'boolean', default: false},
				onConflict: {type: 'string', default: 'abort'}, fullname: {type: 'string'}, shortname: {type: 'string'}, startdate: {type: 'string'},
				exclude: {type: 'string', isMultiple: true, default: []}, withoutUserdata: {type: 'string', isMultiple: true, default: []},
				lang: {type: 'string', choices: ['en', 'fr']},
				dryRun: {type: 'boolean', default: false}, json: {type: 'boolean', default: false}, yes: {type: 'boolean', default: false},
			},
		});
		const [file, ...extra] = cli.input;
		if (!file) throw new UsageError('missing the backup FILE (see mbz restore --help)');
		if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
		const flags = cli.flags;
		const destination = destinationFrom(flags);
		const policy = flags.onConflict;
		if (policy !== 'abort' && policy !== 'no-users' && policy !== 'map-by-email') throw new UsageError(`unknown --on-conflict "${policy}": abort, no-users or map-by-email`);
		if (flags.enrolments !== undefined && !['never', 'withusers', 'always'].includes(flags.enrolments)) throw new UsageError(`unknown --enrolments "${flags.enrolments}": never, withusers or always`);
		// Moodle's course form: both names required, within their columns.
		for (const [flag, value, max] of [['--fullname', flags.fullname, COURSE_FULLNAME_MAX], ['--shortname', flags.shortname, COURSE_SHORTNAME_MAX]] as const) {
			if (value === undefined) continue;
			if (value.trim() === '') throw new UsageError(`${flag} cannot be empty`);
			if (Array.from(value).length > max) throw new UsageError(`${flag} takes at most ${max} characters (${Array.from(value).length} given)`);
		}
		const startdate = flags.startdate === undefined ? undefined : parseStartDate(flags.startdate);
		if (flags.startdate !== undefined && startdate === undefined) throw new UsageError(`--startdate "${flags.startdate}" is not a date (YYYY-MM-DD)`);

		const site = await openSite(resolveSiteLocation(flags.site));
		try {
			// Ctrl-C while the archive is read stops the pass and removes what it had extracted and staged.
			const opening = new AbortController();
			const onInterruptWhileOpening = () => opening.abort();
			process.once('SIGINT', onInterruptWhileOpening);
			// A large backup takes seconds to read: on a terminal, how much of it has been read so far.
			const showOpening = !flags.json && process.stderr.isTTY;
			const onProgress = (done: number, total: number) => {
				process.stderr.write(`\r\u001B[Kreading the backup ${total > 0 ? Math.floor((done / total) * 100) : 100}% (${formatBytes(done)} of ${formatBytes(total)})`);
			};
			const plan = await openRestore(site, file, {conflictPolicy: policy, signal: opening.signal, lang: resolveLanguage(flags.lang, openPreferences().get('lang')), ...(showOpening ? {onProgress} : {})}).finally(() => {
				process.off('SIGINT', onInterruptWhileOpening);
				if (showOpening) process.stderr.write('\r\u001B[K');
			});
			try {
				await plan.setDestination(destination);
				const settings = plan.settings;
				if (!flags.users) settings.set('users', false);
				if (flags.enrolments === 'withusers' && !settings.item('enrolments').options?.some((option) => option.value === 'withusers')) {
					throw new UsageError('--enrolments withusers needs users in the backup, and this one has none: use never or always');
				}
				if (flags.enrolments !== undefined) settings.set('enrolments', flags.enrolments);
				// Already on (and locked) under --enrolments never, which enrols everyone manually.
				if (flags.manualEnrolments && settings.get('manual_enrolments') !== true) settings.set('manual_enrolments', true);
				const courseChoices = flags.fullname !== undefined || flags.shortname !== undefined || startdate !== undefined;
				if (courseChoices && !settings.has('course_fullname')) {
					throw new UsageError(`--fullname, --shortname and --startdate only apply to course backups; this is ${plan.info.type === 'activity' ? 'an activity' : 'a section'} backup`);
				}
				if (courseChoices && destination.target !== 'new' && settings.has('overwrite_conf')) settings.set('overwrite_conf', true);
				if (flags.fullname !== undefined) settings.set('course_fullname', flags.fullname);
				if (flags.shortname !== undefined) settings.set('course_shortname', flags.shortname);
				// The day given, at the time of day of the backup's start (as the wizard does): dates move by whole days.
				if (startdate !== undefined) settings.set('course_startdate', parseStartDate(flags.startdate!, plan.info.originalCourseStartdate)!);
				await applySchemaChoices(plan, {exclude: flags.exclude, withoutUserdata: flags.withoutUserdata});

				const review = await plan.review();
				if (flags.dryRun || review.blockers.length) {
					const error = review.blockers.length ? refusal(review.blockers) : undefined;
					// A refusal in JSON is the review with the same `error` object as any other failure.
					const refused = error ? {error: {message: error.message, kind: error.name, exitCode: error.exitCode}} : {};
					process.stdout.write(flags.json ? jsonOutput(review, undefined, {dryRun: flags.dryRun, ...refused}) : formatReview(review));
					if (error && flags.json) {
						process.stderr.write(`mbz: ${error.message}\n`);
						return error.exitCode;
					}
					if (error) throw error;
					return 0;
				}
				if (!flags.json) process.stdout.write(formatReview(review));
				if (!flags.yes && !flags.json && process.stdin.isTTY && process.stdout.isTTY) {
					if (!(await confirmOnTerminal())) {
						process.stdout.write('Nothing restored.\n');
						return 1;
					}
				}
				const controller = new AbortController();
				const onInterrupt = () => controller.abort();
				process.once('SIGINT', onInterrupt);
				const showProgress = !flags.json && process.stderr.isTTY;
				try {
					const result = await plan.execute({
						signal: controller.signal,
						onProgress: showProgress ? (stage, item, done, total) => {
							process.stderr.write(`\r\u001B[K${stage} ${done + 1}/${total} ${item}`.slice(0, process.stderr.columns ?? 80));
						} : undefined,
					});
					if (showProgress) process.stderr.write('\r\u001B[K');
					process.stdout.write(flags.json ? jsonOutput(review, result) : formatResult(result));
					return 0;
				} finally {
					process.off('SIGINT', onInterrupt);
				}
			} finally {
				await plan.close();
			}
		} finally {
			await site.close();
		}
	},
};
