import {CONTEXT_LEVEL, createContext} from '../store/contexts.js';
import {addFileRecords, mimetypeFor} from '../store/files-table.js';
import type {DemoSeedContext} from './demo-context.js';
import type {DemoCourse} from './demo-course.js';
import {WORDS} from './french-text.js';

export type DemoModule = {cmId: number; contextId: number; instanceId: number};

/** Section index -> course module ids, written into course_sections.sequence at the end. */
export type SectionSequences = Map<number, number[]>;

/** Creates the course_modules row and the module context for an activity instance. */
export async function addCourseModule(
	demo: DemoSeedContext,
	course: DemoCourse,
	sequences: SectionSequences,
	sectionIndex: number,
	modname: string,
	instanceId: number,
	options: {added: number; visible?: boolean; groupmode?: number; groupingid?: number; completion?: number; availability?: string | null} = {added: 0},
): Promise<DemoModule> {
	const module = demo.moduleIds.get(modname);
	if (module === undefined) throw new Error(`module ${modname} is not installed`);
	const cmId = await demo.insertOne('course_modules', {
		course: course.id,
		module,
		instance: instanceId,
		section: course.sectionIds[sectionIndex]!,
		idnumber: '',
		added: options.added,
		visible: options.visible === false ? 0 : 1,
		visibleoncoursepage: 1,
		visibleold: options.visible === false ? 0 : 1,
		groupmode: options.groupmode ?? 0,
		groupingid: options.groupingid ?? 0,
		completion: options.completion ?? 0,
		availability: options.availability ?? null,
	});
	const contextId = await createContext(demo.db, CONTEXT_LEVEL.MODULE, cmId, course.contextId);
	const sequence = sequences.get(sectionIndex) ?? [];
	sequence.push(cmId);
	sequences.set(sectionIndex, sequence);
	return {cmId, contextId, instanceId};
}

export async function writeSectionSequences(demo: DemoSeedContext, course: DemoCourse, sequences: SectionSequences): Promise<void> {
	for (const [sectionIndex, cmIds] of sequences) {
		await demo.db.run('UPDATE {course_sections} SET sequence = ? WHERE id = ?', [cmIds.join(','), course.sectionIds[sectionIndex]!]);
	}
}

/** A French-looking sentence of `count` words. */
export function sentence(demo: DemoSeedContext, count: number): string {
	const words = Array.from({length: count}, () => demo.prng.pick(WORDS));
	const text = words.join(' ');
	return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

export function paragraphs(demo: DemoSeedContext, count: number): string {
	return Array.from({length: count}, () => `<p>${sentence(demo, demo.prng.int(8, 20))} ${sentence(demo, demo.prng.int(6, 14))}</p>`).join('\n');
}

/** Stores `content` in the pool (staged until the transaction commits) and adds its `files` rows. */
export async function addDemoFile(
	demo: DemoSeedContext,
	file: {contextid: number; component: string; filearea: string; itemid: number; filepath?: string; filename: string; userid: number; timecreated: number; content: string | Buffer; license?: string},
): Promise<number> {
	const {sha1, size} = await demo.pool.stageBuffer(file.content);
	const [id] = await addFileRecords(demo.db, [
		{
			contextid: file.contextid,
			component: file.component,
			filearea: file.filearea,
			itemid: file.itemid,
			filepath: file.filepath ?? '/',
			filename: file.filename,
			contenthash: sha1,
			filesize: size,
			mimetype: mimetypeFor(file.filename),
			userid: file.userid,
			source: file.filename,
			author: null,
			license: file.license ?? 'allrightsreserved',
			timecreated: file.timecreated,
		},
	]);
	return id!;
}

/** A grade item for an activity, under the course's grade category. */
export async function addGradeItem(
	demo: DemoSeedContext,
	course: DemoCourse,
	item: {name: string; modname: string; instance: number; grademax: number; sortorder: number; time: number},
): Promise<number> {
	return demo.insertOne('grade_items', {
		courseid: course.id,
		categoryid: course.gradeCategoryId,
		itemname: item.name,
		itemtype: 'mod',
		itemmodule: item.modname,
		iteminstance: item.instance,
		itemnumber: 0,
		gradetype: 1,
		grademax: item.grademax,
		grademin: 0,
		gradepass: 0,
		sortorder: item.sortorder,
		timecreated: item.time,
		timemodified: item.time,
	});
}
