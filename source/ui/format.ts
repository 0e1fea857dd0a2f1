/** Sizes, dates and names as the screens show them. */
import type {Translate} from './i18n/index.js';

export {formatBytes} from '../engine/format-bytes.js';

/**
 * A section's name as the screens show it. Moodle's backup titles an unnamed section with its number
 * (moodle_backup.xml); its course page calls section 0 "General" and the others "Section N".
 */
export function sectionDisplayName(title: string, t: Translate): string {
	if (!/^\d+$/u.test(title)) return title;
	return title === '0' ? t('tree.generalSection') : t('tree.numberedSection', {number: title});
}

/** YYYY-MM-DD HH:MM in UTC from a Unix time. */
export function formatTime(unixSeconds: number): string {
	return new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

/** YYYY-MM-DD in UTC from a Unix time. */
export function formatDate(unixSeconds: number): string {
	return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}

/** A Unix time from YYYY-MM-DD (UTC midnight) keeping the time of day of `keepTimeOf`; undefined if invalid. */
export function parseDate(text: string, keepTimeOf = 0): number | undefined {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(text.trim());
	if (!match) return undefined;
	const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
	const check = new Date(day);
	if (check.getUTCMonth() !== Number(match[2]) - 1) return undefined;
	const timeOfDay = ((keepTimeOf % 86_400) + 86_400) % 86_400;
	return day / 1000 + timeOfDay;
}
