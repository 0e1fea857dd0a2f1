/**
 * The question bank (questions.xml): categories -> question bank entries -> versions (`question_version/
 * question_versions`, Moodle's inverted wrapper naming) -> questions, with each question type's own data in a
 * `plugin_qtype_<type>_question` group written only for questions of that type. Types covered: truefalse,
 * multichoice, shortanswer, numerical, essay, match. Restore runs before the activities (quizzes point at the
 * entries and questions through the id map).
 */
import {createWriteStream} from 'node:fs';
import path from 'node:path';
import type {SqlValue} from '../store/db.js';
import {completeRow} from '../store/schema/rows.js';
import {XmlWriter} from '../xml/xml-writer.js';
import {writeChildren, type BackupScope} from './backup-elements.js';
import {ownTagsElement} from './common-elements.js';
import {restoreDocument, type FileRequest} from './restore-elements.js';
import {restoreFiles} from './restore-files.js';
import {recordRestoredRow, restoreCache} from './restored-rows.js';
import {ExistingRow, type AnnotationKind, type BackupActivityContext, type ChildSpec, type ElementSpec, type GroupSpec, type RestoreActivityContext, type RowScope} from './types.js';
import {readXmlFile} from '../xml/read-xml-records.js';

const feedbackFields = ['correctfeedback', 'correctfeedbackformat', 'partiallycorrectfeedback', 'partiallycorrectfeedbackformat', 'incorrectfeedback', 'incorrectfeedbackformat'];

const answers: ElementSpec = {
	name: 'answer',
	wrapper: 'answers',
	table: 'question_answers',
	itemname: 'question_answer',
	link: {column: 'question'},
	fields: [{xml: 'answertext', column: 'answer'}, 'answerformat', 'fraction', 'feedback', 'feedbackformat'],
	files: [
		{component: 'question', filearea: 'answer', itemid: 'id'},
		{component: 'question', filearea: 'answerfeedback', itemid: 'id'},
	],
};

function qtype(name: string, children: readonly ChildSpec[]): GroupSpec {
	return {group: `plugin_qtype_${name}_question`, children, when: row => row.qtype === name};
}

function options(name: string, table: string, fields: string[], link = 'questionid'): ElementSpec {
	return {name, table, itemname: table, link: {column: link}, fields};
}

const QTYPES: readonly GroupSpec[] = [
	qtype('essay', [options('essay', 'qtype_essay_options', ['responseformat', 'responserequired', 'responsefieldlines', 'minwordlimit', 'maxwordlimit', 'attachments', 'attachmentsrequired', 'graderinfo', 'graderinfoformat', 'responsetemplate', 'responsetemplateformat', 'maxbytes', 'filetypeslist'])]),
	qtype('match', [
		options('matchoptions', 'qtype_match_options', ['shuffleanswers', ...feedbackFields, 'shownumcorrect']),
		{name: 'match', wrapper: 'matches', table: 'qtype_match_subquestions', itemname: 'qtype_match_subquestions', link: {column: 'questionid'}, fields: ['questiontext', 'questiontextformat', 'answertext'], files: [{component: 'qtype_match', filearea: 'subquestion', itemid: 'id'}]},
	]),
	qtype('multichoice', [answers, options('multichoice', 'qtype_multichoice_options', ['layout', 'single', 'shuffleanswers', ...feedbackFields, 'answernumbering', 'shownumcorrect', 'showstandardinstruction'])]),
	qtype('numerical', [
		answers,
		{name: 'numerical_unit', wrapper: 'numerical_units', table: 'question_numerical_units', link: {column: 'question'}, fields: ['multiplier', 'unit']},
		{name: 'numerical_option', wrapper: 'numerical_options', table: 'question_numerical_options', link: {column: 'question'}, fields: ['showunits', 'unitsleft', 'unitgradingtype', 'unitpenalty']},
		{name: 'numerical_record', wrapper: 'numerical_records', table: 'question_numerical', link: {column: 'question'}, fields: ['answer', 'tolerance'], foreignKeys: {answer: {item: 'question_answer'}}},
	]),
	qtype('shortanswer', [answers, options('shortanswer', 'qtype_shortanswer_options', ['usecase'])]),
	qtype('truefalse', [answers, {...options('truefalse', 'question_truefalse', ['trueanswer', 'falseanswer', 'showstandardinstruction'], 'question'), foreignKeys: {trueanswer: {item: 'question_answer'}, falseanswer: {item: 'question_answer'}}}]),
];

type CategoryContext = {oldContext: number; newContext: number; waitsForModule: boolean};

