import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A fresh temporary directory, removed by the returned cleanup. */
export async function tempDir(label: string): Promise<{dir: string; cleanup: () => Promise<void>}> {
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), `mbz-${label}-`));
	return {dir, cleanup: () => fs.rm(dir, {recursive: true, force: true})};
}
