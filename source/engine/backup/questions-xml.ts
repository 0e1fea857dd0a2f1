import {backupQuestionBank} from '../plugins/index.js';
import type {BackupJob} from './job.js';
import {numberOf, writeXmlFile} from './xml-file.js';
import {forEachChunk} from '../store/in-list.js';

/**
 * questions.xml: the whole question categories of every context the backup uses questions from — the course's
 * own bank, the included activities' banks, and the contexts of categories annotated by question-using
 * activities (backup_calculate_question_categories). Empty root without the question bank.
 */
export async function writeQuestionsXml(job: BackupJob): Promise<number> {
	if (!job.settings.on('questionbank')) {
		await writeXmlFile(job.root, 'questions.xml', job.encodeText, writer => {
			writer.startTag('question_categories');
			writer.endTag('question_categories');
		});
		return 0;
	}
	const contextIds = new Set<number>();
	if (job.type === 'course') contextIds.add(job.courseContextId);
	for (const activity of job.activities) if (activity.included && activity.contextId) contextIds.add(activity.contextId);
	const annotated = job.annotations.ids('question_category');
	await forEachChunk(annotated, async (chunk, list) => {
		const rows = await job.db.all<{contextid: number}>(`SELECT DISTINCT contextid FROM {question_categories} WHERE id IN (${list})`, chunk);
		for (const row of rows) contextIds.add(numberOf(row.contextid));
	});
	const ordered = [...contextIds].sort((a, b) => a - b);
	const refs = job.annotations.task();
	await backupQuestionBank({
		db: job.db,
		outDir: job.root,
		...(job.encodeText ? {encodeLinks: job.encodeText} : {}),
		annotate: (kind, id) => refs.add(kind, id),
		settings: {users: job.users},
	}, ordered);
	return job.annotations.count('question_category');
}
