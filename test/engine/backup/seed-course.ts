/**
 * A small course seeded straight into a fresh site, with personal data worth scanning for: users with accented
 * names, idnumbers and e-mails, an outsider who must never appear, enrolments, a group, a forum with posts and an
 * attachment, a label, and a manual grade item.
 */
import {CONTEXT_LEVEL, createContext} from '../../../source/engine/store/contexts.js';
import type {Db} from '../../../source/engine/store/db.js';
import {completeRow} from '../../../source/engine/store/schema/rows.js';
import type {Site} from '../../../source/engine/store/site.js';

export type SeededUser = {id: number; username: string; firstname: string; lastname: string; email: string; idnumber: string; lastip: string; city: string; institution: string};
export type SeededCourse = {
	courseId: number;
	courseContextId: number;
	sectionIds: number[];
	forumCmid: number;
	labelCmid: number;
	users: SeededUser[];
	outsider: SeededUser;
	attachmentSha1: string;
	postCount: number;
};

const NOW = 1_790_000_000;

async function insert(db: Db, table: string, values: Record<string, string | number | null>): Promise<number> {
	return db.insert(table, completeRow(table, values));
}

function person(username: string, firstname: string, lastname: string, domain: string, index: number): Omit<SeededUser, 'id'> {
	return {
		username, firstname, lastname,
		email: `${username}.mail@${domain}`,
		idnumber: `IDNUM-${username.toUpperCase()}-77`,
		lastip: `10.42.${index}.${index + 7}`,
		city: `Villeneuve-${lastname}`,
		institution: `Institut ${lastname}`,
	};
}

