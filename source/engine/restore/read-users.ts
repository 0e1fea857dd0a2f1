import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {readXmlFile, type XmlRecord} from '../xml/read-xml-records.js';
import type {BackupUser} from './user-precheck.js';

const USER = '/users/user';

/**
 * Streams users.xml one <user> at a time (never the whole file in memory). Without `withFields` only what the
 * precheck matches on is kept (the full record is read again, batch by batch, when the accounts are created).
 * Nested custom fields, tags, preferences and user-context roles are read by the user writer.
 */
export async function* readBackupUsers(xmlDir: string, file: string, options: {withFields?: boolean} = {}): AsyncGenerator<BackupUser> {
	const entry = 'users.xml';
	const path = join(xmlDir, entry);
	if (!existsSync(path)) return;
	for await (const record of readXmlFile(path, {file, entry, paths: [USER]})) yield backupUserOf(record, options.withFields ?? false);
}

/** One users.xml <user> record as the precheck and the user writer see it. */
export function backupUserOf(record: XmlRecord, withFields: boolean): BackupUser {
	const data = record.data;
	return {
		id: Number(record.attrs['id']),
		contextId: record.attrs['contextid'] ? Number(record.attrs['contextid']) : undefined,
		username: data['username'] ?? '',
		email: data['email'] ?? '',
		firstname: data['firstname'] ?? '',
		lastname: data['lastname'] ?? '',
		firstaccess: Number(data['firstaccess'] ?? 0) || 0,
		deleted: data['deleted'] === '1',
		auth: data['auth'] ?? 'manual',
		mnetHostUrl: data['mnethosturl'] ?? undefined,
		fields: withFields ? data : {},
	};
}
