/**
 * Availability conditions (course_modules.availability, course_sections.availability) name other items by id.
 * Groups and groupings exist before the activities and are rewritten when the module is restored; activities
 * and grade items may be restored after the module that refers to them, so those are rewritten at the end of the
 * restore (Moodle's update_after_restore). A condition on an activity that was not restored points at nothing (0).
 */
import type {Db} from '../store/db.js';
import type {IdMap} from '../store/id-map.js';

/** Group and grouping ids, rewritten as soon as the module is restored. */
export function remapAvailabilityGroups(json: string | null, idMap: IdMap): string | null {
	if (!json) return json;
	return json.replace(/\{"type":"(group|grouping)","id":(\d+)/g, (whole, type: string, id: string) => {
		const mapped = idMap.get(type, Number(id));
		return mapped === undefined ? whole : `{"type":"${type}","id":${mapped}`;
	});
}

/** Course-module and grade-item ids, rewritten at the end. */
export function remapAvailabilityItems(json: string, idMap: IdMap, warn: (message: string) => void): string {
	return json
		.replace(/\{"type":"completion","cm":(\d+)/g, (_whole, id: string) => {
			const mapped = idMap.get('course_module', Number(id));
			if (mapped === undefined) warn(`an availability condition depends on activity ${id}, which was not restored`);
			return `{"type":"completion","cm":${mapped ?? 0}`;
		})
		.replace(/\{"type":"grade","id":(\d+)/g, (whole, id: string) => {
			const mapped = idMap.get('grade_item', Number(id));
			return mapped === undefined ? whole : `{"type":"grade","id":${mapped}`;
		});
}

/** Rewrites the availability of the given rows of `table` (course_modules or course_sections). */
export async function finishAvailability(db: Db, table: 'course_modules' | 'course_sections', ids: Iterable<number>, idMap: IdMap, warn: (message: string) => void): Promise<number> {
	let changed = 0;
	for (const id of ids) {
		const row = await db.get<{availability: string | null}>(`SELECT availability FROM {${table}} WHERE id = ?`, [id]);
		if (!row?.availability || !/"type":"(completion|grade)"/.test(row.availability)) continue;
		const updated = remapAvailabilityItems(row.availability, idMap, warn);
		if (updated === row.availability) continue;
		await db.run(`UPDATE {${table}} SET availability = ? WHERE id = ?`, [updated, id]);
		changed++;
	}
	return changed;
}
