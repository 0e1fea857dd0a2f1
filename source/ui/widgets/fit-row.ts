/**
 * A row within `width` characters: the label shortened with "…" before the suffix (": < value >", " (reason)");
 * the suffix itself is cut only when it cannot fit beside a few characters of the label.
 */
export function fitRow(label: string, suffix: string, width: number): string {
	const characters = (text: string) => Array.from(text);
	if (characters(label).length + characters(suffix).length <= width) return label + suffix;
	const minimumLabel = 12;
	const room = width - characters(suffix).length;
	if (room >= minimumLabel) return `${characters(label).slice(0, room - 1).join('')}…${suffix}`;
	const whole = `${characters(label).slice(0, minimumLabel - 1).join('')}…${suffix}`;
	return characters(whole).length > width ? `${characters(whole).slice(0, Math.max(1, width - 1)).join('')}…` : whole;
}

/** `text` within `width` characters, its middle given way to "…" (a file name keeps its course and its date). */
export function shortenMiddle(text: string, width: number): string {
	const characters = Array.from(text);
	if (characters.length <= width) return text;
	if (width < 5) return characters.slice(0, Math.max(0, width)).join('');
	const tail = Math.floor((width - 1) / 2);
	return `${characters.slice(0, width - 1 - tail).join('')}…${characters.slice(characters.length - tail).join('')}`;
}
