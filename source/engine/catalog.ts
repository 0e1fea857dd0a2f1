import type {Site} from './store/site.js';

/** Listings the wizard's pickers need: courses and course categories of a site. */
export type CourseSummary = {id: number; fullname: string; shortname: string; categoryId: number; visible: boolean};
export type CategorySummary = {id: number; name: string; path: string; depth: number};

/** Every course but the front page (id 1, Moodle's SITEID), by full name. */
export async function listCourses(site: Site): Promise<CourseSummary[]> {
	const rows = await site.db.all<{id: number; fullname: string; shortname: string; category: number; visible: number}>(
		'SELECT id, fullname, shortname, category, visible FROM {course} WHERE id <> 1 ORDER BY fullname, id');
	return rows.map(row => ({id: Number(row.id), fullname: row.fullname, shortname: row.shortname, categoryId: Number(row.category), visible: Number(row.visible) === 1}));
}

/** Course categories in tree order, each with its full path of names ("Faculty / History"). */
export async function listCategories(site: Site): Promise<CategorySummary[]> {
	const rows = await site.db.all<{id: number; name: string; path: string; depth: number}>(
		'SELECT id, name, path, depth FROM {course_categories} ORDER BY sortorder, id');
	const names = new Map(rows.map(row => [Number(row.id), row.name]));
	return rows.map(row => {
		const ids = String(row.path ?? '').split('/').filter(part => part !== '').map(Number);
		const fullPath = ids.length > 0 ? ids.map(id => names.get(id) ?? String(id)).join(' / ') : row.name;
		return {id: Number(row.id), name: row.name, path: fullPath, depth: Number(row.depth)};
	});
}
