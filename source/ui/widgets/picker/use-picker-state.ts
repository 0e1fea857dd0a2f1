import {followCursor} from '../scroll.js';

export type PickerItem = {value: string; label: string; hint?: string};

export type PickerState = {filter: string; cursor: number; offset: number};

export type PickerAction =
	| {type: 'type'; char: string; items: readonly PickerItem[]; height: number}
	| {type: 'erase'; items: readonly PickerItem[]; height: number}
	| {type: 'clear'}
	| {type: 'move'; delta: number; items: readonly PickerItem[]; height: number};

export const initialPickerState: PickerState = {filter: '', cursor: 0, offset: 0};

export function filterItems(items: readonly PickerItem[], filter: string): PickerItem[] {
	const needle = filter.trim().toLowerCase();
	if (needle === '') return [...items];
	return items.filter(item => `${item.label} ${item.hint ?? ''}`.toLowerCase().includes(needle));
}

export function pickerReducer(state: PickerState, action: PickerAction): PickerState {
	switch (action.type) {
		case 'type':
			return {filter: state.filter + action.char, cursor: 0, offset: 0};
		case 'erase':
			return {filter: state.filter.slice(0, -1), cursor: 0, offset: 0};
		case 'clear':
			return initialPickerState;
		case 'move': {
			const count = filterItems(action.items, state.filter).length;
			if (count === 0) return state;
			const cursor = Math.max(0, Math.min(count - 1, state.cursor + action.delta));
			return {...state, cursor, offset: followCursor(state.offset, cursor, action.height, count)};
		}
	}
}
