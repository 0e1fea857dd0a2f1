import {stat} from 'node:fs/promises';
import type {BackupJob} from '../job.js';
import {storeBackup} from '../store-backup.js';
import type {BackupRequest, BackupResult} from '../types.js';
import {Cartridge, type CartridgeItem} from './cartridge.js';
import {convertActivity} from './convert-activity.js';
import {convertQuiz} from './convert-quiz.js';
import {readQuestionsByEntry, type QuizQuestion} from './read-questions.js';
import {readMoodle2Backup} from './read-moodle2.js';
import {zipCartridge} from './zip-cartridge.js';
import {notice, type Notice} from '../../notices.js';

/** The cartridge's name: the backup's name with `.imscc` (imscc11_store_backup_file). */
export function cartridgeName(filename: string): string {
	return filename.replace(/\.(mbz|imscc)$/i, '') + '.imscc';
}

/** Wraps an item in one untitled item per indent level (cc_convert_moodle2). */
function indented(item: CartridgeItem, indent: number, cmid: number): CartridgeItem {
	let wrapped = item;
	for (let level = indent; level > 0; level--) wrapped = {identifier: `I_M${cmid}_L${level}`, children: [wrapped]};
	return wrapped;
}

/** Builds the cartridge of a finished moodle2 backup directory; warnings name what was left out. */
export async function buildCartridge(root: string, warnings: Notice[]): Promise<{cartridge: Cartridge; manifest: string; sections: number; activities: number}> {
	const backup = await readMoodle2Backup(root);
	const cartridge = new Cartridge(root);
	const placed = new Set<number>();
	let questions: Map<number, QuizQuestion> | undefined;
	let converted = 0;
	for (const section of backup.sections) {
		const sectionItem: CartridgeItem = {identifier: `I_S${section.id}`, title: section.title, children: []};
		// Activities in the section's sequence order; ones missing from the sequence come last, in backup order.
		const order = [...section.sequence, ...[...backup.activities.values()].filter(activity => activity.sectionId === section.id).map(activity => activity.cmid)];
		for (const cmid of order) {
			const activity = backup.activities.get(cmid);
			if (!activity || placed.has(cmid) || activity.sectionId !== section.id) continue;
			placed.add(cmid);
			let item;
			if (activity.modname === 'quiz') {
				questions ??= await readQuestionsByEntry(root);
				item = await convertQuiz(root, activity, questions, backup.files, cartridge, warnings);
			} else item = convertActivity(activity, backup.files, cartridge);
			if (!item) {
				warnings.push(notice('cartridgeActivityLeftOut', {type: activity.modname, cmid, title: activity.title}));
				continue;
			}
			sectionItem.children.push(indented(item, activity.indent, cmid));
			converted++;
		}
		cartridge.items.push(sectionItem);
	}
	return {cartridge, manifest: cartridge.manifest(backup.course), sections: backup.sections.length, activities: converted};
}

/**
 * The `imscc11` ending of a course backup: the finished moodle2 directory converted into a Common Cartridge 1.1
 * zip, stored like a backup (private backup area unless written to a directory), instead of the .mbz.
 */
export async function exportCommonCartridge(job: BackupJob, request: BackupRequest, counts: Omit<BackupResult['counts'], 'entries'>): Promise<BackupResult> {
	const filename = cartridgeName(job.filename);
	job.progress({stage: 'archive', item: filename, done: 0, total: 1});
	const {cartridge, manifest, sections, activities} = await buildCartridge(job.root, job.warnings);
	const destination: BackupRequest['destination'] = 'dir' in request.destination ? request.destination : {area: 'user'};
	const stored = await storeBackup({...job, filename}, {...request, destination}, outFile => zipCartridge(outFile, manifest, cartridge.entries));
	job.progress({stage: 'archive', item: filename, done: 1, total: 1});
	// What the cartridge holds, not what the moodle2 backup it was converted from held (no users, groups or roles).
	const bodies = cartridge.entries.flatMap(entry => ('source' in entry ? [entry.source] : []));
	const sizes = await Promise.all(bodies.map(async source => (await stat(source)).size));
	const held = {
		...counts, sections, activities, users: 0, groups: 0, roles: 0,
		files: bodies.length, fileBytes: sizes.reduce((sum, size) => sum + size, 0),
	};
	return {...stored, filename, counts: {...held, entries: new Set(cartridge.entries.map(entry => entry.path)).size + 1}, warnings: job.warnings};
}
