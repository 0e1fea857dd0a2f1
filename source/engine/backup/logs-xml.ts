import type {TaskRefs} from './annotations.js';
import type {BackupJob} from './job.js';
import {numberOf, writeFields, writeXmlFile, xmlValue} from './xml-file.js';

const LOG_FIELDS = [
	'eventname', 'component', 'action', 'target', 'objecttable', 'objectid', 'crud', 'edulevel', 'contextid',
	'contextlevel', 'contextinstanceid', 'userid', 'courseid', 'relateduserid', 'anonymous', 'other', 'timecreated',
	'ip', 'realuserid',
];

/**
 * <base>/logs.xml (legacy log, empty in 4.1) and <base>/logstores.xml (the standard log store rows of the
 * context). Anonymized backups never carry IP addresses.
 */
export async function writeLogsXml(job: BackupJob, refs: TaskRefs, base: string, contextId: number, contextLevel: number): Promise<void> {
	await writeXmlFile(job.root, `${base}/logs.xml`, job.encodeText, writer => {
		writer.startTag('logs');
		writer.endTag('logs');
	});
	await writeXmlFile(job.root, `${base}/logstores.xml`, job.encodeText, async writer => {
		writer.startTag('logstores');
		writer.startTag('logstore');
		writer.startTag('subplugin_logstore_standard_logstore');
		writer.startTag('logstore_standard_log');
		const rows = job.db.each('SELECT * FROM {logstore_standard_log} WHERE contextid = ? AND contextlevel = ? ORDER BY id', [contextId, contextLevel]);
		try {
			for await (const row of rows) {
				refs.add('user', numberOf(row['userid']));
				refs.add('user', numberOf(row['relateduserid']));
				refs.add('user', numberOf(row['realuserid']));
				const written = job.anonymize && 'ip' in row ? {...row, ip: ''} : row;
				writer.startTag('log', {id: xmlValue(row['id']) as number});
				writeFields(writer, written, LOG_FIELDS);
				writer.endTag('log');
				await writer.flush();
			}
		} catch (error) {
			if (!/no such table|does not exist/i.test(String(error))) throw error;
		}
		writer.endTag('logstore_standard_log');
		writer.endTag('subplugin_logstore_standard_logstore');
		writer.endTag('logstore');
		writer.endTag('logstores');
	});
}

/** course/loglastaccess.xml: each user's last access to the course (user_lastaccess), written with the logs. */
export async function writeLastAccessXml(job: BackupJob, refs: TaskRefs): Promise<void> {
	await writeXmlFile(job.root, 'course/loglastaccess.xml', job.encodeText, async writer => {
		writer.startTag('lastaccesses');
		for await (const row of job.db.each('SELECT * FROM {user_lastaccess} WHERE courseid = ? ORDER BY id', [job.courseId])) {
			refs.add('user', numberOf(row['userid']));
			writer.startTag('lastaccess', {id: xmlValue(row['id']) as number});
			writeFields(writer, row, ['userid', 'timeaccess']);
			writer.endTag('lastaccess');
			await writer.flush();
		}
		writer.endTag('lastaccesses');
	});
}
