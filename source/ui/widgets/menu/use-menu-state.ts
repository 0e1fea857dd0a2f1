export type MenuItem = {value: string; label: string};

export type MenuState = {cursor: number};

export type MenuAction = {type: 'move'; delta: number; count: number} | {type: 'jump'; index: number; count: number};

export function menuReducer(state: MenuState, action: MenuAction): MenuState {
	if (action.count === 0) return state;
	if (action.type === 'jump') return {cursor: Math.max(0, Math.min(action.count - 1, action.index))};
	// Wraps around, like most terminal menus.
	return {cursor: (state.cursor + action.delta + action.count) % action.count};
}
