import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const projectRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A benchmark's phases run as plain JavaScript, as the shipped command does: the benchmark file and the engine
 * bundled by esbuild (packages left external) beside node_modules so they resolve. Under the tsx loader each
 * phase would carry ~35 MB of loader memory that the product never has. Returns the file to run.
 */
export async function compiledSelf(moduleUrl: string): Promise<string> {
	const self = fileURLToPath(moduleUrl);
	if (!self.endsWith('.ts')) return self;
	const esbuild = await import('esbuild');
	const outfile = path.join(projectRoot, 'node_modules', '.cache', 'mbz-bench', `${path.basename(self, '.ts')}.mjs`);
	await esbuild.build({entryPoints: [self], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile, logLevel: 'error'});
	return outfile;
}

/**
 * The runtime the `mbz` command starts with, read from cli.tsx's second line
 * (`//usr/bin/env true; exec /usr/bin/env NAME=VALUE ... node --flag ... "$0" "$@"`), so that a phase runs exactly as
 * the shipped command does.
 */
export function shippedRuntime(): {env: Record<string, string>; nodeFlags: string[]} {
	const line = readFileSync(path.join(projectRoot, 'cli.tsx'), 'utf8').split('\n', 2)[1] ?? '';
	const command = /; exec \/usr\/bin\/env (.*) "\$0" "\$@"$/.exec(line)?.[1];
	const words = command?.split(/\s+/).filter(Boolean) ?? [];
	const node = words.indexOf('node');
	if (node < 0) throw new Error(`cli.tsx: cannot read the runtime from its second line: ${line}`);
	const env = Object.fromEntries(words.slice(0, node).map((word) => word.split('=', 2) as [string, string]));
	return {env, nodeFlags: words.slice(node + 1)};
}

/** How to start `file` as a phase process: node's arguments and environment, the shipped command's runtime included. */
export function phaseCommand(file: string): {args: string[]; env: NodeJS.ProcessEnv} {
	const runtime = shippedRuntime();
	return {
		args: [...runtime.nodeFlags, ...(file.endsWith('.ts') ? ['--import', 'tsx'] : []), file],
		env: {...process.env, ...runtime.env},
	};
}
