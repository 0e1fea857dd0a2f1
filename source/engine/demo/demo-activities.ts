import type {DemoSeedContext} from './demo-context.js';
import type {DemoCourse} from './demo-course.js';
import {addCourseModule, addDemoFile, addGradeItem, paragraphs, sentence, type DemoModule, type SectionSequences} from './demo-modules.js';

export type GradedActivity = {itemId: number; grades: Map<number, number>; grademax: number};

/** The course's news forum (section 0) with announcements from the main teacher. */
export async function seedNewsForum(demo: DemoSeedContext, course: DemoCourse, sequences: SectionSequences, day: number): Promise<DemoModule> {
	const forumId = await demo.insertOne('forum', {course: course.id, type: 'news', name: 'Annonces', intro: '<p>Annonces générales de l\'équipe pédagogique.</p>', introformat: 1, forcesubscribe: 1, maxattachments: 1, timemodified: demo.at(day)});
	const module = await addCourseModule(demo, course, sequences, 0, 'forum', forumId, {added: demo.at(day)});
	await seedDiscussions(demo, course, forumId, module, {discussions: 3, replies: 0, authors: course.teachers.slice(0, 1), day});
	return module;
}

/** A general forum with discussions and replies by students, one attachment, and subscriptions. */
export async function seedDiscussionForum(demo: DemoSeedContext, course: DemoCourse, sequences: SectionSequences, sectionIndex: number, day: number): Promise<DemoModule> {
	const forumId = await demo.insertOne('forum', {course: course.id, type: 'general', name: 'Forum de discussion', intro: '<p>Échangez sur les thèmes du cours.</p>', introformat: 1, maxattachments: 3, maxbytes: 512_000, timemodified: demo.at(day)});
	const module = await addCourseModule(demo, course, sequences, sectionIndex, 'forum', forumId, {added: demo.at(day), groupmode: 1, completion: 1});
	await seedDiscussions(demo, course, forumId, module, {discussions: 6, replies: 5, authors: course.students, day});
	await demo.insert('forum_subscriptions', course.students.slice(0, 12).map(userid => ({userid, forum: forumId})));
	return module;
}

async function seedDiscussions(
	demo: DemoSeedContext,
	course: DemoCourse,
	forumId: number,
	module: DemoModule,
	options: {discussions: number; replies: number; authors: readonly number[]; day: number},
): Promise<void> {
	const {prng} = demo;
	for (let index = 0; index < options.discussions; index++) {
		const author = prng.pick(options.authors);
		const created = demo.at(options.day + 1 + index);
		const subject = sentence(demo, prng.int(3, 6)).replace(/\.$/, '');
		const groupid = course.groups.length > 0 && options.replies > 0 ? course.groups[index % course.groups.length]!.id : -1;
		const discussionId = await demo.insertOne('forum_discussions', {course: course.id, forum: forumId, name: subject, firstpost: 0, userid: author, groupid, assessed: 0, timemodified: created, usermodified: author, timestart: 0, timeend: 0, pinned: index === 0 ? 1 : 0});
		const postRows = [{discussion: discussionId, parent: 0, userid: author, created, modified: created, mailed: 1, subject, message: paragraphs(demo, 2), messageformat: 1, messagetrust: 0, attachment: index === 0 && options.replies > 0 ? '1' : '', totalscore: 0, mailnow: 0, deleted: 0, privatereplyto: 0, wordcount: null, charcount: null}];
		const [firstPostId] = await demo.insert('forum_posts', postRows);
		const replies = Array.from({length: options.replies}, (_, reply) => {
			const replier = prng.pick(options.authors);
			const time = created + (reply + 1) * 3600 * prng.int(1, 20);
			return {discussion: discussionId, parent: firstPostId!, userid: replier, created: time, modified: time, mailed: 1, subject: `Re: ${subject}`, message: paragraphs(demo, 1), messageformat: 1, messagetrust: 0, attachment: '', totalscore: 0, mailnow: 0, deleted: 0, privatereplyto: 0, wordcount: null, charcount: null};
		});
		await demo.insert('forum_posts', replies);
		await demo.db.run('UPDATE {forum_discussions} SET firstpost = ?, timemodified = ? WHERE id = ?', [firstPostId!, replies.at(-1)?.modified ?? created, discussionId]);
		if (index === 0 && options.replies > 0) {
			await addDemoFile(demo, {contextid: module.contextId, component: 'mod_forum', filearea: 'attachment', itemid: firstPostId!, filename: 'notes-de-lecture.txt', userid: author, timecreated: created, content: `Notes de lecture\n\n${sentence(demo, 40)}\n`});
		}
	}
}