/**
 * Categories live in a context of the backup: a course category goes to the target course. A module's own
 * category is kept in the course until its module is restored (the bank comes first), then moved there.
 */
function resolveCategory(onContext: (context: CategoryContext) => void) {
	return async (row: Record<string, SqlValue>, scope: RowScope, data: Readonly<Record<string, string | null>>): Promise<Record<string, SqlValue> | ExistingRow> => {
		const oldContext = Number(data.contextid);
		const moduleContext = Number(row.contextlevel) === 70 ? scope.idMap.get('context', oldContext) : undefined;
		const newContext = moduleContext ?? scope.contextId;
		const waitsForModule = Number(row.contextlevel) === 70 && moduleContext === undefined;
		onContext({oldContext, newContext, waitsForModule});
		// Moodle's precheck of question banks: a category with the same stamp already in the target context (a
		// backup merged into the course it came from) is that category: mapped, not created again.
		if (!waitsForModule && row.stamp) {
			const existing = await scope.db.get<{id: number}>('SELECT id FROM {question_categories} WHERE contextid = ? AND stamp = ?', [newContext, row.stamp]);
			if (existing) return new ExistingRow(Number(existing.id), true);
		}
		return {...row, contextid: newContext};
	};
}

/** Per bank entry of questions.xml (old id): its versions' numbers and their questions' stamps. */
export type BankEntryVersions = Map<number, Array<{version: number; stamp: string}>>;

const ENTRY_PATH = '/question_categories/question_category/question_bank_entries/question_bank_entry';
const VERSION_PATH = `${ENTRY_PATH}/question_version/question_versions`;
const QUESTION_PATH = `${VERSION_PATH}/questions/question`;

/** Reads questions.xml once for what matching needs before the rows that carry it come (an entry precedes its questions). */
async function readBankEntryVersions(file: string, xmlPath: string): Promise<BankEntryVersions> {
	const entries: BankEntryVersions = new Map();
	let entry = 0;
	let version = 0;
	for await (const record of readXmlFile(xmlPath, {file, entry: 'questions.xml', paths: [ENTRY_PATH, VERSION_PATH, QUESTION_PATH]})) {
		if (record.path === ENTRY_PATH) entry = Number(record.attrs.id);
		else if (record.path === VERSION_PATH) version = Number(record.data.version ?? 0);
		else if (record.data.stamp) {
			const list = entries.get(entry) ?? [];
			list.push({version, stamp: record.data.stamp});
			entries.set(entry, list);
		}
	}
	return entries;
}

/**
 * Under a category mapped to an existing one, Moodle maps the questions it already holds (same stamp and
 * version) instead of adding copies: the bank entry holding a question with one of the entry's stamps, its
 * version with the same number and stamp, and that question (whose answers, hints... are then the site's).
 */
type MatchingHooks = Record<'entry' | 'version' | 'question', NonNullable<ElementSpec['existing']>>;

function matchingHooks(versionsOf: () => Promise<BankEntryVersions>): MatchingHooks {
	let entryVersions: Array<{version: number; stamp: string}> = [];
	const entry: MatchingHooks['entry'] = async (_row, scope, parent, oldId) => {
		entryVersions = (await versionsOf()).get(oldId ?? 0) ?? [];
		for (const {stamp} of entryVersions) {
			const found = await scope.db.get<{id: number}>(`SELECT e.id FROM {question_bank_entries} e JOIN {question_versions} v ON v.questionbankentryid = e.id
				JOIN {question} q ON q.id = v.questionid WHERE e.questioncategoryid = ? AND q.stamp = ? ORDER BY e.id`, [parent.id ?? null, stamp]);
			if (found) return new ExistingRow(Number(found.id), true);
		}
		return undefined;
	};
	// Consulted only under an entry matched just before (entries precede their versions).
	const version: MatchingHooks['version'] = async (row, scope, parent) => {
		const stamp = entryVersions.find(item => item.version === Number(row.version))?.stamp;
		if (stamp === undefined) return undefined;
		const found = await scope.db.get<{id: number}>(`SELECT v.id FROM {question_versions} v JOIN {question} q ON q.id = v.questionid
			WHERE v.questionbankentryid = ? AND v.version = ? AND q.stamp = ?`, [parent.id ?? null, row.version ?? null, stamp]);
		return found ? new ExistingRow(Number(found.id), true) : undefined;
	};
	// Its answers, hints and options are the site's: not restored again.
	const question: MatchingHooks['question'] = async (row, scope, parent) => {
		const found = await scope.db.get<{id: number}>('SELECT q.id FROM {question_versions} v JOIN {question} q ON q.id = v.questionid WHERE v.id = ? AND q.stamp = ?', [parent.id ?? null, row.stamp ?? null]);
		return found ? new ExistingRow(Number(found.id), false) : undefined;
	};
	return {entry, version, question};
}

