#!/bin/sh
//usr/bin/env true; exec /usr/bin/env MALLOC_ARENA_MAX=1 node --v8-pool-size=1 "$0" "$@"
// The two lines above start Node with this runtime from any POSIX sh (line 2 is a comment to JavaScript; `env -S`
// in a shebang is not everywhere). Why this runtime: the database and file writes run on libuv's threads and V8
// collects on its own, and glibc gives each thread its own malloc arena, whose freed memory stays resident. One arena
// and one V8 helper thread lower a large restore's peak RSS by about 20 MB (10,000 users, 100,000 posts: 140-167 ->
// 128-130 MB), for no measurable time. (bench/compiled-self.ts runs the benchmarks' phases with this same line.)
import process from 'node:process';
import {readFileSync} from 'node:fs';
import {MbzError} from './source/engine/errors.js';
import {commandLoaders, commandSummaries} from './source/commands/registry.js';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string};

const help = `
  mbz — back up and restore Moodle courses (.mbz) from a terminal

  Usage
    mbz [--site DIR|URL] [--lang en|fr]       open the wizard (needs a terminal)
    mbz <command> [options]                   run one step non-interactively (scripts, cron)

  Commands
${Object.values(commandSummaries).map(line => `    mbz ${line}`).join('\n')}

  Global options (before or after the command)
    --site DIR|URL    the site: a directory (embedded SQLite site) or postgres://user@host:port/db?prefix=mdl_
                      (default: MBZ_SITE, then preferences, then the demo site)
    --lang en|fr      the wizard's language; for backup and restore, the words they write (default: preferences, then LANG)
    --help            this help; \`mbz <command> --help\` for a command's options
    --version         the program's version

  Exit status
    0 done · 1 failed (an unreadable backup, a site error) · 2 wrong usage · 3 restore refused by its precheck
    · 70 internal error · 130 cancelled (Ctrl-C). With --json, a failure is also one JSON object on stdout:
    {"error": {"message", "kind", "exitCode"}} (a refused restore: its review, with that "error").

  Examples
    mbz inspect backup-moodle2-course-9-rich101-20261123-1845.mbz
    mbz restore course.mbz --target new --category 1 --dry-run
    mbz backup --course 2 --no-users --out /srv/backups
`;

/** Commands that take --lang (the others would refuse it as unknown). */
const TAKES_LANG = new Set(['backup', 'restore']);

/** `mbz --site X --lang fr backup ...`: global options given before the command are passed to it. */
function commandFirst(argv: readonly string[]): string[] {
	const globals: string[] = [];
	let index = 0;
	for (; index < argv.length; index++) {
		const argument = argv[index]!;
		if (argument === '--site' || argument === '--lang') globals.push(argument, argv[++index] ?? '');
		else if (argument.startsWith('--site=') || argument.startsWith('--lang=')) globals.push(argument);
		else break;
	}
	const command = argv[index];
	if (globals.length === 0 || command === undefined || !(command in commandLoaders)) return [...argv];
	const passed: string[] = [];
	for (let at = 0; at < globals.length; at++) {
		const flag = globals[at]!;
		const isLang = flag.startsWith('--lang');
		const pair = flag === '--site' || flag === '--lang' ? [flag, globals[++at]!] : [flag];
		if (!isLang || TAKES_LANG.has(command)) passed.push(...pair);
	}
	return [command, ...passed, ...argv.slice(index + 1)];
}

async function main(input: string[]): Promise<number> {
	const argv = commandFirst(input);
	const [first, ...rest] = argv;
	if (first === '--version' || first === '-v') {
		process.stdout.write(`${packageJson.version}\n`);
		return 0;
	}
	if (first === '--help' || first === '-h' || first === 'help') {
		process.stdout.write(help.slice(1));
		return 0;
	}
	if (first !== undefined && !first.startsWith('-')) {
		const load = commandLoaders[first];
		if (!load) {
			process.stderr.write(`mbz: unknown command "${first}" (see mbz --help)\n`);
			return 2;
		}
		const command = await load();
		if (rest.includes('--help') || rest.includes('-h')) {
			process.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
			return 0;
		}
		return command.run(rest);
	}
	const {startWizard} = await import('./source/ui/start-wizard.js');
	return startWizard(argv);
}

// A reader that goes away (`mbz backup ... | head -1`) is no failure of the work done: stop writing, keep the status.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code !== 'EPIPE') throw error;
});

const args = process.argv.slice(2);
try {
	process.exitCode = await main(args);
} catch (error) {
	if (error instanceof MbzError) {
		process.stderr.write(`mbz: ${error.message}\n`);
		process.exitCode = error.exitCode;
		// A script reading --json gets an object to read instead of nothing (a refused restore returns its review instead).
		if (args.includes('--json')) {
			process.stdout.write(`${JSON.stringify({error: {message: error.message, kind: error.name, exitCode: error.exitCode}})}\n`);
		}
	} else {
		// An unexpected failure is a bug: keep the stack so it can be reported.
		process.stderr.write(`mbz: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exitCode = 70;
	}
}
