import {ArchiveError} from '../errors.js';
import {notice} from '../notices.js';

/**
 * Normalises an archive entry path ('./a//b/' -> 'a/b') and refuses paths that could escape the
 * extraction directory: absolute paths, drive letters and any '..' segment.
 */
export function safeEntryPath(file: string, rawPath: string): string {
	const path = rawPath.replace(/\\/g, '/');
	if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) {
		throw new ArchiveError(file, notice('archiveUnsafeAbsolute'), rawPath);
	}
	const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
	if (segments.includes('..')) throw new ArchiveError(file, notice('archiveUnsafeParent'), rawPath);
	if (segments.length === 0) throw new ArchiveError(file, 'entry with an empty path', rawPath);
	return segments.join('/');
}
