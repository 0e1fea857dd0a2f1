import {createHash} from 'node:crypto';
import {CONTEXT_LEVEL, createContexts} from '../store/contexts.js';
import {addDemoFile} from './demo-modules.js';
import type {DemoSeedContext} from './demo-context.js';
import type {DemoCourse} from './demo-course.js';

/** PHP's serialize() of a stdClass with string properties: how Moodle stores block configdata (base64). */
function phpObject(properties: Record<string, string>): string {
	const text = (value: string) => `s:${Buffer.byteLength(value)}:"${value}";`;
	const entries = Object.entries(properties);
	return `O:8:"stdClass":${entries.length}:{${entries.map(([key, value]) => text(key) + text(value)).join('')}}`;
}

/**
 * Per-course extras Moodle courses usually have: tags, blocks, a renamed role, course completion
 * (criteria, aggregation, completions), the assignment's calendar event, last access and a few logs.
 * Runs after the activities exist.
 */
export async function seedCourseExtras(demo: DemoSeedContext, course: DemoCourse, tags: readonly string[], day: number): Promise<void> {
	const time = demo.at(day);
	for (const rawname of tags) {
		const name = rawname.toLowerCase();
		const existing = await demo.db.get<{id: number}>('SELECT id FROM {tag} WHERE name = ? AND tagcollid = 1', [name]);
		const tagId = existing ? Number(existing.id) : await demo.insertOne('tag', {userid: 2, tagcollid: 1, name, rawname, isstandard: 0, description: null, descriptionformat: 0, flag: 0, timemodified: time});
		await demo.insertOne('tag_instance', {tagid: tagId, component: 'core', itemtype: 'course', itemid: course.id, contextid: course.contextId, tiuserid: 0, ordering: tags.indexOf(rawname), timecreated: time, timemodified: time});
	}
	const blockIds = await demo.insert('block_instances', [
		{blockname: 'html', parentcontextid: course.contextId, showinsubcontexts: 0, requiredbytheme: 0, pagetypepattern: 'course-view-*', subpagepattern: null, defaultregion: 'side-pre', defaultweight: 0, configdata: Buffer.from(phpObject({title: 'Bienvenue !', format: '1', text: '<p>Bon semestre à tous.</p>'})).toString('base64'), timecreated: time, timemodified: time},
		{blockname: 'calendar_upcoming', parentcontextid: course.contextId, showinsubcontexts: 0, requiredbytheme: 0, pagetypepattern: 'course-view-*', subpagepattern: null, defaultregion: 'side-pre', defaultweight: 1, configdata: '', timecreated: time, timemodified: time},
	]);
	// Every block instance has its own context under the page's context, as in Moodle.
	await createContexts(demo.db, CONTEXT_LEVEL.BLOCK, blockIds, course.contextId);
	await demo.insertOne('role_names', {roleid: 5, contextid: course.contextId, name: 'Étudiant·e'});
	await seedCompletionAndEvents(demo, course, time);
	await seedBadge(demo, course, time);
	const visitors = course.students.slice(0, 20);
	await demo.insert('user_lastaccess', visitors.map((userid, index) => ({userid, courseid: course.id, timeaccess: time + index * 600})));
	await demo.insert(
		'logstore_standard_log',
		visitors.map((userid, index) => ({
			eventname: '\\core\\event\\course_viewed',
			component: 'core',
			action: 'viewed',
			target: 'course',
			objecttable: null,
			objectid: null,
			crud: 'r',
			edulevel: 2,
			contextid: course.contextId,
			contextlevel: 50,
			contextinstanceid: course.id,
			userid,
			courseid: course.id,
			relateduserid: null,
			anonymous: 0,
			other: 'N;',
			timecreated: time + index * 600,
			origin: 'web',
			ip: '127.0.0.1',
			realuserid: null,
		})),
	);
}

