import {Text} from 'ink';
import {useReducer, useRef} from 'react';
import {useLayout} from '../../app-context.js';
import {isKey, useKeys, type Keystroke} from '../../keys.js';

export type TextFieldProps = {
	value: string;
	onChange(value: string): void;
	onSubmit?(value: string): void;
	/** Takes the keys (default true). */
	focus?: boolean;
	showCursor?: boolean;
	/** Columns already used on the field's line (its label): the text scrolls within the rest. */
	reserved?: number;
};

type Edit = {value: string; cursor: number};

/**
 * One key applied to the text (characters as code points). Backspace and Delete, ←→, Home/End (and Ctrl-A/E),
 * Ctrl-U to clear; anything else leaves it as it is. Keys come one by one even when they arrive in one read (a held
 * Backspace over SSH), so nothing invisible is ever inserted.
 */
export function applyKey(edit: Edit, stroke: Keystroke): Edit {
	const characters = Array.from(edit.value);
	const cursor = Math.min(edit.cursor, characters.length);
	const insert = (text: string): Edit => {
		characters.splice(cursor, 0, text);
		return {value: characters.join(''), cursor: cursor + 1};
	};
	if (stroke.kind === 'char') return insert(stroke.char);
	switch (stroke.name) {
		case 'space': return insert(' ');
		case 'backspace':
			if (cursor === 0) return edit;
			characters.splice(cursor - 1, 1);
			return {value: characters.join(''), cursor: cursor - 1};
		case 'delete':
			if (cursor >= characters.length) return edit;
			characters.splice(cursor, 1);
			return {value: characters.join(''), cursor};
		case 'left': return {...edit, cursor: Math.max(0, cursor - 1)};
		case 'right': return {...edit, cursor: Math.min(characters.length, cursor + 1)};
		case 'home': return {...edit, cursor: 0};
		case 'end': return {...edit, cursor: characters.length};
		case 'clearLine': return {value: '', cursor: 0};
		default: return edit;
	}
}

/**
 * The part of the text shown in `width` columns, the cursor always inside (after the last character it is a blank
 * cell); "…" marks a side where text is hidden.
 */
export function visibleWindow(value: string, cursor: number, width: number): {before: string; atCursor: string; after: string} {
	const characters = Array.from(value);
	const cells = [...characters, ' '];
	const room = Math.max(4, width);
	const at = Math.min(Math.max(0, cursor), characters.length);
	const start = cells.length <= room ? 0 : Math.min(Math.max(0, at - room + 1), cells.length - room);
	const shown = cells.slice(start, start + room);
	const local = at - start;
	if (start > 0 && local !== 0) shown[0] = '…';
	if (start + room < cells.length && local !== shown.length - 1) shown[shown.length - 1] = '…';
	return {before: shown.slice(0, local).join(''), atCursor: shown[local] ?? ' ', after: shown.slice(local + 1).join('')};
}

/**
 * A one-line text field. Written here because ink-text-input draws a long value over several lines and reads a
 * burst of Backspaces as characters: this one scrolls within its line and takes every key one by one.
 */
export function TextField({value, onChange, onSubmit, focus = true, showCursor = true, reserved = 0}: TextFieldProps) {
	const layout = useLayout();
	// A cursor move changes no value, so the owner does not draw again: the field does.
	const [, redraw] = useReducer((count: number) => count + 1, 0);
	const edit = useRef<Edit>({value, cursor: Array.from(value).length});
	// The owner may change the value itself (a reset): the cursor goes to its end.
	if (edit.current.value !== value) edit.current = {value, cursor: Array.from(value).length};
	useKeys(stroke => {
		if (isKey(stroke, 'return')) {
			onSubmit?.(edit.current.value);
			return;
		}
		const next = applyKey(edit.current, stroke);
		if (next === edit.current) return;
		const changed = next.value !== edit.current.value;
		edit.current = next;
		if (changed) onChange(next.value);
		else redraw();
	}, {isActive: focus});
	const width = Math.max(4, layout.columns - reserved);
	if (!showCursor || !focus) {
		const characters = Array.from(value);
		return <Text>{characters.length <= width ? value : `${characters.slice(0, width - 1).join('')}…`}</Text>;
	}
	const shown = visibleWindow(edit.current.value, edit.current.cursor, width);
	return <Text>{shown.before}<Text inverse>{shown.atCursor}</Text>{shown.after}</Text>;
}
