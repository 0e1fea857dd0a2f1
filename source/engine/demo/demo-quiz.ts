import type {DemoSeedContext} from './demo-context.js';
import type {DemoCourse} from './demo-course.js';
import type {GradedActivity} from './demo-activities.js';
import {addCourseModule, addGradeItem, type SectionSequences} from './demo-modules.js';

type DemoQuestion = {
	qtype: 'multichoice' | 'truefalse' | 'shortanswer';
	name: string;
	text: string;
	answers: Array<{answer: string; fraction: number}>;
};

const QUESTIONS: readonly DemoQuestion[] = [
	{qtype: 'multichoice', name: 'Bataille de Bouvines', text: '<p>En quelle année a eu lieu la bataille de Bouvines ?</p>', answers: [{answer: '1214', fraction: 1}, {answer: '1066', fraction: 0}, {answer: '1415', fraction: 0}, {answer: '1302', fraction: 0}]},
	{qtype: 'truefalse', name: 'Couronnement de Charlemagne', text: '<p>Charlemagne a été couronné empereur en l\'an 800.</p>', answers: [{answer: 'Vrai', fraction: 1}, {answer: 'Faux', fraction: 0}]},
	{qtype: 'shortanswer', name: 'Premier Capétien', text: '<p>Quel roi fonde la dynastie capétienne en 987 ?</p>', answers: [{answer: 'Hugues Capet', fraction: 1}, {answer: '*', fraction: 0}]},
];

