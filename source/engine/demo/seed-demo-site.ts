import type {Db} from '../store/db.js';
import {CONTEXT_LEVEL, createContext, SYSTEM_CONTEXT_ID} from '../store/contexts.js';
import type {FilePool} from '../store/file-pool.js';
import {seedAssignment, seedBook, seedChat, seedChoice, seedDiscussionForum, seedFolder, seedGlossary, seedLabel, seedNewsForum, seedPage, seedResource, seedUrl, type GradedActivity} from './demo-activities.js';
import {createDemoContext, type DemoSeedContext} from './demo-context.js';
import {seedCourse, type DemoCourse, type DemoCourseSpec} from './demo-course.js';
import {writeSectionSequences, type SectionSequences} from './demo-modules.js';
import {seedCohorts, seedUsers, type DemoUser} from './demo-people.js';
import {seedCourseExtras} from './demo-extras.js';
import {seedQuiz} from './demo-quiz.js';

export const DEMO_SEED = 20_240_902;

export type DemoSummary = {categories: number; courses: number; users: number; cohorts: number; modules: number};

const COURSE_TAGS: Readonly<Record<string, string[]>> = {
	HIST101: ['Histoire', 'Moyen Âge'],
	LITT201: ['Littérature', 'XIXe siècle'],
	MATH110: ['Mathématiques', 'Analyse'],
	DRAFT01: ['Brouillon'],
};

type CategorySpec = {name: string; idnumber: string; parent?: number};

async function seedCategories(demo: DemoSeedContext): Promise<Array<{id: number; contextId: number}>> {
	const specs: CategorySpec[] = [
		{name: 'Lettres et langues', idnumber: 'CAT-LET'},
		{name: 'Sciences', idnumber: 'CAT-SCI'},
		{name: 'Mathématiques', idnumber: 'CAT-MATH', parent: 1},
	];
	const created: Array<{id: number; contextId: number; path: string}> = [];
	for (const [index, spec] of specs.entries()) {
		const parent = spec.parent === undefined ? undefined : created[spec.parent]!;
		const id = await demo.insertOne('course_categories', {
			name: spec.name,
			idnumber: spec.idnumber,
			description: `<p>Catégorie « ${spec.name} ».</p>`,
			descriptionformat: 1,
			parent: parent?.id ?? 0,
			sortorder: (index + 2) * 10_000,
			coursecount: 0,
			visible: 1,
			visibleold: 1,
			timemodified: demo.at(-40),
			depth: parent ? 2 : 1,
			path: '',
		});
		const path = `${parent?.path ?? ''}/${id}`;
		await demo.db.run('UPDATE {course_categories} SET path = ? WHERE id = ?', [path, id]);
		const contextId = await createContext(demo.db, CONTEXT_LEVEL.COURSECAT, id, parent?.contextId ?? SYSTEM_CONTEXT_ID);
		created.push({id, contextId, path});
	}
	return created;
}

/** Course totals: the sum of each student's activity grades, scaled to 100 (natural aggregation). */
async function seedCourseTotals(demo: DemoSeedContext, course: DemoCourse, graded: readonly GradedActivity[]): Promise<void> {
	const item = await demo.db.get<{id: number}>("SELECT id FROM {grade_items} WHERE courseid = ? AND itemtype = 'course'", [course.id]);
	const maxTotal = graded.reduce((sum, activity) => sum + activity.grademax, 0);
	const rows = course.students
		.filter(userid => graded.some(activity => activity.grades.has(userid)))
		.map(userid => {
			const total = graded.reduce((sum, activity) => sum + (activity.grades.get(userid) ?? 0), 0);
			const finalgrade = Math.round((total / maxTotal) * 100 * 100_000) / 100_000;
			return {itemid: Number(item!.id), userid, rawgrade: null, rawgrademax: 100, rawgrademin: 0, usermodified: null, finalgrade, timecreated: null, timemodified: demo.at(60), aggregationstatus: 'used', aggregationweight: null};
		});
	await demo.insert('grade_grades', rows);
	await demo.db.run('UPDATE {grade_items} SET grademax = ? WHERE id = ?', [maxTotal, Number(item!.id)]);
}

