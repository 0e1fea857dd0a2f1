import {mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {openRestore, type RestorePlan} from '../../../source/engine/restore/restore-plan.js';
import type {RestoreDestination, RestoreOptions, RestoreResult} from '../../../source/engine/restore/types.js';
import type {SqlValue} from '../../../source/engine/store/db.js';
import {initSite, type Site} from '../../../source/engine/store/site.js';

export const fixture = (name: string): string => fileURLToPath(new URL(`../../../fixtures/${name}`, import.meta.url));

export type TempSite = {site: Site; dir: string; dispose(): Promise<void>};

/** A new site in a temporary directory (the demo courses and people with `demo`). */
export async function tempSite(options: {demo?: boolean} = {}): Promise<TempSite> {
	const dir = await mkdtemp(join(tmpdir(), 'mbz-restore-test-'));
	const site = await initSite(join(dir, 'site'), {demo: options.demo ?? false});
	return {
		site, dir,
		async dispose() {
			await site.close().catch(() => undefined);
			await rm(dir, {recursive: true, force: true});
		},
	};
}

/** A new site at an adapter's location (SQLite directory or PostgreSQL schema), with its file pool directory. */
export async function siteAt(location: {location: string; filedir?: string}, options: {demo?: boolean} = {}): Promise<{site: Site; filedir: string}> {
	const site = await initSite(location.location, {demo: options.demo ?? false, ...(location.filedir ? {filedir: location.filedir} : {})});
	return {site, filedir: location.filedir ?? join(location.location, 'filedir')};
}

/** Opens, configures, executes and closes a restore. */
export async function restore(site: Site, file: string, destination: RestoreDestination, configure?: (plan: RestorePlan) => void | Promise<void>, options: Partial<RestoreOptions> = {}): Promise<RestoreResult> {
	const plan = await openRestore(site, file, options);
	try {
		await plan.setDestination(destination);
		await configure?.(plan);
		return await plan.execute();
	} finally {
		await plan.close();
	}
}

/** Opens a plan on `file`, hands it to `work`, and closes it whatever happens. */
export async function withPlan<T>(site: Site, file: string, work: (plan: RestorePlan) => Promise<T>, options: Partial<RestoreOptions> = {}): Promise<T> {
	const plan = await openRestore(site, file, options);
	try {
		return await work(plan);
	} finally {
		await plan.close();
	}
}

export async function count(site: Site, sql: string, params: SqlValue[] = []): Promise<number> {
	const row = await site.db.get<{n: number}>(`SELECT COUNT(*) AS n FROM ${sql}`, params);
	return Number(row?.n ?? 0);
}

/** Counts of what a course holds, for comparing with fixtures/MANIFEST.md. */
export async function courseCounts(site: Site, courseId: number): Promise<Record<string, number | Record<string, number>>> {
	const context = await site.db.get<{id: number}>('SELECT id FROM {context} WHERE contextlevel = 50 AND instanceid = ?', [courseId]);
	const ctx = Number(context!.id);
	const modules: Record<string, number> = {};
	for (const row of await site.db.all<{name: string; n: number}>('SELECT m.name, COUNT(*) AS n FROM {course_modules} cm JOIN {modules} m ON m.id = cm.module WHERE cm.course = ? GROUP BY m.name ORDER BY m.name', [courseId])) {
		modules[row.name] = Number(row.n);
	}
	const enrolMethods: Record<string, number> = {};
	for (const row of await site.db.all<{enrol: string; n: number}>('SELECT e.enrol, COUNT(ue.id) AS n FROM {enrol} e LEFT JOIN {user_enrolments} ue ON ue.enrolid = e.id WHERE e.courseid = ? GROUP BY e.enrol ORDER BY e.enrol', [courseId])) {
		enrolMethods[row.enrol] = Number(row.n);
	}
	const inCourse = `(SELECT id FROM {context} WHERE id = ${ctx} OR path LIKE '%/${ctx}/%')`;
	return {
		sections: await count(site, '{course_sections} WHERE course = ?', [courseId]),
		modules,
		enrolMethods,
		courseRoleAssignments: await count(site, '{role_assignments} WHERE contextid = ?', [ctx]),
		moduleRoleAssignments: await count(site, `{role_assignments} WHERE contextid IN ${inCourse} AND contextid <> ?`, [ctx]),
		groups: await count(site, '{groups} WHERE courseid = ?', [courseId]),
		groupMembers: await count(site, '{groups_members} gm JOIN {groups} g ON g.id = gm.groupid WHERE g.courseid = ?', [courseId]),
		groupings: await count(site, '{groupings} WHERE courseid = ?', [courseId]),
		groupingGroups: await count(site, '{groupings_groups} gg JOIN {groupings} g ON g.id = gg.groupingid WHERE g.courseid = ?', [courseId]),
		gradeItems: await count(site, '{grade_items} WHERE courseid = ?', [courseId]),
		gradeCategories: await count(site, '{grade_categories} WHERE courseid = ?', [courseId]),
		grades: await count(site, '{grade_grades} gg JOIN {grade_items} gi ON gi.id = gg.itemid WHERE gi.courseid = ?', [courseId]),
		files: await count(site, `{files} WHERE contextid IN ${inCourse} AND filename <> '.'`),
		questions: await count(site, `{question} q JOIN {question_versions} v ON v.questionid = q.id JOIN {question_bank_entries} e ON e.id = v.questionbankentryid JOIN {question_categories} c ON c.id = e.questioncategoryid WHERE c.contextid IN ${inCourse}`),
		questionCategories: await count(site, `{question_categories} WHERE contextid IN ${inCourse}`),
		discussions: await count(site, '{forum_discussions} WHERE course = ?', [courseId]),
		posts: await count(site, '{forum_posts} p JOIN {forum_discussions} d ON d.id = p.discussion WHERE d.course = ?', [courseId]),
		comments: await count(site, `{comments} WHERE contextid IN ${inCourse}`),
		events: await count(site, '{event} WHERE courseid = ?', [courseId]),
		badges: await count(site, '{badge} WHERE courseid = ?', [courseId]),
		blocks: await count(site, `{block_instances} WHERE parentcontextid IN ${inCourse}`),
		completions: await count(site, '{course_modules_completion} c JOIN {course_modules} cm ON cm.id = c.coursemoduleid WHERE cm.course = ?', [courseId]),
	};
}

/** Every row of every table, in id order: equal dumps mean an identical database. */
export async function dump(site: Site): Promise<string> {
	const parts: string[] = [];
	for (const table of (await site.db.tableNames()).sort()) {
		const rows = await site.db.all(`SELECT * FROM {${table}}`);
		rows.sort((a, b) => Number(a['id'] ?? 0) - Number(b['id'] ?? 0) || JSON.stringify(a).localeCompare(JSON.stringify(b)));
		parts.push(`${table}\n${rows.map((row) => JSON.stringify(row)).join('\n')}`);
	}
	return parts.join('\n');
}

/** Every file under a directory (the pool, staging area included), relative and sorted. */
export async function listFiles(dir: string): Promise<string[]> {
	const entries = await readdir(dir, {recursive: true, withFileTypes: true}).catch(() => []);
	return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name))).sort();
}

/** A real fixture, extracted, changed by `edit` (given the extracted directory) and packed again into `dir`. */
export async function editedFixture(name: string, dir: string, edit: (xmlDir: string) => Promise<void>): Promise<string> {
	const {extractFixture} = await import('../plugins/fixture-site.js');
	const {writeMbz} = await import('../../../source/engine/archive/write-mbz.js');
	const {createReadStream} = await import('node:fs');
	const {stat} = await import('node:fs/promises');
	const xmlDir = await extractFixture(name);
	try {
		await edit(xmlDir);
		const entries = [];
		for (const file of await listFiles(xmlDir)) {
			if (file === '.ARCHIVE_INDEX') continue;
			const path = join(xmlDir, file);
			entries.push({path: file, type: 'file' as const, size: (await stat(path)).size, open: () => createReadStream(path)});
		}
		const archive = join(dir, `edited-${name}`);
		await writeMbz(archive, entries);
		return archive;
	} finally {
		await rm(xmlDir, {recursive: true, force: true});
	}
}
