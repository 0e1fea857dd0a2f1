/** Element shapes several activity types share (Moodle's core_rating and tag subtrees). */
import type {SqlValue} from '../store/db.js';
import {completeRow} from '../store/schema/rows.js';
import type {ElementSpec, RowScope} from './types.js';

/** `<ratings><rating id>` of one rated item: Moodle's `rating` table keyed by context, component, area and itemid. */
export function ratingsElement(component: string, ratingarea: string): ElementSpec {
	return {
		name: 'rating',
		wrapper: 'ratings',
		table: 'rating',
		itemname: 'rating',
		fields: ['component', 'ratingarea', 'scaleid', {xml: 'value', column: 'rating'}, 'userid', 'timecreated', 'timemodified'],
		link: {column: 'itemid'},
		contextColumn: 'contextid',
		constants: {component, ratingarea},
		foreignKeys: {userid: 'user', scaleid: 'scale'},
		userData: true,
	};
}

/** Finds the tag by its name in the default collection, or creates it (core_tag_tag::create_if_missing). */
export async function resolveTagId(scope: RowScope, rawname: string): Promise<number> {
	const name = rawname.toLowerCase();
	const collection = await scope.db.get<{id: number}>('SELECT id FROM {tag_coll} WHERE isdefault = 1 ORDER BY id');
	const tagcollid = collection ? Number(collection.id) : 1;
	const existing = await scope.db.get<{id: number}>('SELECT id FROM {tag} WHERE name = ? AND tagcollid = ?', [name, tagcollid]);
	if (existing) return Number(existing.id);
	return scope.db.insert('tag', completeRow('tag', {userid: 0, tagcollid, name, rawname, isstandard: 0, timemodified: Math.floor(Date.now() / 1000)}));
}

async function resolveTag(row: Record<string, SqlValue>, scope: RowScope): Promise<Record<string, SqlValue> | null> {
	const rawname = String(row.rawname ?? row.name ?? '');
	if (!rawname || !row.itemid) return null;
	const now = Math.floor(Date.now() / 1000);
	const {name: _name, rawname: _rawname, ...rest} = row;
	return {...rest, tagid: await resolveTagId(scope, rawname), timecreated: now, timemodified: now};
}

/**
 * Tags of an activity's items, e.g. `<poststags><tag id><itemid/><rawname/></tag>`: tag_instance rows in the module
 * context whose itemid is a row restored as `item`. On restore the tag is found by name or created.
 */
export function tagsElement(wrapper: string, options: {component: string; itemtype: string; item: string; userData?: boolean}): ElementSpec {
	return {
		name: 'tag',
		wrapper,
		table: 'tag_instance',
		itemname: 'tag_instance',
		contextColumn: 'contextid',
		constants: {component: options.component, itemtype: options.itemtype},
		fields: ['itemid', 'rawname'],
		virtualColumns: {rawname: 'SELECT tg.rawname FROM {tag} tg WHERE tg.id = t.tagid'},
		foreignKeys: {itemid: {item: options.item}},
		resolve: resolveTag,
		...(options.userData ? {userData: true} : {}),
	};
}

/** Tags of one row written inside it (`<tags><tag id><name/><rawname/></tag></tags>`), e.g. a question's. */
export function ownTagsElement(options: {component: string; itemtype: string}): ElementSpec {
	return {
		name: 'tag',
		wrapper: 'tags',
		table: 'tag_instance',
		itemname: 'tag_instance',
		link: {column: 'itemid'},
		contextColumn: 'contextid',
		constants: {component: options.component, itemtype: options.itemtype},
		fields: ['name', 'rawname'],
		virtualColumns: {name: 'SELECT tg.name FROM {tag} tg WHERE tg.id = t.tagid', rawname: 'SELECT tg.rawname FROM {tag} tg WHERE tg.id = t.tagid'},
		resolve: resolveTag,
	};
}

/** Standard index/view-by-cmid link rules of a module (`$@<MOD>INDEX*courseid@$`, `$@<MOD>VIEWBYID*cmid@$`). */
export function standardLinks(modname: string): {name: string; path: string; mappings: string[]}[] {
	const upper = modname.toUpperCase();
	return [
		{name: `${upper}INDEX`, path: `/mod/${modname}/index.php?id=$1`, mappings: ['course']},
		{name: `${upper}VIEWBYID`, path: `/mod/${modname}/view.php?id=$1`, mappings: ['course_module']},
	];
}
