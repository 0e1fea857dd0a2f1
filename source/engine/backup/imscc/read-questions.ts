import fs from 'node:fs';
import path from 'node:path';
import {readXmlFile} from '../../xml/read-xml-records.js';

export type QuizQuestionAnswer = {id: number; text: string; fraction: number};

export type QuizQuestion = {id: number; qtype: string; name: string; questiontext: string; defaultmark: number; answers: QuizQuestionAnswer[]; single: boolean};

const ENTRY = '/question_categories/question_category/question_bank_entries/question_bank_entry';
const VERSION = `${ENTRY}/question_version/question_versions`;
const QUESTION = `${VERSION}/questions/question`;
const ANSWERED_TYPES = ['truefalse', 'multichoice', 'shortanswer'];

/** The questions of questions.xml by question bank entry id, each entry's highest version only. */
export async function readQuestionsByEntry(root: string): Promise<Map<number, QuizQuestion>> {
	const file = path.join(root, 'questions.xml');
	const byEntry = new Map<number, {version: number; question: QuizQuestion}>();
	if (!fs.existsSync(file)) return new Map();
	const paths = [ENTRY, VERSION, QUESTION,
		...ANSWERED_TYPES.map(type => `${QUESTION}/plugin_qtype_${type}_question/answers/answer`),
		`${QUESTION}/plugin_qtype_multichoice_question/multichoice`];
	let entryId = 0;
	let version = 0;
	let current: QuizQuestion | undefined;
	for await (const record of readXmlFile(file, {file: 'questions.xml', entry: 'questions.xml', paths})) {
		if (record.path === ENTRY) entryId = Number(record.attrs['id']);
		else if (record.path === VERSION) version = Number(record.data['version'] ?? 0);
		else if (record.path === QUESTION) {
			current = {
				id: Number(record.attrs['id']), qtype: record.data['qtype'] ?? '', name: record.data['name'] ?? '',
				questiontext: record.data['questiontext'] ?? '', defaultmark: Number(record.data['defaultmark'] ?? 1), answers: [], single: true,
			};
			const known = byEntry.get(entryId);
			if (!known || known.version <= version) byEntry.set(entryId, {version, question: current});
		} else if (current && record.name === 'answer') {
			current.answers.push({id: Number(record.attrs['id']), text: record.data['answertext'] ?? '', fraction: Number(record.data['fraction'] ?? 0)});
		} else if (current && record.name === 'multichoice') {
			current.single = record.data['single'] !== '0';
		}
	}
	return new Map([...byEntry].map(([id, entry]) => [id, entry.question]));
}

/** The slots of a quiz (activities/quiz_N/quiz.xml): question bank entry ids in slot order. */
export async function readQuizSlots(root: string, directory: string): Promise<number[]> {
	const instance = '/activity/quiz/question_instances/question_instance';
	const slots: Array<{slot: number; entry: number}> = [];
	let slot = 0;
	const file = path.join(root, directory, 'quiz.xml');
	for await (const record of readXmlFile(file, {file: `${directory}/quiz.xml`, entry: `${directory}/quiz.xml`, paths: [instance, `${instance}/question_reference`]})) {
		if (record.path === instance) slot = Number(record.data['slot'] ?? 0);
		else slots.push({slot, entry: Number(record.data['questionbankentryid'] ?? 0)});
	}
	return slots.sort((a, b) => a.slot - b.slot).map(item => item.entry);
}