export async function seedPage(demo: DemoSeedContext, course: DemoCourse, sequences: SectionSequences, sectionIndex: number, day: number, options: {name: string; hidden?: boolean; restricted?: boolean}): Promise<DemoModule> {
	const pageId = await demo.insertOne('page', {course: course.id, name: options.name, intro: `<p>${options.name}.</p>`, introformat: 1, content: paragraphs(demo, 4), contentformat: 1, display: 5, displayoptions: 'a:2:{s:12:"printheading";s:1:"1";s:10:"printintro";s:1:"0";}', revision: 1, timemodified: demo.at(day)});
	const availability = options.restricted ? JSON.stringify({op: '&', c: [{type: 'group', id: course.groups[0]!.id}], showc: [true]}) : null;
	return addCourseModule(demo, course, sequences, sectionIndex, 'page', pageId, {added: demo.at(day), visible: !options.hidden, availability, ...(options.restricted ? {groupingid: course.groupingId} : {}), completion: 2});
}

export async function seedLabel(demo: DemoSeedContext, course: DemoCourse, sequences: SectionSequences, sectionIndex: number, day: number): Promise<DemoModule> {
	const text = sentence(demo, 8);
	const labelId = await demo.insertOne('label', {course: course.id, name: text.slice(0, 50), intro: `<p><strong>${text}</strong></p>`, introformat: 1, timemodified: demo.at(day)});
	return addCourseModule(demo, course, sequences, sectionIndex, 'label', labelId, {added: demo.at(day)});
}

export async function seedUrl(demo: DemoSeedContext, course: DemoCourse, sequences: SectionSequences, sectionIndex: number, day: number): Promise<DemoModule> {
	const urlId = await demo.insertOne('url', {course: course.id, name: 'Bibliothèque numérique', intro: '<p>Ressources en ligne de la bibliothèque.</p>', introformat: 1, externalurl: 'https://gallica.bnf.fr/', display: 0, displayoptions: 'a:1:{s:10:"printintro";i:1;}', parameters: 'a:0:{}', timemodified: demo.at(day)});
	return addCourseModule(demo, course, sequences, sectionIndex, 'url', urlId, {added: demo.at(day)});
}

export async function seedResource(demo: DemoSeedContext, course: DemoCourse, sequences: SectionSequences, sectionIndex: number, day: number): Promise<DemoModule> {
	const resourceId = await demo.insertOne('resource', {course: course.id, name: 'Programme du cours', intro: '<p>Le programme détaillé du semestre.</p>', introformat: 1, display: 0, displayoptions: 'a:1:{s:10:"printintro";i:1;}', revision: 1, timemodified: demo.at(day)});
	const module = await addCourseModule(demo, course, sequences, sectionIndex, 'resource', resourceId, {added: demo.at(day)});
	const content = `Programme du cours ${course.shortname}\n\n${Array.from({length: 12}, (_, week) => `Semaine ${week + 1} : ${sentence(demo, 10)}`).join('\n')}\n`;
	await addDemoFile(demo, {contextid: module.contextId, component: 'mod_resource', filearea: 'content', itemid: 0, filename: 'programme-du-cours.txt', userid: course.teachers[0]!, timecreated: demo.at(day), content});
	return module;
}

export async function seedFolder(demo: DemoSeedContext, course: DemoCourse, sequences: SectionSequences, sectionIndex: number, day: number): Promise<DemoModule> {
	const folderId = await demo.insertOne('folder', {course: course.id, name: 'Documents de travail', intro: '<p>Fiches et exercices.</p>', introformat: 1, revision: 1, timemodified: demo.at(day), display: 0, showexpanded: 1, showdownloadfolder: 1, forcedownload: 1});
	const module = await addCourseModule(demo, course, sequences, sectionIndex, 'folder', folderId, {added: demo.at(day)});
	for (const [filepath, filename] of [['/', 'fiche-méthode.txt'], ['/exercices/', 'exercice-1.txt'], ['/exercices/', 'exercice-2.txt']] as const) {
		await addDemoFile(demo, {contextid: module.contextId, component: 'mod_folder', filearea: 'content', itemid: 0, filepath, filename, userid: course.teachers[0]!, timecreated: demo.at(day), content: `${filename}\n\n${sentence(demo, 30)}\n`});
	}
	return module;
}

