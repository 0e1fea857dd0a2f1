/**
 * `npm run bench`: builds, then runs the benchmarks named on the command line (default: all that exist).
 *   npm run bench -- inspect [--runs 5]
 */
import {existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {execFileSync} from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));

/** Benchmarks that run in this process, and those that are scripts of their own (run with tsx). */
const inProcess: Record<string, (argv: string[]) => Promise<number>> = {
	inspect: async (argv) => (await import('./inspect-bench.js')).main(argv),
};
const scripts: Record<string, string> = {restore: 'restore-bench.ts', backup: 'backup-bench.ts', adapters: 'adapters-bench.ts'};

const [first, ...rest] = process.argv.slice(2);
const named = first !== undefined && !first.startsWith('-') ? [first] : [...Object.keys(inProcess), ...Object.keys(scripts).filter((name) => existsSync(join(here, scripts[name]!)))];
const argv = first !== undefined && !first.startsWith('-') ? rest : process.argv.slice(2);

let exitCode = 0;
for (const name of named) {
	process.stdout.write(`\n== ${name} ==\n`);
	const run = inProcess[name];
	if (run) {
		exitCode = Math.max(exitCode, await run(argv));
		continue;
	}
	const script = scripts[name];
	if (!script || !existsSync(join(here, script))) {
		process.stderr.write(`bench: unknown benchmark "${name}" (known: ${[...Object.keys(inProcess), ...Object.keys(scripts)].join(', ')})\n`);
		exitCode = 2;
		continue;
	}
	try {
		execFileSync(process.execPath, ['--import=tsx', join(here, script), ...argv], {stdio: 'inherit'});
	} catch {
		exitCode = Math.max(exitCode, 1);
	}
}
process.exitCode = exitCode;
