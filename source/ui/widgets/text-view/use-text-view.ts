import {isKey, useKeys, type Keystroke} from '../../keys.js';
import {useReducerRef} from '../../use-reducer-ref.js';
import {listMove} from '../scroll.js';
import {textViewReducer, type TextViewState} from './use-text-view-state.js';

export type UseTextViewOptions = {count: number; height: number; isActive?: boolean; onUnhandled?(stroke: Keystroke): void};

/** ↑↓ scroll a line, Page Up/Down a page; other keys go to the screen. */
export function useTextView({count, height, isActive = true, onUnhandled}: UseTextViewOptions): TextViewState {
	const [state, dispatch] = useReducerRef(textViewReducer, {offset: 0});
	useKeys(stroke => {
		const delta = listMove(stroke, height);
		if (delta !== undefined) dispatch({delta, count, height});
		else onUnhandled?.(stroke);
	}, {isActive});
	return state;
}