/** An assignment with online-text and file submissions, grades and feedback comments. */
export async function seedAssignment(demo: DemoSeedContext, course: DemoCourse, sequences: SectionSequences, sectionIndex: number, day: number, sortorder: number): Promise<GradedActivity> {
	const {prng} = demo;
	const due = demo.at(day + 21);
	const assignId = await demo.insertOne('assign', {course: course.id, name: 'Devoir : commentaire de texte', intro: '<p>Rédigez un commentaire de texte de deux pages.</p>', introformat: 1, alwaysshowdescription: 1, submissiondrafts: 0, duedate: due, allowsubmissionsfromdate: demo.at(day), grade: 100, timemodified: demo.at(day), cutoffdate: 0, gradingduedate: due + 7 * 86_400, attemptreopenmethod: 'none', maxattempts: -1, activity: '', activityformat: 1});
	const module = await addCourseModule(demo, course, sequences, sectionIndex, 'assign', assignId, {added: demo.at(day), completion: 2});
	await demo.insert('assign_plugin_config', [
		['onlinetext', 'assignsubmission', 'enabled', '1'],
		['onlinetext', 'assignsubmission', 'wordlimit', '0'],
		['file', 'assignsubmission', 'enabled', '1'],
		['file', 'assignsubmission', 'maxfilesubmissions', '2'],
		['file', 'assignsubmission', 'maxsubmissionsizebytes', '0'],
		['comments', 'assignsubmission', 'enabled', '1'],
		['comments', 'assignfeedback', 'enabled', '1'],
		['file', 'assignfeedback', 'enabled', '0'],
	].map(([plugin, subtype, name, value]) => ({assignment: assignId, plugin: plugin!, subtype: subtype!, name: name!, value: value!})));
	const itemId = await addGradeItem(demo, course, {name: 'Devoir : commentaire de texte', modname: 'assign', instance: assignId, grademax: 100, sortorder, time: demo.at(day)});

	const submitters = course.students.filter(() => prng.chance(0.7));
	const submissionRows = submitters.map(userid => {
		const time = due - prng.int(1, 14) * 86_400;
		return {assignment: assignId, userid, timecreated: time - 3600, timemodified: time, timestarted: null, status: 'submitted', groupid: 0, attemptnumber: 0, latest: 1};
	});
	const submissionIds = await demo.insert('assign_submission', submissionRows);
	await demo.insert('assignsubmission_onlinetext', submissionIds.map(submission => ({assignment: assignId, submission, onlinetext: paragraphs(demo, 2), onlineformat: 1})));
	const withFiles = submissionIds.filter((_, index) => index % 4 === 0);
	await demo.insert('assignsubmission_file', withFiles.map(submission => ({assignment: assignId, submission, numfiles: 1})));
	for (const submission of withFiles) {
		const row = submissionRows[submissionIds.indexOf(submission)]!;
		await addDemoFile(demo, {contextid: module.contextId, component: 'assignsubmission_file', filearea: 'submission_files', itemid: submission, filename: 'commentaire.txt', userid: row.userid, timecreated: row.timemodified, content: `Commentaire de texte\n\n${sentence(demo, 60)}\n`});
	}
	const grader = course.teachers[0]!;
	const graded = submitters.filter(() => prng.chance(0.85));
	const gradeValues = graded.map(() => prng.int(35, 100));
	const gradeIds = await demo.insert('assign_grades', graded.map((userid, index) => ({assignment: assignId, userid, timecreated: due + 86_400, timemodified: due + 2 * 86_400, grader, grade: gradeValues[index]!, attemptnumber: 0})));
	await demo.insert('assignfeedback_comments', gradeIds.map(grade => ({assignment: assignId, grade, commenttext: `<p>${sentence(demo, 12)}</p>`, commentformat: 1})));
	await demo.insert('assign_user_flags', submitters.slice(0, 3).map(userid => ({userid, assignment: assignId, locked: 0, mailed: 1, extensionduedate: 0, workflowstate: null, allocatedmarker: 0})));
	const grades = new Map(graded.map((userid, index) => [userid, gradeValues[index]!]));
	await demo.insert('grade_grades', graded.map(userid => ({itemid: itemId, userid, rawgrade: grades.get(userid)!, rawgrademax: 100, rawgrademin: 0, usermodified: grader, finalgrade: grades.get(userid)!, timecreated: due + 86_400, timemodified: due + 2 * 86_400, aggregationstatus: 'used', aggregationweight: null})));
	return {itemId, grades, grademax: 100};
}

export async function seedChoice(demo: DemoSeedContext, course: DemoCourse, sequences: SectionSequences, sectionIndex: number, day: number): Promise<DemoModule> {
	const choiceId = await demo.insertOne('choice', {course: course.id, name: 'Sondage : thème de l\'exposé', intro: '<p>Choisissez le thème de votre exposé.</p>', introformat: 1, display: 1, allowupdate: 1, showresults: 3, timemodified: demo.at(day)});
	const module = await addCourseModule(demo, course, sequences, sectionIndex, 'choice', choiceId, {added: demo.at(day)});
	const options = ['Les cathédrales gothiques', 'La vie au château', 'Le commerce médiéval', 'Les croisades'];
	const optionIds = await demo.insert('choice_options', options.map(text => ({choiceid: choiceId, text, maxanswers: 0, timemodified: demo.at(day)})));
	await demo.insert('choice_answers', course.students.filter(() => demo.prng.chance(0.6)).map(userid => ({choiceid: choiceId, userid, optionid: demo.prng.pick(optionIds), timemodified: demo.at(day + demo.prng.int(1, 10))})));
	return module;
}