async function seedCompletionAndEvents(demo: DemoSeedContext, course: DemoCourse, time: number): Promise<void> {
	const assign = await demo.db.get<{id: number; name: string; duedate: number; cmid: number}>(
		`SELECT a.id, a.name, a.duedate, cm.id AS cmid FROM {assign} a
		   JOIN {course_modules} cm ON cm.instance = a.id AND cm.course = a.course
		   JOIN {modules} m ON m.id = cm.module AND m.name = 'assign'
		  WHERE a.course = ? ORDER BY a.id`,
		[course.id],
	);
	if (!assign) return;
	await demo.insertOne('event', {name: `${assign.name} est à rendre`, description: '', format: 1, categoryid: 0, courseid: course.id, groupid: 0, userid: course.teachers[0]!, repeatid: 0, component: null, modulename: 'assign', instance: Number(assign.id), type: 1, eventtype: 'due', timestart: Number(assign.duedate), timeduration: 0, timesort: Number(assign.duedate), visible: 1, uuid: '', sequence: 1, timemodified: time, subscriptionid: null, priority: null, location: ''});
	// Completion: finishing the assignment completes the course (criteria type 4 = activity).
	const criterionId = await demo.insertOne('course_completion_criteria', {course: course.id, criteriatype: 4, module: 'assign', moduleinstance: Number(assign.cmid), courseinstance: null, enrolperiod: null, timeend: null, gradepass: null, role: null});
	await demo.insert('course_completion_aggr_methd', [
		{course: course.id, criteriatype: null, method: 1, value: null},
		{course: course.id, criteriatype: 4, method: 1, value: null},
	]);
	const finished = await demo.db.all<{userid: number; timemodified: number}>(
		"SELECT userid, timemodified FROM {assign_submission} WHERE assignment = ? AND status = 'submitted' ORDER BY id",
		[Number(assign.id)],
	);
	const completers = finished.slice(0, 12);
	await demo.insert('course_completion_crit_compl', completers.map(row => ({userid: Number(row.userid), course: course.id, criteriaid: criterionId, gradefinal: null, unenroled: null, timecompleted: Number(row.timemodified)})));
	await demo.insert('course_completions', course.students.slice(0, 20).map(userid => {
		const done = completers.find(row => Number(row.userid) === userid);
		return {userid, course: course.id, timeenrolled: time - 30 * 86_400, timestarted: time - 29 * 86_400, timecompleted: done ? Number(done.timemodified) : null, reaggregate: 0};
	}));
}

/** A 1x1 PNG: the badge image. */
const BADGE_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** A course badge awarded for the assignment, with its image, issued to those who completed the course. */
async function seedBadge(demo: DemoSeedContext, course: DemoCourse, time: number): Promise<void> {
	const cm = await demo.db.get<{id: number}>(
		"SELECT cm.id FROM {course_modules} cm JOIN {modules} m ON m.id = cm.module WHERE cm.course = ? AND m.name = 'assign' ORDER BY cm.id",
		[course.id],
	);
	if (!cm) return;
	const teacher = course.teachers[0]!;
	const badgeId = await demo.insertOne('badge', {
		name: `Commentaire réussi – ${course.shortname}`,
		description: 'Décerné pour la remise du commentaire de texte.',
		timecreated: time,
		timemodified: time,
		usercreated: teacher,
		usermodified: teacher,
		issuername: 'Université de démonstration',
		issuerurl: 'https://mbz.localhost',
		issuercontact: null,
		expiredate: null,
		expireperiod: null,
		type: 2,
		courseid: course.id,
		message: '<p>Félicitations, vous avez obtenu le badge %badgename% !</p>',
		messagesubject: 'Félicitations !',
		attachment: 1,
		notification: 1,
		status: 1,
		nextcron: null,
		version: '1',
		language: 'fr',
		imageauthorname: null,
		imageauthoremail: null,
		imageauthorurl: null,
		imagecaption: '',
	});
	const [, activityCriterion] = await demo.insert('badge_criteria', [
		{badgeid: badgeId, criteriatype: 0, method: 1, description: '', descriptionformat: 1},
		{badgeid: badgeId, criteriatype: 1, method: 1, description: '', descriptionformat: 1},
	]);
	await demo.insertOne('badge_criteria_param', {critid: activityCriterion!, name: `module_${Number(cm.id)}`, value: String(Number(cm.id))});
	await addDemoFile(demo, {contextid: course.contextId, component: 'badges', filearea: 'badgeimage', itemid: badgeId, filename: 'f1.png', userid: teacher, timecreated: time, content: BADGE_PNG});
	const earners = await demo.db.all<{userid: number; timecompleted: number}>(
		'SELECT userid, timecompleted FROM {course_completions} WHERE course = ? AND timecompleted IS NOT NULL ORDER BY id',
		[course.id],
	);
	await demo.insert('badge_issued', earners.map(row => ({
		badgeid: badgeId,
		userid: Number(row.userid),
		uniquehash: createHash('sha1').update(`${badgeId}-${row.userid}-${row.timecompleted}`).digest('hex'),
		dateissued: Number(row.timecompleted),
		dateexpire: null,
		visible: 1,
		issuernotified: Number(row.timecompleted),
	})));
}
