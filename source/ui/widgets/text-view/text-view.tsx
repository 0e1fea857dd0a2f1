import {Box, Text} from 'ink';
import {useI18n} from '../../i18n/index.js';
import {useLayout} from '../../app-context.js';
import {useTextView} from './use-text-view.js';
import type {TextLine} from './use-text-view-state.js';
import type {Keystroke} from '../../keys.js';

export type {TextLine} from './use-text-view-state.js';

/**
 * The last space at or before `limit` where a line may break: not the space French typography puts before
 * : ; ! ? » or after « (a line starting with ": 15" or ending with "«" reads as broken).
 */
function breakBefore(text: string, limit: number): number {
	for (let at = text.lastIndexOf(' ', limit); at > 0; at = text.lastIndexOf(' ', at - 1)) {
		const next = text[at + 1];
		if (next !== undefined && ':;!?»'.includes(next)) continue;
		if (text[at - 1] === '«') continue;
		return at;
	}
	return -1;
}

/**
 * Long lines split at spaces to fit `width`, so that the window's height is exact; continuation lines are indented
 * two more. A word longer than the width (a 100-character short name) is cut where the line ends.
 */
export function wrapLines(lines: readonly TextLine[], width: number): TextLine[] {
	const result: TextLine[] = [];
	const limit = Math.max(1, width);
	for (const line of lines) {
		const indent = /^ */u.exec(line.text)?.[0] ?? '';
		// A continuation must leave room for text, or no line would ever get shorter.
		const continuation = indent.length + 2 < limit / 2 ? `${indent}  ` : '';
		let rest = line.text;
		while (rest.length > limit) {
			const leading = /^ */u.exec(rest)?.[0].length ?? 0;
			let cut = breakBefore(rest, limit);
			if (cut <= leading) cut = limit;
			result.push({...line, text: rest.slice(0, cut)});
			const remaining = rest.slice(cut).trimStart();
			rest = remaining === '' ? '' : `${continuation}${remaining}`;
		}
		if (rest !== '' || line.text === '') result.push({...line, text: rest});
	}
	return result;
}

/** Lines of text in a window that scrolls, with "more" marks above and below. */
export function TextView({lines, height, isActive, onUnhandled}: {lines: readonly TextLine[]; height: number; isActive?: boolean; onUnhandled?(stroke: Keystroke): void}) {
	const {t} = useI18n();
	const {columns} = useLayout();
	lines = wrapLines(lines, Math.max(20, columns - 2));
	const state = useTextView({count: lines.length, height, ...(isActive === undefined ? {} : {isActive}), ...(onUnhandled ? {onUnhandled} : {})});
	const below = lines.length - state.offset - height;
	return (
		<Box flexDirection="column">
			{state.offset > 0 ? <Text dimColor>↑ {t('tree.more', {count: state.offset})}</Text> : null}
			{lines.slice(state.offset, state.offset + height).map((line, index) => (
				<Text key={`${state.offset + index}`} wrap="truncate-end" {...(line.color ? {color: line.color} : {})} bold={line.bold ?? false} dimColor={line.dim ?? false}>{line.text === '' ? ' ' : line.text}</Text>
			))}
			{below > 0 ? <Text dimColor>↓ {t('tree.more', {count: below})}</Text> : null}
		</Box>
	);
}