export async function seedGlossary(demo: DemoSeedContext, course: DemoCourse, sequences: SectionSequences, sectionIndex: number, day: number): Promise<DemoModule> {
	const glossaryId = await demo.insertOne('glossary', {course: course.id, name: 'Glossaire du cours', intro: '<p>Les termes à connaître.</p>', introformat: 1, allowduplicatedentries: 0, displayformat: 'dictionary', mainglossary: 0, showspecial: 1, showalphabet: 1, showall: 1, allowcomments: 0, allowprintview: 1, usedynalink: 0, defaultapproval: 1, approvaldisplayformat: 'default', globalglossary: 0, entbypage: 10, editalways: 0, rsstype: 0, rssarticles: 0, assessed: 0, assesstimestart: 0, assesstimefinish: 0, scale: 0, timecreated: demo.at(day), timemodified: demo.at(day), completionentries: 0});
	const module = await addCourseModule(demo, course, sequences, sectionIndex, 'glossary', glossaryId, {added: demo.at(day)});
	const categoryId = await demo.insertOne('glossary_categories', {glossaryid: glossaryId, name: 'Vocabulaire', usedynalink: 0});
	const terms = ['Suzeraineté', 'Fief', 'Vassal', 'Tonlieu', 'Corvée', 'Dîme', 'Bailli', 'Sénéchal'];
	const entryIds = await demo.insert('glossary_entries', terms.map((concept, index) => {
		const author = demo.prng.pick([...course.teachers, ...course.students.slice(0, 5)]);
		return {glossaryid: glossaryId, userid: author, concept, definition: `<p>${sentence(demo, 15)}</p>`, definitionformat: 1, definitiontrust: 0, attachment: '', timecreated: demo.at(day + index), timemodified: demo.at(day + index), teacherentry: course.teachers.includes(author) ? 1 : 0, sourceglossaryid: 0, usedynalink: 0, casesensitive: 0, fullmatch: 1, approved: 1};
	}));
	await demo.insert('glossary_alias', [{entryid: entryIds[0]!, alias: 'Suzerain'}]);
	await demo.insert('glossary_entries_categories', entryIds.slice(0, 4).map(entryid => ({categoryid: categoryId, entryid})));
	return module;
}

export async function seedBook(demo: DemoSeedContext, course: DemoCourse, sequences: SectionSequences, sectionIndex: number, day: number): Promise<DemoModule> {
	const bookId = await demo.insertOne('book', {course: course.id, name: 'Manuel du cours', intro: '<p>Le manuel en chapitres.</p>', introformat: 1, numbering: 1, navstyle: 1, customtitles: 0, revision: 1, timecreated: demo.at(day), timemodified: demo.at(day)});
	const module = await addCourseModule(demo, course, sequences, sectionIndex, 'book', bookId, {added: demo.at(day)});
	await demo.insert('book_chapters', ['Introduction', 'Les sources', 'Méthodologie', 'Annexe : chronologie'].map((title, index) => ({bookid: bookId, pagenum: index + 1, subchapter: index === 3 ? 1 : 0, title, content: paragraphs(demo, 3), contentformat: 1, hidden: 0, timecreated: demo.at(day), timemodified: demo.at(day), importsrc: ''})));
	return module;
}

export async function seedChat(demo: DemoSeedContext, course: DemoCourse, sequences: SectionSequences, sectionIndex: number, day: number): Promise<DemoModule> {
	const chatId = await demo.insertOne('chat', {course: course.id, name: 'Salon de discussion', intro: '<p>Permanence hebdomadaire.</p>', introformat: 1, keepdays: 0, studentlogs: 0, chattime: demo.at(day + 7), schedule: 0, timemodified: demo.at(day)});
	const module = await addCourseModule(demo, course, sequences, sectionIndex, 'chat', chatId, {added: demo.at(day)});
	const people = [course.teachers[0]!, ...course.students.slice(0, 4)];
	await demo.insert('chat_messages', Array.from({length: 10}, (_, index) => ({chatid: chatId, userid: people[index % people.length]!, groupid: 0, issystem: 0, message: sentence(demo, 6), timestamp: demo.at(day + 7) + index * 60})));
	return module;
}
