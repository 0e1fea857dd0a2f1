import type {Row} from '../store/db.js';
import {CONTEXT_BLOCK, contextId, type BackupJob} from './job.js';
import {writeCommentsXml, writeContextRolesXml} from './course-xml.js';
import {numberOf, writeFields, writeXmlFile, xmlValue} from './xml-file.js';
import {notice} from '../notices.js';

/**
 * The blocks living in one context (course or activity): <base>/blocks/<block>_<id>/block.xml, roles.xml,
 * inforef.xml and comments.xml (backup_block_task).
 */
export async function writeBlockTasks(job: BackupJob, parentContextId: number, base: string): Promise<number> {
	const blocks = await job.db.all('SELECT * FROM {block_instances} WHERE parentcontextid = ? ORDER BY id', [parentContextId]);
	for (const block of blocks) await writeBlockTask(job, block, base);
	return blocks.length;
}

async function writeBlockTask(job: BackupJob, block: Row, base: string): Promise<void> {
	const blockId = numberOf(block['id']);
	const blockName = String(xmlValue(block['blockname']));
	const blockContextId = await contextId(job.db, CONTEXT_BLOCK, blockId);
	if (blockContextId === undefined) {
		job.warnings.push(notice('blockWithoutContext', {block: blockName, id: blockId}));
		return;
	}
	const directory = `${base}/blocks/${blockName}_${blockId}`;
	const refs = job.annotations.task();
	const version = await job.db.get('SELECT value FROM {config_plugins} WHERE plugin = ? AND name = ?', [`block_${blockName}`, 'version']).catch(() => undefined);
	const positions = await job.db.all('SELECT * FROM {block_positions} WHERE blockinstanceid = ? ORDER BY id', [blockId]);
	await refs.addFiles(job.db, blockContextId, `block_${blockName}`, 'content', null);
	await writeXmlFile(job.root, `${directory}/block.xml`, job.encodeText, writer => {
		writer.startTag('block', {id: blockId, contextid: blockContextId, version: version ? (xmlValue(version['value']) as string) : '2022112800'});
		writeFields(writer, block, [
			'blockname', 'parentcontextid', 'showinsubcontexts', 'pagetypepattern', 'subpagepattern', 'defaultregion',
			'defaultweight', 'configdata', 'timecreated', 'timemodified',
		]);
		writer.startTag('block_positions');
		for (const position of positions) {
			writer.startTag('block_position', {id: xmlValue(position['id']) as number});
			writeFields(writer, position, ['contextid', 'pagetype', 'subpage', 'visible', 'region', 'weight']);
			writer.endTag('block_position');
		}
		writer.endTag('block_positions');
		writer.endTag('block');
	});
	await writeContextRolesXml(job, refs, `${directory}/roles.xml`, blockContextId);
	if (job.settings.on('comments') && job.users) await writeCommentsXml(job, refs, `${directory}/comments.xml`, blockContextId);
	await writeXmlFile(job.root, `${directory}/inforef.xml`, job.encodeText, writer => refs.write(writer));
}
