import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {ExecutionContext} from 'ava';

/** The repository root (this file lives in test/helpers/). */
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of a real Moodle backup in fixtures/ (see fixtures/MANIFEST.md). */
export function fixturePath(name: string): string {
	return join(projectRoot, 'fixtures', name);
}

/** The built CLI entry (`npx tsc -p tsconfig.build.json` first). */
export const cliPath = join(projectRoot, 'dist', 'cli.js');

/** A fresh temporary directory, removed when the test ends. */
export async function tempDir(t: ExecutionContext, prefix = 'mbz-test-'): Promise<string> {
	const dir = await mkdtemp(join(tmpdir(), prefix));
	t.teardown(() => rm(dir, {recursive: true, force: true}));
	return dir;
}
