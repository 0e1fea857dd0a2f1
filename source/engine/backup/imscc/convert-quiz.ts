import type {Cartridge, CartridgeItem} from './cartridge.js';
import type {Moodle2Activity, Moodle2File} from './read-moodle2.js';
import {readQuizSlots, type QuizQuestion} from './read-questions.js';
import {rewritePluginfileLinks} from './rewrite-links.js';
import {escapeXml} from './xml-text.js';
import {notice, type Notice} from '../../notices.js';

export const QTI_ASSESSMENT_TYPE = 'imsqti_xmlv1p2/imscc_xmlv1p1/assessment';
export const SUPPORTED_QUESTION_TYPES = ['truefalse', 'multichoice', 'shortanswer', 'essay'] as const;

const FILEBASE = '$IMS-CC-FILEBASE$../';

function field(label: string, entry: string): string {
	return `<qtimetadatafield><fieldlabel>${escapeXml(label)}</fieldlabel><fieldentry>${escapeXml(entry)}</fieldentry></qtimetadatafield>`;
}

function material(html: string): string {
	return `<material><mattext texttype="text/html">${escapeXml(html)}</mattext></material>`;
}

/** CC 1.1 accepts 1 to 5 attempts or "unlimited"; Moodle writes unlimited for 0 and anything above 5. */
export function maxAttempts(attempts: number): string {
	return attempts <= 0 || attempts > 5 ? 'unlimited' : String(attempts);
}

/** One QTI 1.2 item in the CC profile of its question type. */
function qtiItem(question: QuizQuestion, text: string): string {
	const response = `R_${question.id}`;
	const score = (fraction: number) => String(Math.round(fraction * 100));
	const lines: string[] = [];
	const choice = (cardinality: 'Single' | 'Multiple', profile: string) => {
		lines.push(`<itemmetadata><qtimetadata>${field('cc_profile', profile)}${field('cc_weighting', String(question.defaultmark))}</qtimetadata></itemmetadata>`);
		lines.push(`<presentation>${material(text)}<response_lid ident="${response}" rcardinality="${cardinality}"><render_choice>`);
		for (const answer of question.answers) lines.push(`<response_label ident="A_${answer.id}">${material(answer.text)}</response_label>`);
		lines.push('</render_choice></response_lid></presentation>');
		lines.push('<resprocessing><outcomes><decvar varname="SCORE" vartype="Decimal" minvalue="0" maxvalue="100"/></outcomes>');
		for (const answer of question.answers.filter(candidate => candidate.fraction > 0)) {
			lines.push(`<respcondition continue="${cardinality === 'Single' ? 'No' : 'Yes'}"><conditionvar><varequal respident="${response}">A_${answer.id}</varequal></conditionvar>`
				+ `<setvar action="${cardinality === 'Single' ? 'Set' : 'Add'}" varname="SCORE">${score(answer.fraction)}</setvar></respcondition>`);
		}
		lines.push('</resprocessing>');
	};
	switch (question.qtype) {
		case 'truefalse':
			choice('Single', 'cc.true_false.v0p1');
			break;
		case 'multichoice':
			choice(question.single ? 'Single' : 'Multiple', question.single ? 'cc.multiple_choice.v0p1' : 'cc.multiple_response.v0p1');
			break;
		case 'shortanswer':
			lines.push(`<itemmetadata><qtimetadata>${field('cc_profile', 'cc.fib.v0p1')}${field('cc_weighting', String(question.defaultmark))}</qtimetadata></itemmetadata>`);
			lines.push(`<presentation>${material(text)}<response_str ident="${response}" rcardinality="Single"><render_fib/></response_str></presentation>`);
			lines.push('<resprocessing><outcomes><decvar varname="SCORE" vartype="Decimal" minvalue="0" maxvalue="100"/></outcomes>');
			for (const answer of question.answers.filter(candidate => candidate.fraction > 0)) {
				lines.push(`<respcondition continue="No"><conditionvar><varequal respident="${response}" case="No">${escapeXml(answer.text)}</varequal></conditionvar>`
					+ `<setvar action="Set" varname="SCORE">${score(answer.fraction)}</setvar></respcondition>`);
			}
			lines.push('</resprocessing>');
			break;
		default: // essay
			lines.push(`<itemmetadata><qtimetadata>${field('cc_profile', 'cc.essay.v0p1')}${field('cc_weighting', String(question.defaultmark))}</qtimetadata></itemmetadata>`);
			lines.push(`<presentation>${material(text)}<response_str ident="${response}" rcardinality="Single"><render_fib/></response_str></presentation>`);
	}
	return `<item ident="Q_${question.id}" title="${escapeXml(question.name)}">${lines.join('')}</item>`;
}

