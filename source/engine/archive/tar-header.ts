/** Moodle's tgz_packer::write_tar_entry() header rules (spec §1.1), byte for byte. */

export const TAR_BLOCK = 512;
/** 2013-01-01: Moodle's mtime for directories and the index, whose time is unknown. */
export const DEFAULT_TAR_MTIME = 1356998400;

/** Splits a path longer than 100 bytes at '/' into prefix (≤ 155) and name (≤ 100), as Moodle does. */
function splitName(archivePath: string): {name: string; prefix: string} {
	let name = archivePath;
	let prefix = '';
	while (Buffer.byteLength(name) > 100) {
		const slash = name.indexOf('/');
		if (slash === -1) throw new Error(`Name cannot fit length restrictions (> 100 characters): ${archivePath}`);
		if (prefix !== '') prefix += '/';
		prefix += name.slice(0, slash);
		name = name.slice(slash + 1);
		if (Buffer.byteLength(prefix) > 155) throw new Error(`Name cannot fit length restrictions (path too long): ${archivePath}`);
	}
	return {name, prefix};
}

function octal(value: number, digits: number): string {
	const text = value.toString(8);
	if (text.length > digits) throw new Error(`value ${value} does not fit ${digits} octal digits`);
	return text.padStart(digits, '0');
}

/** One 512-byte ustar header: mode 0644/0755, uid/gid 0, empty uname/gname, magic "ustar\0" "00". */
export function tarHeader(archivePath: string, directory: boolean, size: number, mtime: number | undefined): Buffer {
	const path = directory && !archivePath.endsWith('/') ? `${archivePath}/` : archivePath;
	const {name, prefix} = splitName(path);
	const header = Buffer.alloc(TAR_BLOCK, 0);
	header.write(name, 0, 100, 'utf8');
	header.write(`0000${directory ? '755' : '644'}\0${'0'.repeat(7)}\0${'0'.repeat(7)}\0`, 100, 'latin1');
	header.write(`${octal(size, 11)}\0`, 124, 'latin1');
	header.write(`${octal(mtime ?? DEFAULT_TAR_MTIME, 11)}\0`, 136, 'latin1');
	header.write('        ', 148, 'latin1');
	header.write(directory ? '5' : '0', 156, 'latin1');
	header.write('ustar\u000000', 257, 'latin1');
	header.write(prefix, 345, 155, 'utf8');
	let checksum = 0;
	for (const byte of header) checksum += byte;
	header.write(`${octal(checksum, 6)}\0 `, 148, 'latin1');
	return header;
}

/** Zero bytes that complete an entry's last 512-byte block. */
export function tarPadding(size: number): Buffer {
	const leftover = size % TAR_BLOCK;
	return Buffer.alloc(leftover === 0 ? 0 : TAR_BLOCK - leftover, 0);
}