/** Module-level categories restored before their module: moved into it by restoreActivity. */
export type PendingModuleCategories = Map<number, {categoryIds: number[]; files: FileRequest[]}>;

export function pendingModuleCategories(ctx: Pick<RestoreActivityContext, 'cache' | 'idMap'>): PendingModuleCategories {
	const cache = restoreCache(ctx);
	let pending = cache.pendingModuleCategories as PendingModuleCategories | undefined;
	if (!pending) cache.pendingModuleCategories = pending = new Map();
	return pending;
}

/** A question (4.0+: inside its version) with its type's data, hints, comments and tags. */
const questionElement: ElementSpec = {
	name: 'question',
	wrapper: 'questions',
	table: 'question',
	itemname: 'question',
	link: {column: 'id', parentColumn: 'questionid', reverse: true},
	fields: ['parent', 'name', 'questiontext', 'questiontextformat', 'generalfeedback', 'generalfeedbackformat', 'defaultmark', 'penalty', 'qtype', 'length', 'stamp', 'timecreated', 'timemodified', 'createdby', 'modifiedby'],
	foreignKeys: {parent: {item: 'question'}, createdby: 'user', modifiedby: 'user'},
	files: [
		{component: 'question', filearea: 'questiontext', itemid: 'id'},
		{component: 'question', filearea: 'generalfeedback', itemid: 'id'},
		// The question types' own areas are keyed by the question id too.
		...['qtype_multichoice', 'qtype_match'].flatMap(component =>
			['correctfeedback', 'partiallycorrectfeedback', 'incorrectfeedback'].map(filearea => ({component, filearea, itemid: 'id' as const})),
		),
		{component: 'qtype_essay', filearea: 'graderinfo', itemid: 'id'},
	],
	children: [
		...QTYPES,
		{
			group: 'plugin_qbank_comment_question',
			children: [
				{
					name: 'comment',
					wrapper: 'comments',
					table: 'comments',
					itemname: 'qbank_comment',
					link: {column: 'itemid'},
					contextColumn: 'contextid',
					constants: {component: 'qbank_comment', commentarea: 'question'},
					fields: ['component', 'commentarea', 'itemid', 'contextid', 'content', 'format', 'userid', 'timecreated'],
					foreignKeys: {userid: 'user'},
					requiredKeys: ['userid'],
					userData: true,
				},
			],
		},
		// Question custom fields are not modelled: the wrapper is written empty.
		{group: 'plugin_qbank_customfields_question', children: [{name: 'customfield', wrapper: 'customfields', table: 'customfield_data', fields: [], notModelled: true}]},
		{
			name: 'question_hint',
			wrapper: 'question_hints',
			table: 'question_hints',
			itemname: 'question_hint',
			link: {column: 'questionid'},
			fields: ['hint', 'hintformat', 'shownumcorrect', 'clearwrong', 'options'],
			files: [{component: 'question', filearea: 'hint', itemid: 'id'}],
		},
		ownTagsElement({component: 'core_question', itemtype: 'question'}),
	],
};

/**
 * A 3.x question (backups before Moodle 4.0): directly under its category, with `version`/`hidden`/`idnumber`
 * of its own. Restored as a 4.x question with a bank entry and a first version, as Moodle's upgrade does.
 */
const legacyQuestionElement: ElementSpec = {
	...questionElement,
	link: undefined,
	restoreOnly: true,
	fields: [...questionElement.fields, 'version', 'hidden', 'idnumber'],
	// Read from the XML, never stored in `question` (4.x keeps them on the entry and version).
	virtualColumns: {version: '', hidden: '', idnumber: ''},
	async afterInsert(newId, data, category, scope) {
		const entry = await scope.db.insert('question_bank_entries', completeRow('question_bank_entries', {
			questioncategoryid: category.id ?? null,
			idnumber: data.idnumber ?? null,
			ownerid: data.createdby ? (scope.idMap.get('user', Number(data.createdby)) ?? null) : null,
		}));
		await scope.db.insert('question_versions', completeRow('question_versions', {questionbankentryid: entry, questionid: newId, version: 1, status: data.hidden === '1' ? 'hidden' : 'ready'}));
	},
};