/**
 * A quiz as a QTI 1.2 assessment (cc_converter_quiz): max attempts, time limit in minutes, the description,
 * and its questions of the supported types; other question types are left out with a warning.
 */
export async function convertQuiz(
	root: string, activity: Moodle2Activity, questions: ReadonlyMap<number, QuizQuestion>, files: readonly Moodle2File[],
	cartridge: Cartridge, warnings: Notice[],
): Promise<CartridgeItem> {
	const itemId = `I_M${activity.cmid}`;
	const resourceId = `${itemId}_R`;
	const title = activity.data['name'] ?? activity.title;
	const dependencies = new Set<string>();
	const rewrite = (html: string, areaFiles: readonly Moodle2File[]) => {
		const rewritten = rewritePluginfileLinks(html, areaFiles, cartridge, FILEBASE);
		for (const dependency of rewritten.dependencies) dependencies.add(dependency);
		return rewritten.html;
	};
	const items: string[] = [];
	for (const entryId of await readQuizSlots(root, activity.directory)) {
		const question = questions.get(entryId);
		if (!question) continue;
		if (!(SUPPORTED_QUESTION_TYPES as readonly string[]).includes(question.qtype)) {
			warnings.push(notice('cartridgeQuestionLeftOut', {cmid: activity.cmid, title: activity.title, question: question.name, qtype: question.qtype}));
			continue;
		}
		const questionFiles = files.filter(file => file.component === 'question' && file.filearea === 'questiontext' && file.itemid === question.id && file.filename !== '.');
		items.push(qtiItem(question, rewrite(question.questiontext, questionFiles)));
	}
	const introFiles = files.filter(file => file.contextId === activity.contextId && file.component === 'mod_quiz' && file.filearea === 'intro' && file.filename !== '.');
	const intro = rewrite(activity.data['intro'] ?? '', introFiles);
	const timelimit = Math.floor(Number(activity.data['timelimit'] ?? 0) / 60);
	const metadata = [
		field('cc_profile', 'cc.exam.v0p1'),
		field('qmd_assessmenttype', 'Examination'),
		field('qmd_scoretype', 'Percentage'),
		field('cc_maxattempts', maxAttempts(Number(activity.data['attempts_number'] ?? 0))),
		...(timelimit > 0 ? [field('qmd_timelimit', String(timelimit))] : []),
	];
	const location = `i_m${activity.cmid}/assessment.xml`;
	cartridge.addText(location, [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
			+ ' xsi:schemaLocation="http://www.imsglobal.org/xsd/ims_qtiasiv1p2 http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd">',
		`<assessment ident="QDB_${activity.cmid}" title="${escapeXml(title)}">`,
		`<qtimetadata>${metadata.join('')}</qtimetadata>`,
		`<rubric>${material(intro)}</rubric>`,
		`<section ident="S_${activity.cmid}">`,
		...items,
		'</section>',
		'</assessment>',
		'</questestinterop>',
		'',
	].join('\n'));
	cartridge.addResource({identifier: resourceId, type: QTI_ASSESSMENT_TYPE, files: [location], dependencies: [...dependencies]});
	return {identifier: itemId, title, identifierref: resourceId, children: []};
}
