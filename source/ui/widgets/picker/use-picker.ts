import {isKey, useKeys, type Keystroke} from '../../keys.js';
import {useReducerRef} from '../../use-reducer-ref.js';
import {listMove} from '../scroll.js';
import {filterItems, initialPickerState, pickerReducer, type PickerItem, type PickerState} from './use-picker-state.js';

export type UsePickerOptions = {
	items: readonly PickerItem[];
	height: number;
	isActive?: boolean;
	onSelect(value: string): void;
	/** Keys the picker does not use (Esc with an empty filter: the screen goes back). */
	onUnhandled?(stroke: Keystroke): void;
	initial?: Partial<PickerState>;
};

/** Type to filter, arrows (and Page Up/Down) to move, Enter to choose, Backspace to erase, Esc to clear the filter. */
export function usePicker({items, height, isActive = true, onSelect, onUnhandled, initial}: UsePickerOptions): PickerState {
	const [state, dispatch, ref] = useReducerRef(pickerReducer, {...initialPickerState, ...initial});
	useKeys(stroke => {
		if (stroke.kind === 'char') {
			dispatch({type: 'type', char: stroke.char, items, height});
		} else if (isKey(stroke, 'space')) {
			dispatch({type: 'type', char: ' ', items, height});
		} else if (isKey(stroke, 'backspace')) {
			dispatch({type: 'erase', items, height});
		} else if (listMove(stroke, height) !== undefined) {
			dispatch({type: 'move', delta: listMove(stroke, height)!, items, height});
		} else if (isKey(stroke, 'return')) {
			const chosen = filterItems(items, ref.current.filter)[ref.current.cursor];
			if (chosen) onSelect(chosen.value);
		} else if (isKey(stroke, 'escape') && ref.current.filter !== '') {
			dispatch({type: 'clear'});
		} else {
			onUnhandled?.(stroke);
		}
	}, {isActive});
	return state;
}
