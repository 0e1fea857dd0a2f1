import {Writable} from 'node:stream';
import {XmlWriter} from '../../source/engine/xml/xml-writer.js';

/** The XML documents of the synthetic backup, rendered in memory by the product's own Moodle serialiser. */
export class XmlDocuments {
	readonly documents = new Map<string, Buffer>();

	async write(path: string, build: (writer: XmlWriter) => Promise<void> | void): Promise<void> {
		const chunks: Buffer[] = [];
		const sink = new Writable({
			write(chunk: Buffer, _encoding, callback) {
				chunks.push(chunk);
				callback();
			},
		});
		const writer = new XmlWriter(sink);
		await build(writer);
		await writer.end();
		this.documents.set(path, Buffer.concat(chunks));
	}
}

/** A tree of empty wrapper elements, as Moodle writes files that have no records (`<events>\n</events>`). */
export type Shape = string | [string, ...Shape[]];

export function writeShape(writer: XmlWriter, shape: Shape): void {
	const [name, ...children] = typeof shape === 'string' ? [shape] : shape;
	writer.startTag(name);
	for (const child of children) writeShape(writer, child);
	writer.endTag(name);
}

export function leaves(writer: XmlWriter, values: Record<string, string | number | null>): void {
	for (const [name, value] of Object.entries(values)) writer.fullTag(name, value);
}

/** The per-activity files every activity directory has, empty as in a backup without user data for them. */
export const ACTIVITY_SHAPES: Record<string, Shape> = {
	'calendar.xml': 'events',
	'comments.xml': 'comments',
	'competencies.xml': ['course_module_competencies', 'competencies'],
	'completion.xml': ['completions', 'completionviews'],
	'filters.xml': ['filters', 'filter_actives', 'filter_configs'],
	'grade_history.xml': ['grade_history', 'grade_grades'],
	'grades.xml': ['activity_gradebook', 'grade_items', 'grade_letters'],
	'roles.xml': ['roles', 'role_overrides', 'role_assignments'],
};

export const ROOT_SHAPES: Record<string, Shape> = {
	'badges.xml': 'badges',
	'completion.xml': 'course_completion',
	'grade_history.xml': ['grade_history', 'grade_grades'],
	'groups.xml': ['groups', 'groupings'],
	'outcomes.xml': 'outcomes_definition',
	'questions.xml': 'question_categories',
	'scales.xml': 'scales_definition',
	'course/calendar.xml': 'events',
	'course/comments.xml': 'comments',
	'course/competencies.xml': ['course_competencies', 'competencies', 'user_competencies'],
	'course/completiondefaults.xml': 'course_completion_defaults',
	'course/contentbank.xml': 'contents',
	'course/filters.xml': ['filters', 'filter_actives', 'filter_configs'],
};
