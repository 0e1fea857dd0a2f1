import {CONTEXT_LEVEL, createContext} from '../store/contexts.js';
import type {DemoSeedContext} from './demo-context.js';
import type {DemoCohort, DemoUser} from './demo-people.js';

export type DemoCourseSpec = {
	fullname: string;
	shortname: string;
	categoryId: number;
	categoryContextId: number;
	visible: boolean;
	sectionNames: string[];
	teachers: DemoUser[];
	students: DemoUser[];
	selfEnrolled: DemoUser[];
	cohort?: DemoCohort;
	startDay: number;
};

export type DemoCourse = {
	id: number;
	shortname: string;
	contextId: number;
	sectionIds: number[];
	/** Everyone with a student role in the course (manual, self and cohort). */
	students: number[];
	teachers: number[];
	groups: Array<{id: number; members: number[]}>;
	groupingId: number;
	gradeCategoryId: number;
};

const ROLE = {editingteacher: 3, teacher: 4, student: 5} as const;

/** The course row, its context, sections, format options, enrolment instances, enrolments and roles, groups and gradebook root. */
export async function seedCourse(demo: DemoSeedContext, spec: DemoCourseSpec, sortorder: number): Promise<DemoCourse> {
	const start = demo.at(spec.startDay);
	const courseId = await demo.insertOne('course', {
		category: spec.categoryId,
		sortorder,
		fullname: spec.fullname,
		shortname: spec.shortname,
		idnumber: `${spec.shortname}-2024`,
		summary: `<p>Cours de démonstration « ${spec.fullname} ».</p>`,
		summaryformat: 1,
		format: 'topics',
		startdate: start,
		enddate: start + 120 * 86_400,
		visible: spec.visible ? 1 : 0,
		visibleold: spec.visible ? 1 : 0,
		groupmode: 1,
		lang: '',
		calendartype: '',
		theme: '',
		timecreated: demo.at(spec.startDay - 10),
		timemodified: demo.at(spec.startDay - 5),
		enablecompletion: 1,
		showcompletionconditions: 1,
	});
	const contextId = await createContext(demo.db, CONTEXT_LEVEL.COURSE, courseId, spec.categoryContextId);
	const sectionIds = await demo.insert(
		'course_sections',
		spec.sectionNames.map((name, section) => ({
			course: courseId,
			section,
			name: section === 0 ? null : name,
			summary: section === 0 ? '' : `<p>${name} : objectifs et ressources.</p>`,
			summaryformat: 1,
			sequence: '',
			visible: 1,
			timemodified: start,
		})),
	);
	await demo.insert('course_format_options', [
		{courseid: courseId, format: 'topics', sectionid: 0, name: 'hiddensections', value: '0'},
		{courseid: courseId, format: 'topics', sectionid: 0, name: 'coursedisplay', value: '0'},
	]);

	const enrolRows = [
		{enrol: 'manual', status: 0, courseid: courseId, sortorder: 0, roleid: ROLE.student, expirythreshold: 86_400, timecreated: start, timemodified: start},
		{enrol: 'guest', status: 1, courseid: courseId, sortorder: 1, roleid: 0, password: '', timecreated: start, timemodified: start},
		{enrol: 'self', status: 0, courseid: courseId, sortorder: 2, roleid: ROLE.student, password: 'clé-démo', customint1: 0, customint2: 0, customint3: 0, customint4: 1, customint5: 0, customint6: 1, expirythreshold: 86_400, timecreated: start, timemodified: start},
	];
	const [manualId, , selfId] = await demo.insert('enrol', enrolRows);
	let cohortEnrolId: number | undefined;
	if (spec.cohort) {
		cohortEnrolId = await demo.insertOne('enrol', {enrol: 'cohort', status: 0, courseid: courseId, sortorder: 3, roleid: ROLE.student, customint1: spec.cohort.id, customint2: 0, timecreated: start, timemodified: start});
	}

	const enrolments: Array<{enrolid: number; userid: number}> = [];
	const roles: Array<{roleid: number; userid: number; component: string; itemid: number}> = [];
	spec.teachers.forEach((teacher, index) => {
		enrolments.push({enrolid: manualId!, userid: teacher.id});
		roles.push({roleid: index === 0 ? ROLE.editingteacher : ROLE.teacher, userid: teacher.id, component: '', itemid: 0});
	});
	for (const student of spec.students) {
		enrolments.push({enrolid: manualId!, userid: student.id});
		roles.push({roleid: ROLE.student, userid: student.id, component: '', itemid: 0});
	}
	for (const student of spec.selfEnrolled) {
		enrolments.push({enrolid: selfId!, userid: student.id});
		roles.push({roleid: ROLE.student, userid: student.id, component: '', itemid: 0});
	}
	if (spec.cohort && cohortEnrolId !== undefined) {
		for (const member of spec.cohort.members) {
			enrolments.push({enrolid: cohortEnrolId, userid: member});
			roles.push({roleid: ROLE.student, userid: member, component: 'enrol_cohort', itemid: cohortEnrolId});
		}
	}
	await demo.insert(
		'user_enrolments',
		enrolments.map((enrolment, index) => ({...enrolment, status: 0, timestart: start, timeend: 0, modifierid: 2, timecreated: start + index, timemodified: start + index})),
	);
	await demo.insert(
		'role_assignments',
		roles.map((role, index) => ({...role, contextid: contextId, timemodified: start + index, modifierid: 2, sortorder: 0})),
	);
	const students = [...new Set(roles.filter(role => role.roleid === ROLE.student).map(role => role.userid))];

	// Three groups sharing the students, and a grouping of the first two.
	const groupNames = ['Groupe A', 'Groupe B', 'Groupe C'];
	const groupIds = await demo.insert(
		'groups',
		groupNames.map((name, index) => ({
			courseid: courseId,
			idnumber: `${spec.shortname}-G${index + 1}`,
			name,
			description: `<p>${name} du cours ${spec.shortname}.</p>`,
			descriptionformat: 1,
			timecreated: start,
			timemodified: start,
		})),
	);
	const groups = groupIds.map((id, index) => ({id, members: students.filter((_, position) => position % groupIds.length === index)}));
	await demo.insert(
		'groups_members',
		groups.flatMap(group => [...group.members, spec.teachers[0]!.id].map(userid => ({groupid: group.id, userid, timeadded: start + 3600, component: '', itemid: 0}))),
	);
	const groupingId = await demo.insertOne('groupings', {courseid: courseId, name: 'Groupes A et B', idnumber: `${spec.shortname}-GA+B`, description: '', descriptionformat: 1, timecreated: start, timemodified: start});
	await demo.insert('groupings_groups', groups.slice(0, 2).map(group => ({groupingid: groupingId, groupid: group.id, timeadded: start})));

	const gradeCategoryId = await demo.insertOne('grade_categories', {courseid: courseId, parent: null, depth: 1, path: null, fullname: '?', aggregation: 13, aggregateonlygraded: 1, timecreated: start, timemodified: start});
	await demo.db.run('UPDATE {grade_categories} SET path = ? WHERE id = ?', [`/${gradeCategoryId}/`, gradeCategoryId]);
	await demo.insertOne('grade_items', {courseid: courseId, categoryid: null, itemname: null, itemtype: 'course', iteminstance: gradeCategoryId, gradetype: 1, grademax: 100, grademin: 0, sortorder: 1, timecreated: start, timemodified: start});

	return {id: courseId, shortname: spec.shortname, contextId, sectionIds, students, teachers: spec.teachers.map(teacher => teacher.id), groups, groupingId, gradeCategoryId};
}
