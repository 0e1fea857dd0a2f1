import type {Row} from '../../store/db.js';
import {shiftDate} from '../date-offset.js';
import {buildRow} from '../table-rows.js';
import {count, userId, type RestoreRun} from '../run-context.js';
import {records, intOf} from '../xml-input.js';

const LOG_PATH = '/logstores/logstore/subplugin_logstore_standard_logstore/logstore_standard_log/log';
/** Moodle's \core\event\base::NOT_FOUND: the event's object could not be mapped to a restored row. */
const OBJECT_NOT_FOUND = -31338;
const ROWS_PER_INSERT = 500;

/**
 * The standard log store rows of the course (course/logstores.xml) and of each restored activity
 * (activities/<dir>/logstores.xml), as Moodle's restore_logstores_structure_step does when the `logs` setting is on:
 * a row whose context or user (or related / real user, when set) was not restored is skipped; course, context level
 * and instance come from the restored context; dates follow the date offset. The legacy logs.xml is empty in 4.x.
 * Deliberate difference: the object id is mapped through the id map by its table name only (Moodle asks each
 * event class); an object that cannot be mapped gets Moodle's NOT_FOUND marker.
 */
export async function restoreLogs(run: RestoreRun): Promise<void> {
	if (!run.settings.logs) return;
	const included = run.info.type === 'course' ? ['course/logstores.xml'] : [];
	for (const activity of run.review.activities) {
		if (!activity.included || !activity.userinfo) continue;
		const reference = run.info.activities.find((candidate) => candidate.cmid === activity.cmid);
		if (reference) included.push(`${reference.directory}/logstores.xml`);
	}
	const contexts = new Map<number, {contextlevel: number; instanceid: number} | undefined>();
	let batch: Row[] = [];
	const flush = async (): Promise<void> => {
		if (batch.length === 0) return;
		await run.db.insertMany('logstore_standard_log', batch);
		count(run, 'logs', batch.length);
		batch = [];
	};
	for (const entry of included) {
		run.step('logs', entry, 0, 1);
		for await (const record of records(run.backup, entry, [LOG_PATH])) {
			const data = record.data;
			const contextId = run.ids.get('context', intOf(data['contextid']));
			if (!contextId) continue;
			if (!contexts.has(contextId)) contexts.set(contextId, await run.db.get<{contextlevel: number; instanceid: number}>('SELECT contextlevel, instanceid FROM {context} WHERE id = ?', [contextId]));
			const context = contexts.get(contextId);
			if (!context) continue;
			const mappedUser = userId(run, intOf(data['userid']));
			if (mappedUser === undefined) continue;
			const related = optionalUser(run, data['relateduserid']);
			const real = optionalUser(run, data['realuserid']);
			if (related === undefined || real === undefined) continue;
			const objectid = data['objectid'] === undefined || data['objectid'] === null || data['objectid'] === '' ? null
				: run.ids.get(data['objecttable'] ?? '', intOf(data['objectid'])) ?? OBJECT_NOT_FOUND;
			batch.push(buildRow('logstore_standard_log', {
				...data,
				contextid: contextId, contextlevel: Number(context.contextlevel), contextinstanceid: Number(context.instanceid), courseid: run.courseId,
				userid: mappedUser, relateduserid: related, realuserid: real, objectid,
				other: decodeOther(data['other'] ?? null), timecreated: shiftDate(data['timecreated'], run.dateOffset) ?? 0,
			}));
			if (batch.length >= ROWS_PER_INSERT) await flush();
		}
	}
	await flush();
}

/** null when not set, the mapped id, or undefined when the user was not restored (the row is skipped). */
function optionalUser(run: RestoreRun, value: string | null | undefined): number | null | undefined {
	const id = intOf(value);
	if (id === 0) return null;
	return userId(run, id);
}

/** Moodle writes `other` base64-encoded; backups of this tool carry it as stored. Either way the stored text comes back. */
function decodeOther(value: string | null): string | null {
	if (value === null || value === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return value;
	const decoded = Buffer.from(value, 'base64').toString('utf8');
	return /^(N;|[aisbdO]:|\{|\[|null$|"|-?\d)/.test(decoded) ? decoded : value;
}

/** backup::TARGET_* of the course_restored event: a new course, an existing one emptied first, or merged into. */
const EVENT_TARGET: Record<RestoreRun['review']['destination']['target'], number> = {new: 2, replace: 3, merge: 4};

/**
 * The \core\event\course_restored row Moodle logs when a restore ends (restore_controller::execute_plan()). Besides
 * keeping the site's history true, it is how an automated backup sees that the course changed (a merged activity
 * keeps its original "added" time).
 */
export async function logCourseRestored(run: RestoreRun): Promise<void> {
	await run.db.insert('logstore_standard_log', buildRow('logstore_standard_log', {
		eventname: '\\core\\event\\course_restored', component: 'core', action: 'restored', target: 'course', objecttable: 'course', objectid: run.courseId,
		crud: 'c', edulevel: 0, contextid: run.courseContextId, contextlevel: 50, contextinstanceid: run.courseId, userid: run.adminUserId, courseid: run.courseId,
		relateduserid: null, anonymous: 0, origin: 'cli', ip: null, realuserid: null, timecreated: run.now,
		other: JSON.stringify({
			type: run.info.type, target: EVENT_TARGET[run.review.destination.target], mode: 10, operation: 'restore',
			samesite: run.sameSite, originalcourseid: run.info.originalCourseId,
		}),
	}));
}
