import fs from 'node:fs';
import path from 'node:path';
import type {Notice} from '../notices.js';

/** The log Moodle packs into every backup (backup_zip_contents), as the last entry of the archive. */
export const BACKUP_LOG = 'moodle_backup.log';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** C's %c in UTC ("Tue Nov  3 08:05:09 2026"), what Moodle's loggers put in front of each line (userdate(time(), '%c')). */
export function cDate(when: Date): string {
	const two = (value: number): string => String(value).padStart(2, '0');
	const time = `${two(when.getUTCHours())}:${two(when.getUTCMinutes())}:${two(when.getUTCSeconds())}`;
	return `${WEEKDAYS[when.getUTCDay()]} ${MONTHS[when.getUTCMonth()]} ${String(when.getUTCDate()).padStart(2, ' ')} ${time} ${when.getUTCFullYear()}`;
}

/**
 * Writes moodle_backup.log into the backup's directory the way Moodle's file logger does at its default level
 * (warnings): one `[date] [warn] message` line per warning, so an empty file for a backup without any, as the
 * real fixtures have.
 */
export async function writeBackupLog(root: string, warnings: readonly Notice[], when = new Date()): Promise<void> {
	const lines = warnings.map((warning) => `[${cDate(when)}] [warn] ${warning.text}\n`);
	await fs.promises.writeFile(path.join(root, BACKUP_LOG), lines.join(''));
}
