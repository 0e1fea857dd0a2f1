/**
 * mod_quiz: slots (`question_instances`, each with its 4.0+ `question_reference` to a question bank entry),
 * sections, overall feedback, overrides, and — as user data — grades and attempts. Each attempt holds its
 * question usage (attempt.uniqueid = question_usages.id) with question attempts, steps and step data. Aliases: `attempts` is written `attempts_number`, grade `grade`
 * as `gradeval`, attempt `attempt` as `attemptnum`. Preview attempts are never backed up.
 *
 * quiz_attempts.uniqueid has a unique index, and the site may already hold attempts: an attempt is never written
 * with the backup's uniqueid. Moodle inserts the attempt once its usage exists (inform_new_usage_id); the XML
 * gives the attempt before its usage, so the attempt gets a new usage of its own when it is inserted, and that
 * same row takes the backup's usage values when the usage element is read (see `questionUsage`).
 */
import {standardLinks} from '../common-elements.js';
import {completeRow} from '../../store/schema/rows.js';
import type {SqlValue} from '../../store/db.js';
import type {ActivityPlugin, ElementSpec, RowScope} from '../types.js';
import {notice} from '../../notices.js';

/** The usage reserved for the attempt being restored (one restore = one id map), taken by its usage element. */
const reservedUsages = new WeakMap<object, number>();

/** The attempt's own usage, created with the quiz's behaviour: the attempt holds a real new usage id from the start. */
async function attemptWithNewUsage(row: Record<string, SqlValue>, scope: RowScope): Promise<Record<string, SqlValue>> {
	const quiz = await scope.db.get<{preferredbehaviour: string}>('SELECT preferredbehaviour FROM {quiz} WHERE id = ?', [row.quiz ?? null]);
	const usageId = await scope.db.insert('question_usages', completeRow('question_usages', {contextid: scope.contextId, component: 'mod_quiz', preferredbehaviour: quiz?.preferredbehaviour ?? 'deferredfeedback'}));
	reservedUsages.set(scope.idMap, usageId);
	return {...row, uniqueid: usageId};
}

/**
 * The backup's usage row for an attempt: written into the usage the attempt already points at (the row keeps
 * that id, so attempt.uniqueid never changes and never collides). Its question attempts and steps follow it.
 */
async function intoAttemptUsage(row: Record<string, SqlValue>, scope: RowScope): Promise<Record<string, SqlValue>> {
	const usageId = reservedUsages.get(scope.idMap);
	reservedUsages.delete(scope.idMap);
	if (usageId === undefined) return row;
	// The reserved row is replaced by the backup's values under the same id (portable: no upsert).
	await scope.db.run('DELETE FROM {question_usages} WHERE id = ?', [usageId]);
	return {...row, id: usageId};
}

const questionUsage: ElementSpec = {
	name: 'question_usage',
	table: 'question_usages',
	itemname: 'question_usage',
	link: {column: 'id', parentColumn: 'uniqueid', reverse: true},
	contextColumn: 'contextid',
	fields: ['component', 'preferredbehaviour'],
	userData: true,
	resolve: intoAttemptUsage,
	children: [
		{
			name: 'question_attempt',
			wrapper: 'question_attempts',
			table: 'question_attempts',
			itemname: 'question_attempt',
			link: {column: 'questionusageid'},
			fields: ['slot', 'behaviour', 'questionid', 'variant', 'maxmark', 'minfraction', 'maxfraction', 'flagged', 'questionsummary', 'rightanswer', 'responsesummary', 'timemodified'],
			foreignKeys: {questionid: 'question'},
			userData: true,
			children: [
				{
					name: 'step',
					wrapper: 'steps',
					table: 'question_attempt_steps',
					itemname: 'question_attempt_step',
					link: {column: 'questionattemptid'},
					fields: ['sequencenumber', 'state', 'fraction', 'timecreated', 'userid'],
					foreignKeys: {userid: 'user'},
					userData: true,
					// Files a student uploaded or typed into an essay response belong to the step.
					files: [
						{component: 'question', filearea: 'response_attachments', itemid: 'id'},
						{component: 'question', filearea: 'response_answer', itemid: 'id'},
					],
					children: [
						{
							name: 'variable',
							wrapper: 'response',
							table: 'question_attempt_step_data',
							itemname: 'question_attempt_step_data',
							noId: true,
							link: {column: 'attemptstepid'},
							fields: ['name', 'value'],
							userData: true,
						},
					],
				},
			],
		},
	],
};

/**
 * 3.x backups name the slot's question directly (`<questionid>`, no `question_reference`): point the slot at the
 * restored question's bank entry, as Moodle's 4.0 upgrade does. Random questions need a filter and are reported.
 */
async function referenceLegacySlotQuestion(slotId: number, data: Readonly<Record<string, string | null>>, _quiz: unknown, scope: RowScope): Promise<void> {
	if (!data.questionid) return;
	const questionId = scope.idMap.get('question', Number(data.questionid));
	const version = questionId === undefined ? undefined : await scope.db.get<{questionbankentryid: number; qtype: string}>(
		'SELECT v.questionbankentryid, q.qtype FROM {question_versions} v JOIN {question} q ON q.id = v.questionid WHERE v.questionid = ?',
		[questionId],
	);
	if (!version || version.qtype === 'random') {
		scope.warn(notice(version ? 'quizSlotRandom' : 'quizSlotMissing', {slot: data.slot ?? '?', question: data.questionid ?? '?'}));
		return;
	}
	await scope.db.insert('question_references', completeRow('question_references', {usingcontextid: scope.contextId, component: 'mod_quiz', questionarea: 'slot', itemid: slotId, questionbankentryid: Number(version.questionbankentryid), version: null}));
}

