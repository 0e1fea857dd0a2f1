import TextInput from 'ink-text-input';
import type {ComponentProps} from 'react';

const BACKSPACE = new Set(['\u007f', '\b']);

/**
 * The value with what ink-text-input let through as characters taken for keys: several backspaces that arrive in
 * one read (a held key over SSH) come as one string of DEL characters, which it inserts instead of deleting.
 * Each deletes the character before it; other control characters are dropped, so none is ever stored.
 */
export function cleanTyped(value: string): string {
	const kept: string[] = [];
	for (const character of value) {
		if (BACKSPACE.has(character)) kept.pop();
		else if (character >= ' ') kept.push(character);
	}
	return kept.join('');
}

/** ink-text-input, with bursts of backspaces deleting and control characters kept out of the value. */
export function TextField({onChange, ...props}: ComponentProps<typeof TextInput>) {
	return <TextInput {...props} onChange={value => onChange(cleanTyped(value))} />;
}
