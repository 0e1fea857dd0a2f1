import {nameIn, type Translate} from '../i18n/index.js';

/** Counts the Complete page gives a line of their own (users created and mapped). */
const OWN_LINE = new Set(['usersCreated', 'usersMapped']);

/**
 * Non-zero counts in words, "sections 7, activities 17 (forum 2, page 3), ...": activity types (`activity.forum`) go in
 * brackets after the activities; a name without a message (`count.<name>`) is shown as it is.
 */
export function countsText(counts: Record<string, number>, t: Translate): string {
	const types = activityTypes(counts, t);
	return Object.entries(counts)
		.filter(([name, value]) => value > 0 && !name.startsWith('activity.') && !OWN_LINE.has(name))
		.map(([name, value]) => `${nameIn(t, 'count', name)} ${value}${name === 'activities' && types ? ` (${types})` : ''}`)
		.join(', ');
}

/** The activities per type, "Forum 2, Page 3", from the counts named `activity.<type>`. */
export function activityTypes(counts: Record<string, number>, t: Translate): string {
	return Object.entries(counts).filter(([name, value]) => name.startsWith('activity.') && value > 0)
		.map(([name, value]) => `${nameIn(t, 'mod', name.slice('activity.'.length))} ${value}`).join(', ');
}
