import type {FileRequest} from '../../plugins/restore-elements.js';
import {restoreFiles} from '../../plugins/restore-files.js';
import {EMPTY_SHA1} from '../../store/file-pool.js';
import {count, type RestoreRun} from '../run-context.js';
import {records, type BackupXml} from '../xml-input.js';
import {activityContext} from './activities-step.js';

/** Content hashes files.xml references (the bodies to stage from the archive). */
export async function wantedBlobs(backup: BackupXml): Promise<Set<string>> {
	const wanted = new Set<string>();
	for await (const record of records(backup, 'files.xml', ['/files/file'])) {
		const hash = record.data['contenthash'];
		if (hash && hash !== EMPTY_SHA1 && record.data['filename'] !== '.') wanted.add(hash);
	}
	return wanted;
}

function mapped(run: RestoreRun, itemname: string, component: string, filearea: string): FileRequest[] {
	const requests: FileRequest[] = [];
	for (const [oldItemid, entry] of run.ids.entries(itemname)) {
		if (entry.newId) requests.push({component, filearea, oldItemid, newItemid: entry.newId});
	}
	return requests;
}

/**
 * The course-level file areas (restore_course_structure_step, sections, groups, badges, blocks): course summary
 * and overview files, section files (itemid = section), group and grouping files, badge images. Activity files
 * are restored with their activity.
 */
export async function restoreCourseFiles(run: RestoreRun): Promise<void> {
	const context = activityContext(run, 0, {});
	const oldCourseContext = run.info.originalCourseContextId;
	const requests: FileRequest[] = [...mapped(run, 'course_section', 'course', 'section')];
	if (run.review.settings['overwrite_conf'] === true || run.review.destination.target === 'new') {
		requests.push({component: 'course', filearea: 'summary', oldItemid: 0, newItemid: 0}, {component: 'course', filearea: 'overviewfiles', oldItemid: 0, newItemid: 0});
	}
	requests.push(...mapped(run, 'group', 'group', 'description'), ...mapped(run, 'group', 'group', 'icon'), ...mapped(run, 'grouping', 'grouping', 'description'));
	requests.push(...mapped(run, 'badge', 'badges', 'badgeimage'));
	let restored = await restoreFiles(context, oldCourseContext, run.courseContextId, requests);
	for (const [oldContext, entry] of run.ids.entries('context')) {
		// Block contents (html block images …) live in the block's own context.
		if (!run.ids.has('block_context', oldContext) || !entry.newId) continue;
		restored += await restoreFiles(context, oldContext, entry.newId, [{component: 'block_html', filearea: 'content', oldItemid: 0, newItemid: 0}]);
	}
	count(run, 'courseFiles', restored);
}

/** Files of the course and everything in it (sections, activities, blocks), directories not counted. */
export async function countCourseFiles(run: RestoreRun): Promise<number> {
	const total = await run.db.get<{n: number}>(
		`SELECT COUNT(*) AS n FROM {files} WHERE filename <> '.' AND contextid IN (SELECT id FROM {context} WHERE id = ? OR path LIKE ?)`,
		[run.courseContextId, `%/${run.courseContextId}/%`]);
	return Number(total?.n ?? 0);
}
