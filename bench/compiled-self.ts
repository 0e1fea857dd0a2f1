import path from 'node:path';
import {fileURLToPath} from 'node:url';

/**
 * A benchmark's phases run as plain JavaScript, as the shipped command does: the benchmark file and the engine
 * bundled by esbuild (packages left external) beside node_modules so they resolve. Under the tsx loader each
 * phase would carry ~35 MB of loader memory that the product never has. Returns the file to run.
 */
export async function compiledSelf(moduleUrl: string): Promise<string> {
	const self = fileURLToPath(moduleUrl);
	if (!self.endsWith('.ts')) return self;
	const esbuild = await import('esbuild');
	const outfile = path.join(path.dirname(self), '..', 'node_modules', '.cache', 'mbz-bench', `${path.basename(self, '.ts')}.mjs`);
	await esbuild.build({entryPoints: [self], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile, logLevel: 'error'});
	return outfile;
}

/** The node arguments that run `file` (the tsx loader only for TypeScript). */
export function nodeArgs(file: string): string[] {
	return [...(file.endsWith('.ts') ? ['--import', 'tsx'] : []), file];
}
