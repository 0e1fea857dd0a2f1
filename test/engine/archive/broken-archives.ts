import {createWriteStream} from 'node:fs';
import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {gunzipSync, gzipSync, inflateRawSync} from 'node:zlib';
import yazl from 'yazl';
import {tarHeader, tarPadding, TAR_BLOCK} from '../../../source/engine/archive/tar-header.js';
import {writeMbz} from '../../../source/engine/archive/write-mbz.js';
import {fixturePath} from '../../helpers/fixtures.js';
import {Readable} from 'node:stream';

/** Builders for every kind of bad input `mbz inspect` must explain in one line. Each writes into `dir`. */

const SOUND_TGZ = 'rich101_users.mbz';
const SOUND_ZIP = 'rich101_users_zipformat.mbz';

export async function truncatedGzip(dir: string): Promise<string> {
	const data = await readFile(fixturePath(SOUND_TGZ));
	const file = join(dir, 'truncated.mbz');
	await writeFile(file, data.subarray(0, Math.floor(data.length / 2)));
	return file;
}

export async function badGzipCrc(dir: string): Promise<string> {
	const data = Buffer.from(await readFile(fixturePath(SOUND_TGZ)));
	data[data.length - 8] = data[data.length - 8]! ^ 0xff; // first byte of the CRC32 trailer
	const file = join(dir, 'bad-crc.mbz');
	await writeFile(file, data);
	return file;
}

export async function corruptTarHeader(dir: string): Promise<string> {
	const tar = Buffer.from(gunzipSync(await readFile(fixturePath(SOUND_TGZ))));
	const indexSize = 13020; // .ARCHIVE_INDEX of this fixture
	const second = TAR_BLOCK + Math.ceil(indexSize / TAR_BLOCK) * TAR_BLOCK;
	tar[second + 3] = tar[second + 3]! ^ 0x20; // a name byte: the header checksum no longer matches
	const file = join(dir, 'bad-tar-header.mbz');
	await writeFile(file, gzipSync(tar));
	return file;
}

export async function badZipCentralDirectory(dir: string): Promise<string> {
	const data = Buffer.from(await readFile(fixturePath(SOUND_ZIP)));
	const central = data.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
	if (central < 0) throw new Error('fixture zip has no central directory');
	data[central + 2] = 0x09;
	const file = join(dir, 'bad-central-directory.mbz');
	await writeFile(file, data);
	return file;
}

export async function notAnArchive(dir: string): Promise<string> {
	const file = join(dir, 'notes.mbz');
	await writeFile(file, 'These are not the backups you are looking for.\n');
	return file;
}

export async function emptyFile(dir: string): Promise<string> {
	const file = join(dir, 'empty.mbz');
	await writeFile(file, '');
	return file;
}

function textEntry(path: string, text: string): {path: string; type: 'file'; size: number; open: () => Readable} {
	const data = Buffer.from(text, 'utf8');
	return {path, type: 'file', size: data.length, open: () => Readable.from([data])};
}

export async function withoutManifest(dir: string): Promise<string> {
	const file = join(dir, 'no-manifest.mbz');
	await writeMbz(file, [
		{path: 'course', type: 'directory', size: 0},
		textEntry('course/course.xml', '<?xml version="1.0" encoding="UTF-8"?>\n<course id="1">\n</course>'),
	]);
	return file;
}

/** moodle_backup.xml whose 4th line closes the wrong element. */
export async function malformedManifest(dir: string): Promise<string> {
	const file = join(dir, 'malformed.mbz');
	const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<moodle_backup>\n  <information>\n    <name>x.mbz</nome>\n  </information>\n</moodle_backup>';
	await writeMbz(file, [textEntry('files.xml', '<?xml version="1.0" encoding="UTF-8"?>\n<files>\n</files>'), textEntry('moodle_backup.xml', xml)]);
	return file;
}

/** A gzip'd tar with one entry whose path is `path` (e.g. '../evil.txt' or '/etc/evil'). */
export async function unsafeEntryPath(dir: string, path: string, name: string): Promise<string> {
	const body = Buffer.from('gotcha\n');
	const tar = Buffer.concat([tarHeader(path, false, body.length, 1_700_000_000), body, tarPadding(body.length), Buffer.alloc(2 * TAR_BLOCK)]);
	const file = join(dir, name);
	await writeFile(file, gzipSync(tar));
	return file;
}

/** A Moodle 1.9 backup: a zip with moodle.xml at its root. */
export async function moodle19Backup(dir: string): Promise<string> {
	const file = join(dir, 'backup-19.zip');
	const zip = new yazl.ZipFile();
	zip.addBuffer(Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<MOODLE_BACKUP>\n</MOODLE_BACKUP>\n'), 'moodle.xml');
	zip.addBuffer(Buffer.from('x'), 'course_files/readme.txt');
	zip.end();
	await new Promise<void>((resolve, reject) => {
		zip.outputStream.pipe(createWriteStream(file)).on('close', resolve).on('error', reject);
	});
	return file;
}

/** A zip whose entry name is `../evil.txt` (yazl refuses to write one, so the name is patched in afterwards). */
export async function zipWithDotDot(dir: string): Promise<string> {
	const file = join(dir, 'dotdot.zip');
	const zip = new yazl.ZipFile();
	zip.addBuffer(Buffer.from('gotcha\n'), 'xx/evil.txt');
	zip.end();
	const chunks: Buffer[] = [];
	for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
	const data = Buffer.concat(chunks);
	const name = Buffer.from('xx/evil.txt');
	for (let at = data.indexOf(name); at !== -1; at = data.indexOf(name, at + 1)) data.write('../evil.txt', at, 'latin1');
	await writeFile(file, data);
	return file;
}

/**
 * The real zip fixture with one bit of `entry`'s deflated data flipped where the data still inflates, to the same
 * length, into other bytes: only the entry's CRC-32 tells. Found by trying bits from the middle of the data on.
 */
export async function zipEntryWithDamagedData(dir: string, entry: string): Promise<string> {
	const data = Buffer.from(await readFile(fixturePath(SOUND_ZIP)));
	const name = Buffer.from(entry);
	// The local file header: signature, ..., sizes at 18 and 22, name length at 26, extra length at 28, then the name.
	let header = data.indexOf(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04])]));
	while (header !== -1 && !data.subarray(header + 30, header + 30 + name.length).equals(name)) header = data.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]), header + 4);
	if (header === -1) throw new Error(`fixture zip has no entry ${entry}`);
	const compressedSize = data.readUInt32LE(header + 18);
	const size = data.readUInt32LE(header + 22);
	const start = header + 30 + data.readUInt16LE(header + 26) + data.readUInt16LE(header + 28);
	const original = inflateRawSync(data.subarray(start, start + compressedSize));
	for (let at = start + Math.floor(compressedSize / 2); at < start + compressedSize; at++) {
		for (const bit of [0x01, 0x04, 0x10, 0x40]) {
			data[at] = data[at]! ^ bit;
			try {
				const inflated = inflateRawSync(data.subarray(start, start + compressedSize));
				if (inflated.length === size && !inflated.equals(original)) {
					const file = join(dir, 'damaged-entry.mbz');
					await writeFile(file, data);
					return file;
				}
			} catch {
				// this bit breaks the deflate stream itself: try another
			}
			data[at] = data[at]! ^ bit;
		}
	}
	throw new Error(`no bit of ${entry} inflates to other bytes of the same length`);
}
