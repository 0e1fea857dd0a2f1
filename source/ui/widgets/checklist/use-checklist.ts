import {isKey, useKeys, type Keystroke} from '../../keys.js';
import {useReducerRef} from '../../use-reducer-ref.js';
import {listMove} from '../scroll.js';
import {checklistReducer, initialChecklistState, type ChecklistItem, type ChecklistState} from './use-checklist-state.js';

export type UseChecklistOptions = {
	items: readonly ChecklistItem[];
	height: number;
	isActive?: boolean;
	/** Space on a checkbox. Locked items are not passed on. */
	onToggle(id: string): void;
	/** Space or ←/→ on a choice: the next (+1) or previous (-1) option. */
	onCycle?(id: string, direction: 1 | -1): void;
	onSubmit?(): void;
	onUnhandled?(stroke: Keystroke): void;
};

export function useChecklist({items, height, isActive = true, onToggle, onCycle, onSubmit, onUnhandled}: UseChecklistOptions): ChecklistState {
	const [state, dispatch, ref] = useReducerRef(checklistReducer, initialChecklistState);
	useKeys(stroke => {
		const current = items[ref.current.cursor];
		const delta = listMove(stroke, height);
		if (delta !== undefined) {
			dispatch({type: 'move', delta, count: items.length, height});
		} else if (isKey(stroke, 'space') && current) {
			if (current.locked) return;
			if (current.kind === 'bool') onToggle(current.id);
			else onCycle?.(current.id, 1);
		} else if ((isKey(stroke, 'left') || isKey(stroke, 'right')) && current?.kind === 'choice') {
			if (!current.locked) onCycle?.(current.id, isKey(stroke, 'left') ? -1 : 1);
		} else if (isKey(stroke, 'return') && onSubmit) {
			onSubmit();
		} else {
			onUnhandled?.(stroke);
		}
	}, {isActive});
	return state;
}
