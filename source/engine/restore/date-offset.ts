/**
 * Moodle's date shifting (restore_step::apply_date_offset): the offset is the chosen course start date minus the
 * backup's original course start date (zero when either is empty), and it is added to every non-empty date that
 * a step passes through it.
 */
export function computeDateOffset(targetStartDate: number | null | undefined, originalStartDate: number | null | undefined): number {
	if (!targetStartDate || !originalStartDate) return 0;
	return targetStartDate - originalStartDate;
}

/** Shifts one stored date value ('0', '', null stay as they are: "no date"). */
export function shiftDate(value: number, offset: number): number;
export function shiftDate(value: string | null | undefined, offset: number): string | null | undefined;
export function shiftDate(value: string | number | null | undefined, offset: number): string | number | null | undefined {
	if (!offset || value === null || value === undefined || value === '' || value === 0 || value === '0') return value;
	const numeric = Number(value);
	if (!Number.isFinite(numeric) || numeric === 0) return value;
	return typeof value === 'number' ? numeric + offset : String(numeric + offset);
}

/**
 * Parses `YYYY-MM-DD` or a unix timestamp into seconds; undefined when it is neither (or no day of the calendar).
 * A day keeps the time of day of `keepTimeOf` (the start date it replaces), so the course and everything dated move
 * by whole days, the same from the command and from the wizard, whatever the server's time zone.
 */
export function parseStartDate(text: string, keepTimeOf = 0): number | undefined {
	const trimmed = text.trim();
	if (/^\d+$/.test(trimmed)) return Number(trimmed);
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
	if (!match) return undefined;
	const milliseconds = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
	const date = new Date(milliseconds);
	if (date.getUTCMonth() !== Number(match[2]) - 1 || date.getUTCDate() !== Number(match[3])) return undefined;
	const timeOfDay = ((keepTimeOf % 86_400) + 86_400) % 86_400;
	return milliseconds / 1000 + timeOfDay;
}
