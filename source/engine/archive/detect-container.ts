import {promises as fs} from 'node:fs';
import {ArchiveError} from '../errors.js';
import {notice, type Notice} from '../notices.js';

export type Container = 'tgz' | 'zip';

/** Opens the file only to read its first bytes: the container is told by magic bytes, never by the name. */
export async function detectContainer(file: string): Promise<{container: Container; size: number}> {
	let size: number;
	try {
		const stat = await fs.stat(file);
		if (stat.isDirectory()) throw new ArchiveError(file, notice('archiveIsDirectory'));
		if (!stat.isFile()) throw new ArchiveError(file, notice('archiveNotRegularFile'));
		size = stat.size;
	} catch (error) {
		if (error instanceof ArchiveError) throw error;
		throw new ArchiveError(file, describeFsError(error));
	}
	if (size === 0) throw new ArchiveError(file, notice('archiveEmpty'));
	const head = Buffer.alloc(4);
	let handle: fs.FileHandle | undefined;
	try {
		handle = await fs.open(file, 'r');
		await handle.read(head, 0, 4, 0);
	} catch (error) {
		throw new ArchiveError(file, describeFsError(error));
	} finally {
		await handle?.close();
	}
	if (head[0] === 0x1f && head[1] === 0x8b) return {container: 'tgz', size};
	const zipMagic = head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
	if (zipMagic) return {container: 'zip', size};
	throw new ArchiveError(file, notice('archiveUnknownFormat'));
}

export function describeFsError(error: unknown): Notice | string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (code === 'ENOENT') return notice('archiveNoSuchFile');
	if (code === 'EACCES' || code === 'EPERM') return notice('archivePermissionDenied');
	if (code === 'EISDIR') return notice('archiveIsDirectory');
	return error instanceof Error ? error.message : String(error);
}
