import {isKey, useKeys, type Keystroke} from '../../keys.js';
import {useReducerRef} from '../../use-reducer-ref.js';
import {menuReducer, type MenuItem, type MenuState} from './use-menu-state.js';

export type UseMenuOptions = {
	items: readonly MenuItem[];
	isActive?: boolean;
	initialValue?: string;
	onSelect(value: string): void;
	onUnhandled?(stroke: Keystroke): void;
};

/** Arrows move (wrapping), digits jump to an item, Enter chooses. */
export function useMenu({items, isActive = true, initialValue, onSelect, onUnhandled}: UseMenuOptions): MenuState {
	const start = Math.max(0, items.findIndex(item => item.value === initialValue));
	const [state, dispatch, ref] = useReducerRef(menuReducer, {cursor: start});
	useKeys(stroke => {
		if (isKey(stroke, 'up') || isKey(stroke, 'down')) {
			dispatch({type: 'move', delta: isKey(stroke, 'up') ? -1 : 1, count: items.length});
		} else if (stroke.kind === 'char' && /^[1-9]$/u.test(stroke.char) && Number(stroke.char) <= items.length) {
			dispatch({type: 'jump', index: Number(stroke.char) - 1, count: items.length});
		} else if (isKey(stroke, 'return')) {
			const item = items[ref.current.cursor];
			if (item) onSelect(item.value);
		} else {
			onUnhandled?.(stroke);
		}
	}, {isActive});
	return state;
}
