import {followCursor} from '../scroll.js';

/** A setting the tree shows, read live from the settings plan (so a burst of keys never sees old values). */
export type TreeSetting = {on: boolean; locked: boolean; reason?: string};

/** `typeLabel`: the activity type as the screen names it (Moodle's module name), else its modname. */
export type TreeActivity = {key: string; modname: string; typeLabel?: string; label: string; included: string; userData?: string};
export type TreeSection = {key: string; label: string; included?: string; userData?: string; activities: readonly TreeActivity[]};

export type TreeRow =
	| {kind: 'section'; key: string; label: string; included?: string; userData?: string}
	| {kind: 'activity'; key: string; label: string; modname: string; typeLabel?: string; included: string; userData?: string};

/** Rows in display order; with a filter, the activities whose label or type match, under their section. */
export function treeRows(sections: readonly TreeSection[], filter: string): TreeRow[] {
	const needle = filter.trim().toLowerCase();
	const rows: TreeRow[] = [];
	for (const section of sections) {
		const sectionMatches = needle === '' || section.label.toLowerCase().includes(needle);
		const activities = section.activities.filter(activity => sectionMatches || `${activity.label} ${activity.modname} ${activity.typeLabel ?? ''}`.toLowerCase().includes(needle));
		if (!sectionMatches && activities.length === 0) continue;
		rows.push({kind: 'section', key: section.key, label: section.label, ...(section.included ? {included: section.included} : {}), ...(section.userData ? {userData: section.userData} : {})});
		for (const activity of activities) rows.push({kind: 'activity', ...activity});
	}
	return rows;
}

export type SchemaTreeState = {cursor: number; offset: number; filter: string; filtering: boolean};

export type SchemaTreeAction =
	| {type: 'move'; delta: number; count: number; height: number}
	| {type: 'startFilter'}
	| {type: 'type'; char: string}
	| {type: 'erase'}
	| {type: 'endFilter'; keep: boolean};

export const initialSchemaTreeState: SchemaTreeState = {cursor: 0, offset: 0, filter: '', filtering: false};

export function schemaTreeReducer(state: SchemaTreeState, action: SchemaTreeAction): SchemaTreeState {
	switch (action.type) {
		case 'move': {
			if (action.count === 0) return state;
			const cursor = Math.max(0, Math.min(action.count - 1, state.cursor + action.delta));
			return {...state, cursor, offset: followCursor(state.offset, cursor, action.height, action.count)};
		}
		case 'startFilter':
			return {...state, filtering: true};
		case 'type':
			return {...state, filter: state.filter + action.char, cursor: 0, offset: 0};
		case 'erase':
			return {...state, filter: state.filter.slice(0, -1), cursor: 0, offset: 0};
		case 'endFilter':
			return action.keep ? {...state, filtering: false} : {...state, filtering: false, filter: '', cursor: 0, offset: 0};
	}
}
