import {useInput, type Key} from 'ink';
import {createContext, useContext, useLayoutEffect, useMemo, useRef} from 'react';
import {InputGateContext} from './app-context.js';

/** One key press, normalised: a printable character, or a named key. */
export type Keystroke =
	| {kind: 'char'; char: string}
	| {kind: 'key'; name: KeyName; ctrl?: boolean};

export type KeyName =
	| 'up' | 'down' | 'left' | 'right' | 'pageUp' | 'pageDown' | 'home' | 'end'
	| 'return' | 'escape' | 'tab' | 'backspace' | 'delete' | 'space' | 'ctrlC' | 'clearLine';

/**
 * Splits what Ink hands to an input handler into key presses. Text typed fast (or sent by tmux) arrives as one
 * string with its Enter ("abc\r"), so every character is looked at separately.
 */
export function toKeystrokes(input: string, key: Key): Keystroke[] {
	if (key.ctrl && input === 'c') return [{kind: 'key', name: 'ctrlC'}];
	if (key.upArrow) return [{kind: 'key', name: 'up'}];
	if (key.downArrow) return [{kind: 'key', name: 'down'}];
	if (key.leftArrow) return [{kind: 'key', name: 'left'}];
	if (key.rightArrow) return [{kind: 'key', name: 'right'}];
	if (key.pageUp) return [{kind: 'key', name: 'pageUp'}];
	if (key.pageDown) return [{kind: 'key', name: 'pageDown'}];
	if (key.home) return [{kind: 'key', name: 'home'}];
	if (key.end) return [{kind: 'key', name: 'end'}];
	if (key.return) return [{kind: 'key', name: 'return'}];
	if (key.escape) return [{kind: 'key', name: 'escape'}];
	if (key.tab) return [{kind: 'key', name: 'tab'}];
	if (key.backspace) return [{kind: 'key', name: 'backspace'}];
	if (key.delete) return [{kind: 'key', name: 'backspace'}];
	// Line editing as in a shell: Ctrl-U clears, Ctrl-A / Ctrl-E go to the start / end.
	if (key.ctrl && input === 'u') return [{kind: 'key', name: 'clearLine'}];
	if (key.ctrl && input === 'a') return [{kind: 'key', name: 'home'}];
	if (key.ctrl && input === 'e') return [{kind: 'key', name: 'end'}];
	if (key.ctrl) return [];
	const strokes: Keystroke[] = [];
	for (const char of input) {
		if (char === '\r' || char === '\n') strokes.push({kind: 'key', name: 'return'});
		else if (char === '\u007f' || char === '\b') strokes.push({kind: 'key', name: 'backspace'});
		else if (char === '\t') strokes.push({kind: 'key', name: 'tab'});
		else if (char === ' ') strokes.push({kind: 'key', name: 'space'});
		else if (char === '\u001b') strokes.push({kind: 'key', name: 'escape'});
		else if (char >= ' ') strokes.push({kind: 'char', char});
	}
	return strokes;
}

export function isKey(stroke: Keystroke, name: KeyName): boolean {
	return stroke.kind === 'key' && stroke.name === name;
}

export function isChar(stroke: Keystroke, char: string): boolean {
	return stroke.kind === 'char' && stroke.char === char;
}

type KeyHandler = (stroke: Keystroke) => void;

/** One input listener for the whole application, handing each key to the handlers mounted at that moment. */
export type KeyRegistry = {register(handler: KeyHandler): () => void};

export const KeyRegistryContext = createContext<KeyRegistry | undefined>(undefined);

/**
 * The application's single input listener. Handlers register in a layout effect, so when a key changes the
 * screen, the next key of the same burst ("Enter Enter" typed fast) already reaches the new screen; Ink's own
 * useInput subscribes later, in a passive effect, and the key would go to the screen that just left.
 */
export function useKeyRegistryRoot(): KeyRegistry {
	const handlers = useRef(new Set<KeyHandler>());
	const registry = useMemo<KeyRegistry>(() => ({
		register(handler) {
			handlers.current.add(handler);
			return () => {
				handlers.current.delete(handler);
			};
		},
	}), []);
	// Text arrives as one event ("\r\r", "abc\rdef"): keys after Enter, Esc or Tab may be meant for the next
	// screen, so the rest of the event waits until React has rendered (setImmediate), in order.
	const queue = useRef<Keystroke[]>([]);
	const draining = useRef(false);
	const drain = useRef(() => {
		draining.current = true;
		while (queue.current.length > 0) {
			const stroke = queue.current.shift()!;
			for (const handler of [...handlers.current]) handler(stroke);
			if (queue.current.length > 0 && (isKey(stroke, 'return') || isKey(stroke, 'escape') || isKey(stroke, 'tab'))) {
				setImmediate(drain.current);
				return;
			}
		}
		draining.current = false;
	});
	const listener = useRef((input: string, key: Key) => {
		queue.current.push(...toKeystrokes(input, key));
		if (!draining.current) drain.current();
	});
	useInput(listener.current);
	return registry;
}

/**
 * Key presses for a screen or widget. The handler is read through a ref so that a burst of keys never reaches
 * a handler from an older render; handlers keep their state in reducers (see use-reducer-ref.ts).
 */
export function useKeys(handler: (stroke: Keystroke) => void, options: {isActive?: boolean} = {}): void {
	const handlerRef = useRef(handler);
	handlerRef.current = handler;
	const gateOpen = useContext(InputGateContext);
	const active = gateOpen && (options.isActive ?? true);
	const activeRef = useRef(active);
	activeRef.current = active;
	const registry = useContext(KeyRegistryContext);
	useLayoutEffect(() => {
		if (!registry) return undefined;
		return registry.register(stroke => {
			if (activeRef.current) handlerRef.current(stroke);
		});
	}, [registry]);
	// Outside the application (a widget rendered alone), Ink's useInput directly.
	const stableRef = useRef((input: string, key: Key) => {
		for (const stroke of toKeystrokes(input, key)) handlerRef.current(stroke);
	});
	useInput(stableRef.current, {isActive: registry === undefined && active});
}
