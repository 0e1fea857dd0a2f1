import {CONTEXT_LEVEL, createContexts, SYSTEM_CONTEXT_ID} from '../store/contexts.js';
import type {DemoSeedContext} from './demo-context.js';
import {asciiSlug, CITIES, FIRST_NAMES, LAST_NAMES} from './french-text.js';

export type DemoUser = {id: number; username: string; firstname: string; lastname: string; teacher: boolean};
export type DemoCohort = {id: number; idnumber: string; members: number[]};

export const DEMO_STUDENTS = 240;
export const DEMO_TEACHERS = 8;

/** Teachers then students, with accented French names, unique usernames and unique e-mails. */
export async function seedUsers(demo: DemoSeedContext): Promise<DemoUser[]> {
	const {prng} = demo;
	const taken = new Set<string>(['admin', 'guest']);
	const people: Array<Omit<DemoUser, 'id'> & {email: string; city: string; timecreated: number}> = [];
	for (let index = 0; index < DEMO_TEACHERS + DEMO_STUDENTS; index++) {
		const teacher = index < DEMO_TEACHERS;
		const firstname = prng.pick(FIRST_NAMES);
		const lastname = prng.pick(LAST_NAMES);
		const base = `${asciiSlug(firstname).slice(0, 1)}${asciiSlug(lastname)}`;
		let username = base;
		for (let suffix = 2; taken.has(username); suffix++) username = `${base}${suffix}`;
		taken.add(username);
		const domain = teacher ? 'univ-demo.fr' : 'etu-demo.fr';
		const email = `${asciiSlug(firstname)}.${asciiSlug(lastname)}${username === base ? '' : username.slice(base.length)}@${domain}`;
		people.push({username, firstname, lastname, teacher, email, city: prng.pick(CITIES), timecreated: demo.at(-30 + index / 10)});
	}
	const ids = await demo.insert(
		'user',
		people.map(person => ({
			auth: 'manual',
			confirmed: 1,
			mnethostid: 1,
			username: person.username,
			password: '',
			idnumber: person.teacher ? `ENS-${person.username.toUpperCase()}` : `ETU-${person.username.toUpperCase()}`,
			firstname: person.firstname,
			lastname: person.lastname,
			email: person.email,
			city: person.city,
			country: 'FR',
			lang: 'fr',
			timezone: 'Europe/Paris',
			institution: 'Université de démonstration',
			department: person.teacher ? 'Enseignants' : 'Étudiants',
			description: `<p>${person.firstname} ${person.lastname}, ${person.teacher ? 'enseignant·e' : 'étudiant·e'} à ${person.city}.</p>`,
			descriptionformat: 1,
			timecreated: person.timecreated,
			timemodified: person.timecreated,
			firstaccess: person.timecreated + 3600,
			lastaccess: demo.at(20),
		})),
	);
	await createContexts(demo.db, CONTEXT_LEVEL.USER, ids, SYSTEM_CONTEXT_ID);
	return people.map((person, index) => ({id: ids[index]!, username: person.username, firstname: person.firstname, lastname: person.lastname, teacher: person.teacher}));
}

/** Two system cohorts ("promotions") of 30 students each. */
export async function seedCohorts(demo: DemoSeedContext, students: readonly DemoUser[]): Promise<DemoCohort[]> {
	const definitions = [
		{idnumber: 'COH-LET-2024', name: 'Promotion 2024 – Lettres', members: students.slice(0, 30)},
		{idnumber: 'COH-SCI-2024', name: 'Promotion 2024 – Sciences', members: students.slice(100, 130)},
	];
	const ids = await demo.insert(
		'cohort',
		definitions.map(cohort => ({
			contextid: SYSTEM_CONTEXT_ID,
			name: cohort.name,
			idnumber: cohort.idnumber,
			description: `<p>Étudiant·e·s de la ${cohort.name.toLowerCase()}.</p>`,
			descriptionformat: 1,
			visible: 1,
			component: '',
			timecreated: demo.at(-20),
			timemodified: demo.at(-20),
		})),
	);
	await demo.insert(
		'cohort_members',
		definitions.flatMap((cohort, index) => cohort.members.map(member => ({cohortid: ids[index]!, userid: member.id, timeadded: demo.at(-19)}))),
	);
	return definitions.map((cohort, index) => ({id: ids[index]!, idnumber: cohort.idnumber, members: cohort.members.map(member => member.id)}));
}
