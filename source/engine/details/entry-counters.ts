import type {XmlRecord} from '../xml/read-xml-records.js';
import type {BackupCounts} from './types.js';

export type SectionFile = {id: number; number: number | null; name: string | null; visible: boolean | null; sequence: number[]};

/** Small XML entries the details need, with the element paths read from each and what is counted. */
export type EntryReader =
	| {paths: readonly string[]; onRecord: (record: XmlRecord) => void}
	/** Only a count of one element is needed: scanned, not parsed (see count-elements.ts). */
	| {countTag: string; onCount: (count: number) => void};

export type Tally = Pick<
	BackupCounts,
	'users' | 'usersXml' | 'files' | 'fileBytes' | 'blobs' | 'blobBytes' | 'questionCategories' | 'questions' | 'groups' | 'groupings' | 'groupMembers' | 'enrolMethods' | 'userEnrolments'
> & {sectionFiles: Map<number, SectionFile>};

export function emptyTally(): Tally {
	return {
		users: 0,
		usersXml: false,
		files: 0,
		fileBytes: 0,
		blobs: 0,
		blobBytes: 0,
		questionCategories: 0,
		questions: 0,
		groups: 0,
		groupings: 0,
		groupMembers: 0,
		enrolMethods: {},
		userEnrolments: 0,
		sectionFiles: new Map(),
	};
}

const QUESTION = '/question_categories/question_category/question_bank_entries/question_bank_entry/question_version/question_versions/questions/question';

function integer(value: string | null | undefined): number {
	const parsed = Number(value ?? '');
	return Number.isFinite(parsed) ? parsed : 0;
}

/** The reader for an entry path, or undefined when the details need nothing from that entry. */
export function entryReader(path: string, tally: Tally): EntryReader | undefined {
	switch (path) {
		case 'users.xml':
			tally.usersXml = true;
			return {countTag: 'user', onCount: (count) => void (tally.users = count)};
		case 'files.xml':
			return {
				paths: ['/files/file'],
				onRecord: (record) => {
					if (record.data.filename === '.') return;
					tally.files++;
					tally.fileBytes += integer(record.data.filesize);
				},
			};
		case 'questions.xml':
			return {
				paths: ['/question_categories/question_category', QUESTION],
				onRecord: (record) => {
					if (record.path === QUESTION) tally.questions++;
					else tally.questionCategories++;
				},
			};
		case 'groups.xml':
			return {
				paths: ['/groups/group', '/groups/group/group_members/group_member', '/groups/groupings/grouping'],
				onRecord: (record) => {
					if (record.name === 'group') tally.groups++;
					else if (record.name === 'group_member') tally.groupMembers++;
					else tally.groupings++;
				},
			};
		case 'course/enrolments.xml':
			return {
				paths: ['/enrolments/enrols/enrol', '/enrolments/enrols/enrol/user_enrolments/enrolment'],
				onRecord: (record) => {
					if (record.name === 'enrolment') {
						tally.userEnrolments++;
						return;
					}
					const method = record.data.enrol ?? 'unknown';
					tally.enrolMethods[method] = (tally.enrolMethods[method] ?? 0) + 1;
				},
			};
		default:
			break;
	}
	if (/^sections\/section_\d+\/section\.xml$/.test(path)) {
		return {
			paths: ['/section'],
			onRecord: (record) => {
				const id = integer(record.attrs.id);
				const number = record.data.number;
				const visible = record.data.visible;
				tally.sectionFiles.set(id, {
					id,
					number: number === undefined || number === null ? null : integer(number),
					name: record.data.name ?? null,
					visible: visible === undefined || visible === null ? null : visible === '1',
					sequence: (record.data.sequence ?? '').split(',').filter((cmid) => cmid !== '').map(Number),
				});
			},
		};
	}
	return undefined;
}
