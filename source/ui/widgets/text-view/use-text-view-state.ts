export type TextLine = {text: string; color?: 'red' | 'yellow' | 'green' | 'cyan'; bold?: boolean; dim?: boolean};

export type TextViewState = {offset: number};

export function textViewReducer(state: TextViewState, action: {delta: number; count: number; height: number}): TextViewState {
	const max = Math.max(0, action.count - action.height);
	return {offset: Math.max(0, Math.min(max, state.offset + action.delta))};
}
