import {isKey, type Keystroke} from '../keys.js';

/** The first visible row so that `cursor` stays inside a window of `height` rows. */
export function followCursor(offset: number, cursor: number, height: number, count: number): number {
	const rows = Math.max(1, height);
	let next = offset;
	if (cursor < next) next = cursor;
	if (cursor >= next + rows) next = cursor - rows + 1;
	return Math.max(0, Math.min(next, Math.max(0, count - rows)));
}

/**
 * How far a list key moves the cursor: one row (↑↓), a page (PgUp/PgDn), or to either end (Home/End, as far as
 * the list goes: the reducers clamp). Undefined for any other key.
 */
export function listMove(stroke: Keystroke, height: number): number | undefined {
	if (isKey(stroke, 'up')) return -1;
	if (isKey(stroke, 'down')) return 1;
	if (isKey(stroke, 'pageUp')) return -height;
	if (isKey(stroke, 'pageDown')) return height;
	if (isKey(stroke, 'home')) return Number.NEGATIVE_INFINITY;
	if (isKey(stroke, 'end')) return Number.POSITIVE_INFINITY;
	return undefined;
}
