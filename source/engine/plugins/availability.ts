/**
 * Availability conditions (course_modules.availability, course_sections.availability) name other items by id.
 * Groups and groupings exist before the activities and are rewritten when the module is restored; activities
 * and grade items may be restored after the module that refers to them, so those are rewritten at the end of the
 * restore (Moodle's update_after_restore). A condition on an activity that was not restored points at nothing (0).
 * Sections are written before the groups exist, so their group conditions are rewritten at the end too.
 */
import type {Db} from '../store/db.js';
import type {IdMap} from '../store/id-map.js';
import {notice, type Notice} from '../notices.js';

/** Id-map info of a `course_section` the restore created (only those carry the backup's availability). */
export const SECTION_CREATED = 'created';

/** Group and grouping ids, rewritten as soon as the module is restored. */
export function remapAvailabilityGroups(json: string | null, idMap: IdMap): string | null {
	if (!json) return json;
	return json.replace(/\{"type":"(group|grouping)","id":(\d+)/g, (whole, type: string, id: string) => {
		const mapped = idMap.get(type, Number(id));
		return mapped === undefined ? whole : `{"type":"${type}","id":${mapped}`;
	});
}

/** Course-module and grade-item ids, rewritten at the end. */
export function remapAvailabilityItems(json: string, idMap: IdMap, warn: (message: Notice) => void): string {
	return json
		.replace(/\{"type":"completion","cm":(\d+)/g, (_whole, id: string) => {
			const mapped = idMap.get('course_module', Number(id));
			if (mapped === undefined) warn(notice('availabilityUnmapped', {cmid: id}));
			return `{"type":"completion","cm":${mapped ?? 0}`;
		})
		.replace(/\{"type":"grade","id":(\d+)/g, (whole, id: string) => {
			const mapped = idMap.get('grade_item', Number(id));
			return mapped === undefined ? whole : `{"type":"grade","id":${mapped}`;
		});
}

/** Date conditions move with the course start date (availability_date's update_after_restore adds the offset). */
export function shiftAvailabilityDates(json: string, dateOffset: number): string {
	if (!dateOffset) return json;
	return json.replace(/(\{"type":"date","d":"(?:>=|<)","t":)(\d+)/g, (_whole, head: string, time: string) => `${head}${Number(time) + dateOffset}`);
}

/**
 * Rewrites the availability of the given rows of `table` (course_modules or course_sections). Group and grouping
 * ids only for sections: a module's were rewritten when it was restored, and rewriting them twice could turn a
 * new id into another group's.
 */
export async function finishAvailability(db: Db, table: 'course_modules' | 'course_sections', ids: Iterable<number>, idMap: IdMap, warn: (message: Notice) => void, dateOffset = 0): Promise<number> {
	const groupsToo = table === 'course_sections';
	const pattern = groupsToo ? /"type":"(completion|grade|group|grouping|date)"/ : /"type":"(completion|grade|date)"/;
	let changed = 0;
	for (const id of ids) {
		const row = await db.get<{availability: string | null}>(`SELECT availability FROM {${table}} WHERE id = ?`, [id]);
		if (!row?.availability || !pattern.test(row.availability)) continue;
		const items = shiftAvailabilityDates(remapAvailabilityItems(row.availability, idMap, warn), dateOffset);
		const updated = groupsToo ? remapAvailabilityGroups(items, idMap) ?? items : items;
		if (updated === row.availability) continue;
		await db.run(`UPDATE {${table}} SET availability = ? WHERE id = ?`, [updated, id]);
		changed++;
	}
	return changed;
}