/** The course's question bank (top + default category), a quiz using its questions, and finished attempts. */
export async function seedQuiz(demo: DemoSeedContext, course: DemoCourse, sequences: SectionSequences, sectionIndex: number, day: number, sortorder: number): Promise<GradedActivity> {
	const {prng} = demo;
	const teacher = course.teachers[0]!;
	const created = demo.at(day);
	const stamp = () => `mbz.localhost+${created}+${Math.floor(prng.next() * 2 ** 32).toString(36)}${Math.floor(prng.next() * 2 ** 32).toString(36)}`;
	const topId = await demo.insertOne('question_categories', {name: 'top', contextid: course.contextId, info: '', infoformat: 0, stamp: stamp(), parent: 0, sortorder: 0, idnumber: null});
	const categoryId = await demo.insertOne('question_categories', {name: `Défaut pour ${course.shortname}`, contextid: course.contextId, info: `La catégorie par défaut pour les questions partagées dans le contexte « ${course.shortname} ».`, infoformat: 0, stamp: stamp(), parent: topId, sortorder: 999, idnumber: null});

	const questionIds = await demo.insert('question', QUESTIONS.map(question => ({parent: 0, name: question.name, questiontext: question.text, questiontextformat: 1, generalfeedback: '', generalfeedbackformat: 1, defaultmark: 1, penalty: question.qtype === 'truefalse' ? 1 : 0.3333333, qtype: question.qtype, length: 1, stamp: stamp(), timecreated: created, timemodified: created, createdby: teacher, modifiedby: teacher})));
	const entryIds = await demo.insert('question_bank_entries', questionIds.map(() => ({questioncategoryid: categoryId, idnumber: null, ownerid: teacher})));
	await demo.insert('question_versions', questionIds.map((questionid, index) => ({questionbankentryid: entryIds[index]!, version: 1, questionid, status: 'ready'})));
	const answerIds: number[][] = [];
	for (const [index, question] of QUESTIONS.entries()) {
		answerIds.push(await demo.insert('question_answers', question.answers.map(answer => ({question: questionIds[index]!, answer: answer.answer, answerformat: question.qtype === 'multichoice' ? 1 : 0, fraction: answer.fraction, feedback: '', feedbackformat: 1}))));
	}
	await demo.insertOne('qtype_multichoice_options', {questionid: questionIds[0]!, layout: 0, single: 1, shuffleanswers: 1, correctfeedback: '<p>Votre réponse est correcte.</p>', correctfeedbackformat: 1, partiallycorrectfeedback: '<p>Votre réponse est partiellement correcte.</p>', partiallycorrectfeedbackformat: 1, incorrectfeedback: '<p>Votre réponse est incorrecte.</p>', incorrectfeedbackformat: 1, answernumbering: 'abc', shownumcorrect: 1, showstandardinstruction: 0});
	await demo.insertOne('question_truefalse', {question: questionIds[1]!, trueanswer: answerIds[1]![0]!, falseanswer: answerIds[1]![1]!, showstandardinstruction: 0});
	await demo.insertOne('qtype_shortanswer_options', {questionid: questionIds[2]!, usecase: 0});

	const quizId = await demo.insertOne('quiz', {course: course.id, name: 'Quiz – Moyen Âge', intro: '<p>Trois questions pour vérifier vos connaissances.</p>', introformat: 1, timeopen: 0, timeclose: 0, timelimit: 0, overduehandling: 'autosubmit', graceperiod: 0, preferredbehaviour: 'deferredfeedback', attempts: 0, attemptonlast: 0, grademethod: 1, decimalpoints: 2, questiondecimalpoints: -1, reviewattempt: 69904, reviewcorrectness: 4352, reviewmarks: 4352, reviewspecificfeedback: 4352, reviewgeneralfeedback: 4352, reviewrightanswer: 4352, reviewoverallfeedback: 4352, questionsperpage: 1, navmethod: 'free', shuffleanswers: 1, sumgrades: QUESTIONS.length, grade: 10, timecreated: created, timemodified: created, password: '', subnet: '', browsersecurity: '-'});
	const module = await addCourseModule(demo, course, sequences, sectionIndex, 'quiz', quizId, {added: created, completion: 2});
	await demo.insertOne('quiz_sections', {quizid: quizId, firstslot: 1, heading: '', shufflequestions: 0});
	const slotIds = await demo.insert('quiz_slots', QUESTIONS.map((_, index) => ({slot: index + 1, quizid: quizId, page: index + 1, requireprevious: 0, maxmark: 1})));
	await demo.insert('question_references', slotIds.map((itemid, index) => ({usingcontextid: module.contextId, component: 'mod_quiz', questionarea: 'slot', itemid, questionbankentryid: entryIds[index]!, version: null})));
	await demo.insert('quiz_feedback', [{quizid: quizId, feedbacktext: '<p>Bravo !</p>', feedbacktextformat: 1, mingrade: 5, maxgrade: 11}, {quizid: quizId, feedbacktext: '<p>Relisez le chapitre 2.</p>', feedbacktextformat: 1, mingrade: 0, maxgrade: 5}]);
	const itemId = await addGradeItem(demo, course, {name: 'Quiz – Moyen Âge', modname: 'quiz', instance: quizId, grademax: 10, sortorder, time: created});

	// Finished attempts: one question usage per attempt, three question attempts, three steps each.
	const attempters = course.students.filter(() => prng.chance(0.5));
	const usageIds = await demo.insert('question_usages', attempters.map(() => ({contextid: module.contextId, component: 'mod_quiz', preferredbehaviour: 'deferredfeedback'})));
	const plans = attempters.map((userid, index) => {
		const start = demo.at(day + 2) + index * 1800;
		const right = QUESTIONS.map(() => prng.chance(0.65));
		return {userid, usage: usageIds[index]!, start, finish: start + prng.int(300, 1500), right, sum: right.filter(Boolean).length};
	});
	await demo.insert('quiz_attempts', plans.map(plan => ({quiz: quizId, userid: plan.userid, attempt: 1, uniqueid: plan.usage, layout: QUESTIONS.map((_, slot) => `${slot + 1},0`).join(','), currentpage: QUESTIONS.length - 1, preview: 0, state: 'finished', timestart: plan.start, timefinish: plan.finish, timemodified: plan.finish, timemodifiedoffline: 0, timecheckstate: null, sumgrades: plan.sum, gradednotificationsenttime: plan.finish})));
	const responses = plans.map(plan =>
		QUESTIONS.map((question, slot) => {
			const right = plan.right[slot]!;
			if (question.qtype === 'multichoice') return {summary: right ? '1214' : '1066', data: right ? '0' : '1', order: answerIds[0]!.join(',')};
			if (question.qtype === 'truefalse') return {summary: right ? 'Vrai' : 'Faux', data: right ? '1' : '0', order: null};
			return {summary: right ? 'Hugues Capet' : 'Louis VI', data: right ? 'Hugues Capet' : 'Louis VI', order: null};
		}),
	);
	const questionAttemptRows = plans.flatMap((plan, attempt) =>
		QUESTIONS.map((question, slot) => ({questionusageid: plan.usage, slot: slot + 1, behaviour: 'deferredfeedback', questionid: questionIds[slot]!, variant: 1, maxmark: 1, minfraction: 0, maxfraction: 1, flagged: 0, questionsummary: question.text.replaceAll(/<[^>]+>/g, ''), rightanswer: question.answers[0]!.answer, responsesummary: responses[attempt]![slot]!.summary, timemodified: plan.finish})),
	);
	const questionAttemptIds = await demo.insert('question_attempts', questionAttemptRows);
	const stepRows: Array<Record<string, string | number | null>> = [];
	const stepData: Array<{step: number; name: string; value: string}> = [];
	questionAttemptIds.forEach((questionattemptid, index) => {
		const plan = plans[Math.floor(index / QUESTIONS.length)]!;
		const slot = index % QUESTIONS.length;
		const right = plan.right[slot]!;
		stepRows.push({questionattemptid, sequencenumber: 0, state: 'todo', fraction: null, timecreated: plan.start, userid: plan.userid});
		stepRows.push({questionattemptid, sequencenumber: 1, state: 'complete', fraction: null, timecreated: plan.start + 60 * (slot + 1), userid: plan.userid});
		stepRows.push({questionattemptid, sequencenumber: 2, state: right ? 'gradedright' : 'gradedwrong', fraction: right ? 1 : 0, timecreated: plan.finish, userid: plan.userid});
	});
	const stepIds = await demo.insert('question_attempt_steps', stepRows);
	questionAttemptIds.forEach((_, index) => {
		const attempt = Math.floor(index / QUESTIONS.length);
		const response = responses[attempt]![index % QUESTIONS.length]!;
		const [todo, complete, graded] = [stepIds[index * 3]!, stepIds[index * 3 + 1]!, stepIds[index * 3 + 2]!];
		if (response.order) stepData.push({step: todo, name: '_order', value: response.order});
		stepData.push({step: complete, name: 'answer', value: response.data});
		stepData.push({step: graded, name: '-finish', value: '1'});
	});
	await demo.insert('question_attempt_step_data', stepData.map(entry => ({attemptstepid: entry.step, name: entry.name, value: entry.value})));

	const grades = new Map(plans.map(plan => [plan.userid, Math.round((plan.sum / QUESTIONS.length) * 10 * 100_000) / 100_000]));
	await demo.insert('quiz_grades', plans.map(plan => ({quiz: quizId, userid: plan.userid, grade: grades.get(plan.userid)!, timemodified: plan.finish})));
	await demo.insert('grade_grades', plans.map(plan => ({itemid: itemId, userid: plan.userid, rawgrade: grades.get(plan.userid)!, rawgrademax: 10, rawgrademin: 0, usermodified: plan.userid, finalgrade: grades.get(plan.userid)!, timecreated: plan.finish, timemodified: plan.finish, aggregationstatus: 'used', aggregationweight: null})));
	return {itemId, grades, grademax: 10};
}
