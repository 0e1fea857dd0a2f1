/** The first visible row so that `cursor` stays inside a window of `height` rows. */
export function followCursor(offset: number, cursor: number, height: number, count: number): number {
	const rows = Math.max(1, height);
	let next = offset;
	if (cursor < next) next = cursor;
	if (cursor >= next + rows) next = cursor - rows + 1;
	return Math.max(0, Math.min(next, Math.max(0, count - rows)));
}
