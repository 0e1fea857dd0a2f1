import {isChar, isKey, useKeys, type Keystroke} from '../../keys.js';
import {useReducerRef} from '../../use-reducer-ref.js';
import {listMove} from '../scroll.js';
import {initialSchemaTreeState, schemaTreeReducer, treeRows, type SchemaTreeState, type TreeSection, type TreeSetting} from './use-schema-tree-state.js';

export type UseSchemaTreeOptions = {
	sections: readonly TreeSection[];
	height: number;
	isActive?: boolean;
	/** The live state of a setting (value, lock). */
	setting(name: string): TreeSetting;
	/** Changes a setting; the owner applies it to the settings plan. */
	onSet(name: string, value: boolean): void;
	onSubmit?(): void;
	onUnhandled?(stroke: Keystroke): void;
};

/**
 * Space include, u user data, a all, n none, t all activities of the type under the cursor, / filter
 * (typing filters, Enter keeps the filter, Esc clears it).
 */
export function useSchemaTree(options: UseSchemaTreeOptions): SchemaTreeState {
	const {sections, height, isActive = true, setting, onSet, onSubmit, onUnhandled} = options;
	const [state, dispatch, ref] = useReducerRef(schemaTreeReducer, initialSchemaTreeState);
	const setIfFree = (name: string | undefined, value: boolean) => {
		if (!name) return;
		const current = setting(name);
		if (!current.locked && current.on !== value) onSet(name, value);
	};
	const setEverything = (value: boolean) => {
		// Sections first so that their activities are unlocked before they are set.
		for (const section of sections) setIfFree(section.included, value);
		for (const section of sections) for (const activity of section.activities) setIfFree(activity.included, value);
	};
	useKeys(stroke => {
		const current = ref.current;
		const rows = treeRows(sections, current.filter);
		if (current.filtering) {
			if (stroke.kind === 'char') dispatch({type: 'type', char: stroke.char});
			else if (isKey(stroke, 'space')) dispatch({type: 'type', char: ' '});
			else if (isKey(stroke, 'backspace')) dispatch({type: 'erase'});
			else if (isKey(stroke, 'return')) dispatch({type: 'endFilter', keep: true});
			else if (isKey(stroke, 'escape')) dispatch({type: 'endFilter', keep: false});
			return;
		}
		const row = rows[current.cursor];
		const delta = listMove(stroke, height);
		if (delta !== undefined) {
			dispatch({type: 'move', delta, count: rows.length, height});
		} else if (isKey(stroke, 'space')) {
			if (row?.included) setIfFree(row.included, !setting(row.included).on);
		} else if (isChar(stroke, 'u')) {
			if (row?.userData) setIfFree(row.userData, !setting(row.userData).on);
		} else if (isChar(stroke, 'a')) {
			setEverything(true);
		} else if (isChar(stroke, 'n')) {
			setEverything(false);
		} else if (isChar(stroke, 't')) {
			if (row?.kind !== 'activity') return;
			const value = !setting(row.included).on;
			for (const section of sections) {
				for (const activity of section.activities) if (activity.modname === row.modname) setIfFree(activity.included, value);
			}
		} else if (isChar(stroke, '/')) {
			dispatch({type: 'startFilter'});
		} else if (isKey(stroke, 'escape') && current.filter !== '') {
			dispatch({type: 'endFilter', keep: false});
		} else if (isKey(stroke, 'return') && onSubmit) {
			onSubmit();
		} else {
			onUnhandled?.(stroke);
		}
	}, {isActive});
	return state;
}