export const quizPlugin: ActivityPlugin = {
	modname: 'quiz',
	version: 2022112800,
	root: {
		name: 'quiz',
		table: 'quiz',
		dates: ['timeopen', 'timeclose'],
		fields: ['name', 'intro', 'introformat', 'timeopen', 'timeclose', 'timelimit', 'overduehandling', 'graceperiod', 'preferredbehaviour', 'canredoquestions', {xml: 'attempts_number', column: 'attempts'}, 'attemptonlast', 'grademethod', 'decimalpoints', 'questiondecimalpoints', 'reviewattempt', 'reviewcorrectness', 'reviewmarks', 'reviewspecificfeedback', 'reviewgeneralfeedback', 'reviewrightanswer', 'reviewoverallfeedback', 'questionsperpage', 'navmethod', 'shuffleanswers', 'sumgrades', 'grade', 'timecreated', 'timemodified', 'password', 'subnet', 'browsersecurity', 'delay1', 'delay2', 'showuserpicture', 'showblocks', 'completionattemptsexhausted', 'completionminattempts', 'allowofflineattempts'],
		files: [{component: 'mod_quiz', filearea: 'intro', itemid: 0}],
		children: [
			// Safe Exam Browser settings are not modelled: the wrapper is written empty.
			{name: 'quizaccess_seb_quizsettings', wrapper: 'subplugin_quizaccess_seb_quiz', table: 'quizaccess_seb_quizsettings', fields: [], noId: true, notModelled: true},
			{
				name: 'question_instance',
				wrapper: 'question_instances',
				table: 'quiz_slots',
				itemname: 'quiz_question_instance',
				link: {column: 'quizid'},
				fields: ['quizid', 'slot', 'page', 'requireprevious', 'maxmark'],
				afterInsert: referenceLegacySlotQuestion,
				children: [
					{
						name: 'question_reference',
						table: 'question_references',
						itemname: 'question_reference',
						link: {column: 'itemid'},
						fields: ['usingcontextid', 'component', 'questionarea', 'questionbankentryid', 'version'],
						constants: {component: 'mod_quiz', questionarea: 'slot'},
						foreignKeys: {usingcontextid: 'context', questionbankentryid: 'question_bank_entry', questioncategoryid: 'question_category'},
						// Read on backup only, so the category of each used question is annotated for inforef.xml.
						virtualColumns: {questioncategoryid: 'SELECT e.questioncategoryid FROM {question_bank_entries} e WHERE e.id = t.questionbankentryid'},
					},
					{
						name: 'question_set_reference',
						table: 'question_set_references',
						itemname: 'question_set_reference',
						link: {column: 'itemid'},
						fields: ['usingcontextid', 'component', 'questionarea', 'questionscontextid', 'filtercondition'],
						constants: {component: 'mod_quiz', questionarea: 'slot'},
						foreignKeys: {usingcontextid: 'context', questionscontextid: 'context'},
					},
				],
			},
			{
				name: 'section',
				wrapper: 'sections',
				table: 'quiz_sections',
				itemname: 'quiz_section',
				link: {column: 'quizid'},
				fields: ['firstslot', 'heading', 'shufflequestions'],
			},
			{
				name: 'feedback',
				wrapper: 'feedbacks',
				table: 'quiz_feedback',
				itemname: 'quiz_feedback',
				link: {column: 'quizid'},
				fields: ['feedbacktext', 'feedbacktextformat', 'mingrade', 'maxgrade'],
				files: [{component: 'mod_quiz', filearea: 'feedback', itemid: 'id'}],
			},
			{
				name: 'override',
				wrapper: 'overrides',
				table: 'quiz_overrides',
				dates: ['timeopen', 'timeclose'],
				itemname: 'quiz_override',
				link: {column: 'quiz'},
				fields: ['userid', 'groupid', 'timeopen', 'timeclose', 'timelimit', 'attempts', 'password'],
				foreignKeys: {userid: 'user', groupid: 'group'},
				// Group overrides are course content; user overrides are user data.
				userDataColumn: 'userid',
			},
			{
				name: 'grade',
				wrapper: 'grades',
				table: 'quiz_grades',
				itemname: 'quiz_grade',
				link: {column: 'quiz'},
				fields: ['userid', {xml: 'gradeval', column: 'grade'}, 'timemodified'],
				foreignKeys: {userid: 'user'},
				userData: true,
			},
			{
				name: 'attempt',
				wrapper: 'attempts',
				table: 'quiz_attempts',
				itemname: 'quiz_attempt',
				link: {column: 'quiz'},
				fields: ['userid', {xml: 'attemptnum', column: 'attempt'}, 'uniqueid', 'layout', 'currentpage', 'preview', 'state', 'timestart', 'timefinish', 'timemodified', 'timemodifiedoffline', 'timecheckstate', 'sumgrades', 'gradednotificationsenttime'],
				foreignKeys: {userid: 'user'},
				userData: true,
				backupWhere: 't.preview = 0',
				resolve: attemptWithNewUsage,
				children: [questionUsage],
			},
		],
	},
	links: [...standardLinks('quiz'), {name: 'QUIZVIEWBYQ', path: '/mod/quiz/view.php?q=$1', mappings: ['quiz']}],
	decodeContents: [
		{table: 'quiz', fields: ['intro'], itemname: 'quiz'},
		{table: 'quiz_feedback', fields: ['feedbacktext'], itemname: 'quiz_feedback'},
	],
};
