import {createHash} from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Every file and directory under `root` (or `root` itself when it is a file) with mode, mtime and content hash. */
export async function snapshot(root: string): Promise<Record<string, string>> {
	const result: Record<string, string> = {};
	const visit = async (file: string) => {
		const stat = await fs.stat(file);
		const key = path.relative(root, file) || '.';
		if (stat.isDirectory()) {
			result[key] = `dir ${stat.mode.toString(8)} ${stat.mtimeMs}`;
			for (const name of (await fs.readdir(file)).sort()) await visit(path.join(file, name));
		} else {
			const hash = createHash('sha1').update(await fs.readFile(file)).digest('hex');
			result[key] = `file ${stat.mode.toString(8)} ${stat.mtimeMs} ${stat.size} ${hash}`;
		}
	};
	await visit(root);
	return result;
}