function questionCategory(onContext: (context: CategoryContext) => void, matching?: MatchingHooks): ElementSpec {
	return {
		name: 'question_category',
		table: 'question_categories',
		itemname: 'question_category',
		contextColumn: 'contextid',
		fields: ['name', 'contextid', 'contextlevel', 'contextinstanceid', 'info', 'infoformat', 'stamp', 'parent', 'sortorder', 'idnumber'],
		virtualColumns: {
			contextlevel: 'SELECT c.contextlevel FROM {context} c WHERE c.id = t.contextid',
			contextinstanceid: 'SELECT c.instanceid FROM {context} c WHERE c.id = t.contextid',
		},
		foreignKeys: {parent: {item: 'question_category'}},
		resolve: resolveCategory(onContext),
		annotateAs: 'question_category',
		backupOrder: 't.parent, t.id',
		children: [
			legacyQuestionElement,
			{
				name: 'question_bank_entry',
				wrapper: 'question_bank_entries',
				table: 'question_bank_entries',
				itemname: 'question_bank_entry',
				link: {column: 'questioncategoryid'},
				fields: ['questioncategoryid', 'idnumber', 'ownerid'],
				foreignKeys: {ownerid: 'user'},
				...(matching ? {existing: matching.entry} : {}),
				children: [
					{
						name: 'question_versions',
						wrapper: 'question_version',
						table: 'question_versions',
						itemname: 'question_version',
						link: {column: 'questionbankentryid'},
						fields: ['version', 'status'],
						...(matching ? {existing: matching.version} : {}),
						children: [
							matching ? {...questionElement, existing: matching.question} : questionElement,
						],
					},
				],
			},
		],
	};
}

/** Restores questions.xml of the extracted backup into new categories of the target course (or restored modules). */
export async function restoreQuestionBank(ctx: RestoreActivityContext): Promise<{categories: number; questions: number}> {
	const contexts = new Map<number, number>();
	const pending = pendingModuleCategories(ctx);
	let current: CategoryContext | undefined;
	const xmlPath = path.join(ctx.xmlDir, 'questions.xml');
	let entryVersions: Promise<BankEntryVersions> | undefined;
	const category = questionCategory(context => {
		current = context;
		if (!context.waitsForModule) contexts.set(context.oldContext, context.newContext);
	}, matchingHooks(() => (entryVersions ??= readBankEntryVersions(ctx.file, xmlPath))));
	const onRow = (table: string, id: number): void => {
		recordRestoredRow(ctx, table, id);
		if (table !== 'question_categories' || !current?.waitsForModule) return;
		const entry = pending.get(current.oldContext) ?? {categoryIds: [], files: []};
		entry.categoryIds.push(id);
		pending.set(current.oldContext, entry);
	};
	const result = await ctx.db.transaction(async db => {
		const restored = await restoreDocument(
			{db, idMap: ctx.idMap, courseId: ctx.courseId, contextId: ctx.courseContextId, warn: ctx.warn, userinfo: ctx.userinfo, settings: ctx.settings, documentRow: {}, onRow},
			ctx.file,
			xmlPath,
			'questions.xml',
			'/question_categories',
			[category],
		).catch((error: unknown) => {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
			throw error;
		});
		if (!restored) return {categories: 0, questions: 0};
		for (const [oldContext, newContext] of contexts) await restoreFiles({...ctx, db}, oldContext, newContext, restored.files);
		for (const entry of pending.values()) entry.files = restored.files;
		return {categories: restored.counts.get('question_categories') ?? 0, questions: restored.counts.get('question') ?? 0};
	});
	return result;
}

/** Writes questions.xml with every category (and its questions) of the given contexts. */
export async function backupQuestionBank(ctx: Pick<BackupActivityContext, 'db' | 'outDir' | 'encodeLinks' | 'annotate' | 'settings'>, contextIds: readonly number[]): Promise<void> {
	const writer = new XmlWriter(createWriteStream(path.join(ctx.outDir, 'questions.xml')), ctx.encodeLinks ? {encodeText: ctx.encodeLinks} : {});
	writer.startTag('question_categories');
	const category = questionCategory(() => undefined);
	for (const contextId of contextIds) {
		const scope: BackupScope = {db: ctx.db, userinfo: true, settings: ctx.settings, contextId, documentRow: {}, annotate: (kind: AnnotationKind, id: number) => ctx.annotate(kind, id)};
		await writeChildren(scope, writer, [category], {});
	}
	writer.endTag('question_categories');
	await writer.end();
}
