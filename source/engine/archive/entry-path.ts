import {ArchiveError} from '../errors.js';

/**
 * Normalises an archive entry path ('./a//b/' -> 'a/b') and refuses paths that could escape the
 * extraction directory: absolute paths, drive letters and any '..' segment.
 */
export function safeEntryPath(file: string, rawPath: string): string {
	const path = rawPath.replace(/\\/g, '/');
	if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) {
		throw new ArchiveError(file, 'unsafe entry path (absolute path)', rawPath);
	}
	const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
	if (segments.includes('..')) throw new ArchiveError(file, "unsafe entry path (contains '..')", rawPath);
	if (segments.length === 0) throw new ArchiveError(file, 'entry with an empty path', rawPath);
	return segments.join('/');
}