async function seedCourseContent(demo: DemoSeedContext, course: DemoCourse, full: boolean): Promise<number> {
	const sequences: SectionSequences = new Map();
	let day = 0;
	const next = () => (day += 1);
	await seedNewsForum(demo, course, sequences, next());
	await seedLabel(demo, course, sequences, 1, next());
	await seedPage(demo, course, sequences, 1, next(), {name: 'Présentation du cours'});
	await seedUrl(demo, course, sequences, 1, next());
	await seedResource(demo, course, sequences, 2, next());
	await seedFolder(demo, course, sequences, 2, next());
	await seedDiscussionForum(demo, course, sequences, 3, next());
	const graded: GradedActivity[] = [];
	graded.push(await seedAssignment(demo, course, sequences, 4, next(), 2));
	graded.push(await seedQuiz(demo, course, sequences, 4, next(), 3));
	if (full) {
		await seedChoice(demo, course, sequences, 3, next());
		await seedGlossary(demo, course, sequences, 5, next());
		await seedBook(demo, course, sequences, 2, next());
		await seedChat(demo, course, sequences, 3, next());
		await seedPage(demo, course, sequences, 5, next(), {name: 'Notes de l\'enseignant', hidden: true});
		await seedPage(demo, course, sequences, 5, next(), {name: 'Consignes pour le groupe A', restricted: true});
	}
	await writeSectionSequences(demo, course, sequences);
	await seedCourseTotals(demo, course, graded);
	// Some activity completion and views for the first students.
	const modules = await demo.db.all<{id: number; completion: number}>('SELECT id, completion FROM {course_modules} WHERE course = ? ORDER BY id', [course.id]);
	const tracked = modules.filter(module => Number(module.completion) > 0);
	await demo.insert(
		'course_modules_completion',
		tracked.flatMap(module => course.students.slice(0, 15).map((userid, index) => ({coursemoduleid: Number(module.id), userid, completionstate: index % 3 === 0 ? 0 : 1, overrideby: null, timemodified: demo.at(30 + index)}))),
	);
	await demo.insert('course_modules_viewed', modules.flatMap(module => course.students.slice(0, 5).map((userid, index) => ({coursemoduleid: Number(module.id), userid, timecreated: demo.at(10 + index)}))));
	return modules.length;
}

/**
 * Seeds a realistic demo site on top of a freshly installed one, deterministically (a seeded PRNG
 * and fixed timestamps): categories, courses (one hidden), 248 users with French names, cohorts,
 * manual, self and cohort enrolments, groups and groupings, activities of every supported type with
 * user data, grades and files. Uses only the Db interface and runs inside the caller's transaction;
 * its files are staged in `pool` (promote them after commit).
 */
export async function seedDemoSite(db: Db, pool: FilePool, options: {seed?: number; wwwroot?: string} = {}): Promise<DemoSummary> {
	return db.transaction(async tx => {
		const demo = await createDemoContext(tx, pool, options.seed ?? DEMO_SEED);
		const categories = await seedCategories(demo);
		const users = await seedUsers(demo);
		const teachers = users.filter(user => user.teacher);
		const students = users.filter(user => !user.teacher);
		const cohorts = await seedCohorts(demo, students);
		const sections = ['Généralités', 'Introduction', 'Ressources', 'Discussions', 'Évaluation', 'Pour aller plus loin'];
		const pick = (from: number, to: number): DemoUser[] => students.slice(from, to);
		const specs: Array<DemoCourseSpec & {full: boolean}> = [
			{fullname: 'Histoire médiévale – Le temps des cathédrales', shortname: 'HIST101', categoryId: categories[0]!.id, categoryContextId: categories[0]!.contextId, visible: true, sectionNames: sections, teachers: teachers.slice(0, 2), students: pick(30, 90), selfEnrolled: pick(90, 100), cohort: cohorts[0]!, startDay: 0, full: true},
			{fullname: 'Littérature française du XIXe siècle', shortname: 'LITT201', categoryId: categories[0]!.id, categoryContextId: categories[0]!.contextId, visible: true, sectionNames: sections, teachers: teachers.slice(2, 4), students: pick(60, 110), selfEnrolled: pick(200, 210), startDay: 7, full: false},
			{fullname: 'Analyse mathématique – Suites et fonctions', shortname: 'MATH110', categoryId: categories[2]!.id, categoryContextId: categories[2]!.contextId, visible: true, sectionNames: sections, teachers: teachers.slice(4, 6), students: pick(130, 200), selfEnrolled: pick(210, 220), cohort: cohorts[1]!, startDay: 14, full: true},
			{fullname: 'Atelier de préparation (brouillon)', shortname: 'DRAFT01', categoryId: categories[1]!.id, categoryContextId: categories[1]!.contextId, visible: false, sectionNames: sections, teachers: teachers.slice(6, 8), students: pick(220, 235), selfEnrolled: [], startDay: 21, full: false},
		];
		let modules = 0;
		for (const [index, spec] of specs.entries()) {
			const categorySortorder = (categories.findIndex(category => category.id === spec.categoryId) + 2) * 10_000;
			const course = await seedCourse(demo, spec, categorySortorder + index + 1);
			modules += await seedCourseContent(demo, course, spec.full);
			await seedCourseExtras(demo, course, COURSE_TAGS[spec.shortname] ?? [], spec.startDay + 30);
			await tx.run('UPDATE {course_categories} SET coursecount = coursecount + 1 WHERE id = ?', [spec.categoryId]);
		}
		return {categories: categories.length, courses: specs.length, users: users.length, cohorts: cohorts.length, modules};
	});
}