export async function seedCourse(site: Site): Promise<SeededCourse> {
	const {db, pool} = site;
	const moduleId = async (name: string) => Number((await db.get<{id: number}>('SELECT id FROM {modules} WHERE name = ?', [name]))!.id);

	const courseId = await insert(db, 'course', {
		category: 1, fullname: 'Sciences & Société – test', shortname: 'SCI 101', idnumber: 'SCI-101', summary: '<p>Course summary long enough to be encoded.</p>',
		summaryformat: 1, format: 'topics', startdate: NOW, enddate: 0, visible: 1, timecreated: NOW, timemodified: NOW, enablecompletion: 1,
	});
	const categoryContext = await db.get<{id: number}>('SELECT id FROM {context} WHERE contextlevel = ? AND instanceid = ?', [CONTEXT_LEVEL.COURSECAT, 1]);
	const courseContextId = await createContext(db, CONTEXT_LEVEL.COURSE, courseId, categoryContext ? Number(categoryContext.id) : 1);
	await insert(db, 'course_format_options', {courseid: courseId, format: 'topics', sectionid: 0, name: 'hiddensections', value: '0'});

	const people = [
		person('tquintavalle', 'Théodora', 'Quintavalle', 'prof-example.org', 1),
		person('obrzezinska', 'Ophélie', 'Brzezinska', 'etu-example.org', 2),
		person('xvanderwoude', 'Xavière', 'Vanderwoude', 'etu-example.org', 3),
		person('kmontgolfier', 'Kévin', 'Montgolfier', 'etu-example.org', 4),
	];
	const users: SeededUser[] = [];
	for (const [index, data] of people.entries()) {
		const id = await insert(db, 'user', {
			auth: 'manual', confirmed: 1, mnethostid: 1, username: data.username, firstname: data.firstname, lastname: data.lastname,
			email: data.email, idnumber: data.idnumber, lastip: data.lastip, city: data.city, country: 'FR', institution: data.institution,
			department: `Département ${index}`, phone1: `+33 6 12 34 56 ${10 + index}`, description: `<p>Biography of ${data.firstname} ${data.lastname}</p>`,
			timecreated: NOW, timemodified: NOW,
		});
		await createContext(db, CONTEXT_LEVEL.USER, id, 1);
		users.push({id, ...data});
	}
	const outsiderData = person('zvonoutsider', 'Zénobie', 'Outsiderova', 'elsewhere-example.org', 9);
	const outsiderId = await insert(db, 'user', {
		auth: 'manual', confirmed: 1, mnethostid: 1, username: outsiderData.username, firstname: outsiderData.firstname,
		lastname: outsiderData.lastname, email: outsiderData.email, idnumber: outsiderData.idnumber, timecreated: NOW, timemodified: NOW,
	});
	await createContext(db, CONTEXT_LEVEL.USER, outsiderId, 1);

	const enrolId = await insert(db, 'enrol', {enrol: 'manual', status: 0, courseid: courseId, sortorder: 0, roleid: 5, expirythreshold: 86400, timecreated: NOW, timemodified: NOW});
	await insert(db, 'enrol', {enrol: 'self', status: 0, courseid: courseId, sortorder: 1, roleid: 5, password: 'clef', timecreated: NOW, timemodified: NOW});
	for (const [index, user] of users.entries()) {
		await insert(db, 'user_enrolments', {status: 0, enrolid: enrolId, userid: user.id, timestart: NOW, timeend: 0, modifierid: 2, timecreated: NOW, timemodified: NOW});
		await insert(db, 'role_assignments', {roleid: index === 0 ? 3 : 5, contextid: courseContextId, userid: user.id, timemodified: NOW, modifierid: 2, component: '', itemid: 0, sortorder: 0});
	}
	const groupId = await insert(db, 'groups', {courseid: courseId, idnumber: 'GRP-1', name: 'Groupe Un', description: 'Group one', descriptionformat: 1, timecreated: NOW, timemodified: NOW});
	await insert(db, 'groups_members', {groupid: groupId, userid: users[1]!.id, timeadded: NOW, component: '', itemid: 0});
	await insert(db, 'groups_members', {groupid: groupId, userid: users[2]!.id, timeadded: NOW, component: '', itemid: 0});
	const groupingId = await insert(db, 'groupings', {courseid: courseId, name: 'Regroupement', idnumber: 'GRPG-1', description: '', timecreated: NOW, timemodified: NOW});
	await insert(db, 'groupings_groups', {groupingid: groupingId, groupid: groupId, timeadded: NOW});

	// Sections and activities.
	const sectionIds: number[] = [];
	for (const number of [0, 1, 2]) {
		sectionIds.push(await insert(db, 'course_sections', {
			course: courseId, section: number, name: number === 0 ? null : `Partie ${number}`, summary: '', summaryformat: 1, sequence: '', visible: 1, timemodified: NOW,
		}));
	}
	const labelId = await insert(db, 'label', {course: courseId, name: 'Bienvenue', intro: '<p>Bienvenue dans le cours</p>', introformat: 1, timemodified: NOW});
	const labelCmid = await insert(db, 'course_modules', {course: courseId, module: await moduleId('label'), instance: labelId, section: sectionIds[0]!, added: NOW, visible: 1, visibleoncoursepage: 1, visibleold: 1});
	const labelContextId = await createContext(db, CONTEXT_LEVEL.MODULE, labelCmid, courseContextId);
	void labelContextId;

	const forumId = await insert(db, 'forum', {course: courseId, type: 'general', name: 'Forum des échanges', intro: 'Discuss here', introformat: 1, timemodified: NOW});
	const forumCmid = await insert(db, 'course_modules', {course: courseId, module: await moduleId('forum'), instance: forumId, section: sectionIds[1]!, added: NOW, visible: 1, visibleoncoursepage: 1, visibleold: 1});
	const forumContextId = await createContext(db, CONTEXT_LEVEL.MODULE, forumCmid, courseContextId);
	await db.run('UPDATE {course_sections} SET sequence = ? WHERE id = ?', [String(labelCmid), sectionIds[0]!]);
	await db.run('UPDATE {course_sections} SET sequence = ? WHERE id = ?', [String(forumCmid), sectionIds[1]!]);

	const discussionId = await insert(db, 'forum_discussions', {course: courseId, forum: forumId, name: 'Première discussion', firstpost: 0, userid: users[1]!.id, groupid: -1, timemodified: NOW, usermodified: users[1]!.id});
	let postCount = 0;
	let parent = 0;
	let firstPost = 0;
	for (const author of [users[1]!, users[2]!, users[0]!]) {
		const postId = await insert(db, 'forum_posts', {
			discussion: discussionId, parent, userid: author.id, created: NOW, modified: NOW, subject: `Re: question ${postCount}`,
			message: `<p>Message number ${postCount} in the discussion, long enough.</p>`, messageformat: 1, attachment: postCount === 0 ? '1' : '',
		});
		if (postCount === 0) firstPost = postId;
		parent = postId;
		postCount++;
	}
	await db.run('UPDATE {forum_discussions} SET firstpost = ? WHERE id = ?', [firstPost, discussionId]);

	const staged = await pool.stageBuffer(Buffer.from('Attachment body: notes de cours\n'));
	await pool.promoteStaged();
	for (const [filename, hash, size] of [['.', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', 0], ['notes.txt', staged.sha1, staged.size]] as const) {
		await insert(db, 'files', {
			contenthash: hash, pathnamehash: `${forumContextId}-${filename}-${firstPost}`.padEnd(40, '0').slice(0, 40), contextid: forumContextId,
			component: 'mod_forum', filearea: 'attachment', itemid: firstPost, filepath: '/', filename, userid: users[1]!.id, filesize: size,
			mimetype: filename === '.' ? null : 'text/plain', status: 0, timecreated: NOW, timemodified: NOW, sortorder: 0,
			author: filename === '.' ? null : `${users[1]!.firstname} ${users[1]!.lastname}`,
		});
	}

	// Log rows with the users' IP addresses, in the course and in the forum.
	for (const [index, user] of users.entries()) {
		for (const [contextid, contextlevel, contextinstanceid] of [[courseContextId, CONTEXT_LEVEL.COURSE, courseId], [forumContextId, CONTEXT_LEVEL.MODULE, forumCmid]] as const) {
			await insert(db, 'logstore_standard_log', {
				eventname: '\\core\\event\\course_viewed', component: 'core', action: 'viewed', target: 'course', crud: 'r', edulevel: 2,
				contextid, contextlevel, contextinstanceid, userid: user.id, courseid: courseId, anonymous: 0, timecreated: NOW + index, origin: 'web', ip: user.lastip,
			});
		}
	}

	for (const user of users) await insert(db, 'user_lastaccess', {userid: user.id, courseid: courseId, timeaccess: NOW + 60});

	// Gradebook: course category, course item, one manual item with a grade per student.
	const categoryId = await insert(db, 'grade_categories', {courseid: courseId, parent: null, depth: 1, path: '', fullname: '?', aggregation: 13, aggregateonlygraded: 1, timecreated: NOW, timemodified: NOW});
	await db.run('UPDATE {grade_categories} SET path = ? WHERE id = ?', [`/${categoryId}/`, categoryId]);
	await insert(db, 'grade_items', {courseid: courseId, categoryid: null, itemtype: 'course', iteminstance: categoryId, itemnumber: null, gradetype: 1, grademax: 100, grademin: 0, sortorder: 1, timecreated: NOW, timemodified: NOW});
	const manualId = await insert(db, 'grade_items', {courseid: courseId, categoryid: categoryId, itemname: 'Oral', itemtype: 'manual', idnumber: 'ORAL', gradetype: 1, grademax: 20, grademin: 0, sortorder: 2, timecreated: NOW, timemodified: NOW});
	for (const user of users.slice(1)) {
		await insert(db, 'grade_grades', {itemid: manualId, userid: user.id, finalgrade: 12.5, rawgrademax: 20, rawgrademin: 0, usermodified: users[0]!.id, feedback: 'Bien', feedbackformat: 1, timemodified: NOW});
	}
	return {
		courseId, courseContextId, sectionIds, forumCmid, labelCmid, users,
		outsider: {id: outsiderId, ...outsiderData}, attachmentSha1: staged.sha1, postCount,
	};
}
