import type {Db} from '../store/db.js';
import type {XmlWriter} from '../xml/xml-writer.js';
import {numberOf} from './xml-file.js';

/** The cross-cutting item types an inforef.xml can list, in Moodle's order (backup_helper::get_inforef_itemnames). */
export const INFOREF_ITEMS = ['user', 'grouping', 'group', 'role', 'file', 'scale', 'outcome', 'grade_item', 'question_category'] as const;
export type InforefItem = typeof INFOREF_ITEMS[number];

/** The ids one task (course, section, activity, block) referenced: its inforef.xml. */
export class TaskRefs {
	private readonly sets = new Map<InforefItem, Set<number>>();

	constructor(private readonly all: Annotations) {}

	add(item: InforefItem, id: number | null | undefined): void {
		if (id === null || id === undefined || !Number.isFinite(id) || id <= 0) return;
		let set = this.sets.get(item);
		if (!set) {
			set = new Set();
			this.sets.set(item, set);
		}
		set.add(id);
		this.all.add(item, id);
	}

	ids(item: InforefItem): number[] {
		return [...(this.sets.get(item) ?? [])].sort((a, b) => a - b);
	}

	/**
	 * Annotates the files of one file area (all items when itemId is null), as Moodle's annotate_files does.
	 * Directory rows ('.') are included: Moodle lists them in files.xml too.
	 */
	async addFiles(db: Db, contextId: number, component: string, fileArea: string, itemId: number | null): Promise<void> {
		const sql = itemId === null
			? 'SELECT id FROM {files} WHERE contextid = ? AND component = ? AND filearea = ?'
			: 'SELECT id FROM {files} WHERE contextid = ? AND component = ? AND filearea = ? AND itemid = ?';
		const params = itemId === null ? [contextId, component, fileArea] : [contextId, component, fileArea, itemId];
		for await (const row of db.each<{id: number}>(sql, params)) this.add('file', numberOf(row.id));
	}

	/** inforef.xml: one wrapper per item type that has ids; `<inforef>\n</inforef>` when empty. */
	write(writer: XmlWriter): void {
		writer.startTag('inforef');
		for (const item of INFOREF_ITEMS) {
			const ids = this.ids(item);
			if (ids.length === 0) continue;
			writer.startTag(`${item}ref`);
			for (const id of ids) {
				writer.startTag(item);
				writer.fullTag('id', id);
				writer.endTag(item);
			}
			writer.endTag(`${item}ref`);
		}
		writer.endTag('inforef');
	}
}

/** Everything annotated by any task: what the final task writes (users.xml, roles.xml, files.xml ...). */
export class Annotations {
	private readonly sets = new Map<InforefItem, Set<number>>();

	task(): TaskRefs {
		return new TaskRefs(this);
	}

	add(item: InforefItem, id: number): void {
		let set = this.sets.get(item);
		if (!set) {
			set = new Set();
			this.sets.set(item, set);
		}
		set.add(id);
	}

	ids(item: InforefItem): number[] {
		return [...(this.sets.get(item) ?? [])].sort((a, b) => a - b);
	}

	has(item: InforefItem, id: number): boolean {
		return this.sets.get(item)?.has(id) ?? false;
	}

	count(item: InforefItem): number {
		return this.sets.get(item)?.size ?? 0;
	}
}
