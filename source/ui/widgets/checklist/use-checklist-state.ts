import {followCursor} from '../scroll.js';

export type ChecklistItem = {
	id: string;
	label: string;
	/** bool: a checkbox; choice: one of `options`, changed with Space or ←/→. */
	kind: 'bool' | 'choice';
	on?: boolean;
	value?: string;
	options?: ReadonlyArray<{value: string; label: string}>;
	locked?: boolean;
	/** Why it is locked, already in the interface language (e.g. "needs: include enrolled users"). */
	reason?: string;
};

export type ChecklistState = {cursor: number; offset: number};

export type ChecklistAction = {type: 'move'; delta: number; count: number; height: number};

export const initialChecklistState: ChecklistState = {cursor: 0, offset: 0};

export function checklistReducer(state: ChecklistState, action: ChecklistAction): ChecklistState {
	if (action.count === 0) return state;
	const cursor = Math.max(0, Math.min(action.count - 1, state.cursor + action.delta));
	return {cursor, offset: followCursor(state.offset, cursor, action.height, action.count)};
}

/** The mark of an item: [x] on, [ ] off, [-] locked off; meaning never rests on colour alone. */
export function checkMark(item: ChecklistItem): string {
	if (item.kind === 'choice') return item.locked ? '[-]' : '[>]';
	if (item.locked && !item.on) return '[-]';
	return item.on ? '[x]' : '[ ]';
}
