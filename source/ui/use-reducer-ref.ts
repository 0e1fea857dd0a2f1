import {useCallback, useReducer, useRef} from 'react';

/**
 * useReducer whose latest state is also readable at once through a ref. Several keys handled before React
 * re-renders (Ink 6 delivers a burst key by key) each see the state the previous key produced.
 */
export function useReducerRef<S, A>(reducer: (state: S, action: A) => S, initial: S | (() => S)): [S, (action: A) => S, {readonly current: S}] {
	const ref = useRef<S | undefined>(undefined);
	if (ref.current === undefined) ref.current = typeof initial === 'function' ? (initial as () => S)() : initial;
	const [state, setState] = useReducer((_previous: S, next: S) => next, ref.current);
	const dispatch = useCallback((action: A) => {
		const next = reducer(ref.current as S, action);
		ref.current = next;
		setState(next);
		return next;
	}, [reducer]);
	return [state, dispatch, ref as {readonly current: S}];
}
