import {parseStartDate} from '../engine/restore/date-offset.js';
/** Sizes, dates and names as the screens show them. */
import type {Lang, Translate} from './i18n/index.js';
import {formatBytes} from '../engine/format-bytes.js';

/** French writes sizes in octets, with a decimal comma (Moodle's "3,4 Mo"). */
const FRENCH_SIZE_UNITS: Record<string, string> = {B: 'o', KB: 'Ko', MB: 'Mo', GB: 'Go', TB: 'To'};

/** A size as the interface's language writes it: 3.4 MB, 3,4 Mo. */
export function formatSize(bytes: number, lang: Lang): string {
	const english = formatBytes(bytes);
	if (lang !== 'fr') return english;
	const [number = '', unit = ''] = english.split(' ');
	return `${number.replace('.', ',')} ${FRENCH_SIZE_UNITS[unit] ?? unit}`;
}

/**
 * A section's name as the screens show it. Moodle's backup titles an unnamed section with its number
 * (moodle_backup.xml); its course page calls section 0 "General" and the others "Section N".
 */
export function sectionDisplayName(title: string, t: Translate): string {
	if (!/^\d+$/u.test(title)) return title;
	return title === '0' ? t('tree.generalSection') : t('tree.numberedSection', {number: title});
}

/** YYYY-MM-DD HH:MM in UTC from a Unix time. */
export function formatTime(unixSeconds: number, timeZone?: string): string {
	const date = new Date(unixSeconds * 1000);
	if (!timeZone) return date.toISOString().slice(0, 16).replace('T', ' ');
	const parts = Object.fromEntries(new Intl.DateTimeFormat('en', {
		timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
	}).formatToParts(date).map(part => [part.type, part.value]));
	return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}`;
}

/** YYYY-MM-DD in UTC from a Unix time. */
export function formatDate(unixSeconds: number): string {
	return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}

/** A Unix time from YYYY-MM-DD (UTC midnight) keeping the time of day of `keepTimeOf`; undefined if invalid. */
export function parseDate(text: string, keepTimeOf = 0): number | undefined {
	// The wizard takes days only; the engine's rule keeps the time of day, as the command does.
	return /^\s*\d{4}-\d{2}-\d{2}\s*$/u.test(text) ? parseStartDate(text, keepTimeOf) : undefined;
}
