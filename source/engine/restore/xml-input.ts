import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {readXmlFile, type XmlRecord} from '../xml/read-xml-records.js';

/** One extracted backup: where its XML is and the archive name used in messages. */
export type BackupXml = {xmlDir: string; file: string};

export function hasEntry(backup: BackupXml, entry: string): boolean {
	return existsSync(join(backup.xmlDir, entry));
}

/** Streams the records of one entry; nothing when the entry is absent (Moodle skips steps whose file is missing). */
export async function* records(backup: BackupXml, entry: string, paths: readonly string[]): AsyncGenerator<XmlRecord> {
	if (!hasEntry(backup, entry)) return;
	yield* readXmlFile(join(backup.xmlDir, entry), {file: backup.file, entry, paths});
}

/** Small entries only (course.xml, groups.xml …): all records in memory. */
export async function allRecords(backup: BackupXml, entry: string, paths: readonly string[]): Promise<XmlRecord[]> {
	const result: XmlRecord[] = [];
	for await (const record of records(backup, entry, paths)) result.push(record);
	return result;
}

export function intOf(value: string | null | undefined): number {
	if (value === null || value === undefined || value === '') return 0;
	const parsed = Number(value);
	return Number.isFinite(parsed) ? parsed : 0;
}
