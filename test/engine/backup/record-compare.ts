/**
 * Record-level comparison of two backups: every element with leaf children becomes a record (path + leaves),
 * numbers are normalised, and the original's records must all be found in ours.
 */
import {Readable} from 'node:stream';
import sax from 'sax';

export type XmlRecordSig = {path: string; data: Record<string, string>; parent?: Record<string, string>};

/** Every element that has leaf children, with those leaves (text), in document order. */
export async function xmlRecords(content: Buffer): Promise<XmlRecordSig[]> {
	const parser = sax.createStream(true);
	const stack: Array<{name: string; leaves: Record<string, string>; hasChildren: boolean; text: string}> = [];
	const records: XmlRecordSig[] = [];
	parser.on('opentag', node => {
		const parent = stack.at(-1);
		if (parent) parent.hasChildren = true;
		stack.push({name: node.name, leaves: {}, hasChildren: false, text: ''});
	});
	parser.on('text', text => {
		const current = stack.at(-1);
		if (current) current.text += text;
	});
	parser.on('closetag', () => {
		const element = stack.pop()!;
		const parent = stack.at(-1);
		// A leaf has text (or none: `<x></x>`); an empty wrapper is written `<x>\n  </x>` and is not a value.
		const emptyWrapper = !element.hasChildren && element.text.includes('\n') && element.text.trim() === '';
		if (!element.hasChildren && !emptyWrapper && parent) parent.leaves[element.name] = element.text;
		if (Object.keys(element.leaves).length > 0) {
			const owner = [...stack].reverse().find(item => Object.keys(item.leaves).length > 0);
			records.push({path: `/${[...stack.map(item => item.name), element.name].join('/')}`, data: element.leaves, ...(owner ? {parent: owner.leaves} : {})});
		}
	});
	await new Promise<void>((resolve, reject) => {
		parser.on('end', resolve);
		parser.on('error', reject);
		Readable.from([content]).pipe(parser);
	});
	return records;
}

/** Numbers (ids, timestamps, `20.00000` vs `20`) become '#'. */
const normalise = (value: string) => value.replace(/\d+(\.\d+)?/g, '#');

/** Fields a restore legitimately rewrites, by record path. */
const IGNORED_FIELDS: Record<string, string[]> = {
	'/course': ['idnumber'], // cleared by the restore into a new course
	'/gradebook/grade_items/grade_item/grade_grades/grade_grade': ['timecreated'], // stamped by the restore
};

/** Records a restore into another site does not carry over, each with its reason. */
export type Tolerance = {entry: RegExp; path: RegExp; when?: (data: Record<string, string>, parent?: Record<string, string>) => boolean; why: string};

export const TOLERATED: Tolerance[] = [
	{entry: /^users\.xml$/, path: /^\/users\/user$/, when: data => data['username'] === 'admin', why: 'the backup\'s admin is restored as admin_<hash> (admin conflict resolution)'},
	{entry: /^course\/course\.xml$/, path: /^\/course\/category$/, why: 'restored into another category'},
	{entry: /^course\/enrolments\.xml$/, path: /^\/enrolments\/enrols\/enrol$/, when: data => data['enrol'] === 'cohort', why: 'cohort sync is dropped on another site (its users become manual enrolments)'},
	{entry: /^course\/enrolments\.xml$/, path: /\/user_enrolments\/enrolment$/, when: (_data, parent) => parent?.['enrol'] === 'cohort', why: 'a cohort enrolment of a user also enrolled manually merges into the manual one'},
	{entry: /^course\/roles\.xml$/, path: /assignment$/, when: data => data['component'] === 'enrol_cohort', why: 'cohort role assignments become manual ones'},
	{entry: /^activities\/assign_[^/]+\/assign\.xml$/, path: /subplugin_assignfeedback_editpdf_grade/, why: 'editpdf feedback data is not modelled by the assign plugin'},
	{entry: /^activities\/[^/]+\/inforef\.xml$/, path: /^\/inforef\/groupref\/group$/, why: 'groups named only in availability conditions are not annotated by the activity plugins'},
];

export function signature(entry: string, record: XmlRecordSig): string {
	const ignored = new Set(IGNORED_FIELDS[record.path] ?? []);
	const data = Object.entries(record.data).filter(([name]) => !ignored.has(name)).sort(([a], [b]) => a.localeCompare(b));
	return `${entry}|${record.path}|${data.map(([name, value]) => `${name}=${normalise(value)}`).join('|')}`;
}

/**
 * The original's records missing from ours (after the tolerated differences), and how many were compared.
 * Section and activity directories are matched by their order in moodle_backup.xml (their names carry ids).
 */
export async function missingRecords(theirs: Map<string, Buffer>, ours: Map<string, Buffer>, extraTolerated: readonly Tolerance[] = []): Promise<{compared: number; missing: string[]; directories: [number, number]}> {
	const directories = async (entries: Map<string, Buffer>) => (await xmlRecords(entries.get('moodle_backup.xml')!))
		.filter(record => /\/contents\/(activities\/activity|sections\/section)$/.test(record.path))
		.map(record => record.data['directory']!);
	const theirDirectories = await directories(theirs);
	const ourDirectories = await directories(ours);
	const renames = new Map(theirDirectories.map((directory, index) => [directory, ourDirectories[index] ?? directory]));
	const entryKind = (entry: string) => entry.replace(/^(sections\/section_\d+|activities\/[a-z]+_\d+)/, prefix => renames.get(prefix) ?? prefix).replace(/blocks\/([a-z_]+)_\d+\//, 'blocks/$1/');
	const ourKind = (entry: string) => entry.replace(/blocks\/([a-z_]+)_\d+\//, 'blocks/$1/');

	const available = new Map<string, number>();
	for (const [entry, content] of ours) {
		if (!entry.endsWith('.xml') || entry === 'moodle_backup.xml') continue;
		for (const record of await xmlRecords(content)) {
			const key = signature(ourKind(entry), record);
			available.set(key, (available.get(key) ?? 0) + 1);
		}
	}
	let compared = 0;
	const missing: string[] = [];
	for (const [entry, content] of theirs) {
		if (!entry.endsWith('.xml') || entry === 'moodle_backup.xml') continue;
		for (const record of await xmlRecords(content)) {
			compared++;
			const key = signature(entryKind(entry), record);
			const left = available.get(key) ?? 0;
			if (left > 0) {
				available.set(key, left - 1);
				continue;
			}
			if ([...TOLERATED, ...extraTolerated].some(rule => rule.entry.test(entry) && rule.path.test(record.path) && (!rule.when || rule.when(record.data, record.parent)))) continue;
			missing.push(`${entry} ${record.path} ${JSON.stringify(record.data).slice(0, 200)}`);
		}
	}
	return {compared, missing, directories: [theirDirectories.length, ourDirectories.length]};
}
