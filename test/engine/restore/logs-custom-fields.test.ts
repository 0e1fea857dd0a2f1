import path from 'node:path';
import test from 'ava';
import {planBackup} from '../../../source/engine/backup/plan-backup.js';
import {runBackup} from '../../../source/engine/backup/run-backup.js';
import type {Site} from '../../../source/engine/store/site.js';
import {count, restore, tempSite} from './restore-helpers.js';

const RESTORED_EVENT = "'\\core\\event\\course_restored'";

type LogRow = {eventname: string; userid: number; contextlevel: number; timecreated: number; other: string | null};

async function courseLogs(site: Site, courseId: number): Promise<LogRow[]> {
	// The restore's own course_restored event is not one of the backup's rows.
	const rows = await site.db.all<LogRow>(`SELECT eventname, userid, contextlevel, timecreated, other FROM {logstore_standard_log} WHERE courseid = ? AND eventname <> ${RESTORED_EVENT} ORDER BY timecreated, userid`, [courseId]);
	return rows.map((row) => ({...row, userid: Number(row.userid), contextlevel: Number(row.contextlevel), timecreated: Number(row.timecreated)}));
}

/** A course custom field "niveau" (text) and "annee" (select) on the site, with values for one course. */
async function addCustomFields(site: Site, courseId: number, contextId: number): Promise<void> {
	const now = 1_700_000_000;
	const category = await site.db.insert('customfield_category', {name: 'Infos', description: null, descriptionformat: 0, sortorder: 0, timecreated: now, timemodified: now, component: 'core_course', area: 'course', itemid: 0, contextid: 1});
	const base = {description: null, descriptionformat: 0, categoryid: category, timecreated: now, timemodified: now};
	const text = await site.db.insert('customfield_field', {...base, shortname: 'niveau', name: 'Niveau', type: 'text', sortorder: 0, configdata: '{}'});
	const select = await site.db.insert('customfield_field', {...base, shortname: 'annee', name: 'Année', type: 'select', sortorder: 1, configdata: '{"options":"L1\\r\\nL2\\r\\nL3"}'});
	const data = {instanceid: courseId, decvalue: null, shortcharvalue: null, valueformat: 0, timecreated: now, timemodified: now, contextid: contextId};
	await site.db.insert('customfield_data', {...data, fieldid: text, intvalue: null, charvalue: 'Licence', value: 'Licence'});
	await site.db.insert('customfield_data', {...data, fieldid: select, intvalue: 2, charvalue: null, value: '2'});
}

async function customValues(site: Site, courseId: number): Promise<Array<{shortname: string; intvalue: number | null; charvalue: string | null; value: string; contextid: number}>> {
	const rows = await site.db.all<{shortname: string; intvalue: number | null; charvalue: string | null; value: string; contextid: number}>(
		'SELECT f.shortname, d.intvalue, d.charvalue, d.value, d.contextid FROM {customfield_data} d JOIN {customfield_field} f ON f.id = d.fieldid WHERE d.instanceid = ? ORDER BY f.shortname',
		[courseId],
	);
	return rows.map((row) => ({...row, intvalue: row.intvalue === null ? null : Number(row.intvalue), contextid: Number(row.contextid)}));
}

/** A demo course with custom field values, backed up with logs; restored into the same site by `run`. */
async function withDemoBackup(t: import('ava').ExecutionContext, run: (site: Site, backup: string, sourceId: number) => Promise<void>): Promise<void> {
	const {site, dir, dispose} = await tempSite({demo: true});
	t.teardown(dispose);
	const course = await site.db.get<{id: number}>('SELECT MIN(courseid) AS id FROM {logstore_standard_log} WHERE courseid > 1');
	const sourceId = Number(course!.id);
	const context = await site.db.get<{id: number}>('SELECT id FROM {context} WHERE contextlevel = 50 AND instanceid = ?', [sourceId]);
	await addCustomFields(site, sourceId, Number(context!.id));
	// One activity-level log row (activities/<dir>/logstores.xml), by a student of the course.
	const module = await site.db.get<{cmid: number; contextid: number}>(
		"SELECT cm.id AS cmid, c.id AS contextid FROM {course_modules} cm JOIN {modules} m ON m.id = cm.module JOIN {context} c ON c.contextlevel = 70 AND c.instanceid = cm.id WHERE cm.course = ? AND m.name = 'forum' ORDER BY cm.id",
		[sourceId],
	);
	const student = await site.db.get<{userid: number}>('SELECT userid FROM {logstore_standard_log} WHERE courseid = ? ORDER BY id', [sourceId]);
	await site.db.insert('logstore_standard_log', {
		eventname: '\\mod_forum\\event\\course_module_viewed', component: 'mod_forum', action: 'viewed', target: 'course_module', objecttable: 'forum', objectid: null,
		crud: 'r', edulevel: 2, contextid: Number(module!.contextid), contextlevel: 70, contextinstanceid: Number(module!.cmid), userid: Number(student!.userid), courseid: sourceId,
		relateduserid: null, anonymous: 0, other: 'N;', timecreated: 1_700_000_123, origin: 'web', ip: '127.0.0.1', realuserid: null,
	});
	const {plan} = await planBackup(site.db, 'course', sourceId, {root: {logs: true}});
	const backup = await runBackup(site, {type: 'course', id: sourceId, settings: plan, destination: {dir: path.join(dir, 'out')}});
	await run(site, backup.path!, sourceId);
}

test('course logs come back with the logs setting: users mapped, context and course the restored ones', async (t) => {
	await withDemoBackup(t, async (site, backup, sourceId) => {
		const sourceLogs = await courseLogs(site, sourceId);
		t.true(sourceLogs.length > 0, 'the demo course has log rows');
		const result = await restore(site, backup, {target: 'new', categoryId: 1}, (plan) => plan.settings.set('logs', true));
		const restored = await courseLogs(site, result.courseId);
		t.deepEqual(restored, sourceLogs);
		const context = await site.db.get<{id: number}>('SELECT id FROM {context} WHERE contextlevel = 50 AND instanceid = ?', [result.courseId]);
		t.is(await count(site, `{logstore_standard_log} WHERE courseid = ? AND contextid = ? AND contextinstanceid = ? AND eventname <> ${RESTORED_EVENT}`, [result.courseId, Number(context!.id), result.courseId]), sourceLogs.filter((row) => row.contextlevel === 50).length);
		t.is(result.counts['logs'], sourceLogs.length);
		t.true(restored.some((row) => row.contextlevel === 70), 'the activity log row came back');
		t.is(await count(site, '{logstore_standard_log} l JOIN {course_modules} cm ON cm.id = l.contextinstanceid JOIN {context} c ON c.id = l.contextid AND c.instanceid = cm.id WHERE l.contextlevel = 70 AND cm.course = ?', [result.courseId]), 1);
	});
});

test('course logs stay out when the logs setting is off', async (t) => {
	await withDemoBackup(t, async (site, backup) => {
		const result = await restore(site, backup, {target: 'new', categoryId: 1}, (plan) => plan.settings.set('logs', false));
		t.is(await count(site, `{logstore_standard_log} WHERE courseid = ? AND eventname <> ${RESTORED_EVENT}`, [result.courseId]), 0);
		t.is(await count(site, `{logstore_standard_log} WHERE courseid = ? AND eventname = ${RESTORED_EVENT}`, [result.courseId]), 1, 'the restore itself is logged, as Moodle logs it');
	});
});

test('course custom field values come back onto the fields with the same short name', async (t) => {
	await withDemoBackup(t, async (site, backup, sourceId) => {
		const result = await restore(site, backup, {target: 'new', categoryId: 1});
		const context = await site.db.get<{id: number}>('SELECT id FROM {context} WHERE contextlevel = 50 AND instanceid = ?', [result.courseId]);
		const expected = (await customValues(site, sourceId)).map((row) => ({...row, contextid: Number(context!.id)}));
		t.deepEqual(await customValues(site, result.courseId), expected);
		t.deepEqual(expected.map((row) => [row.shortname, row.value]), [['annee', '2'], ['niveau', 'Licence']]);
	});
});

test('course custom fields stay out when the setting is off, and a field this site lacks is reported', async (t) => {
	await withDemoBackup(t, async (site, backup) => {
		const off = await restore(site, backup, {target: 'new', categoryId: 1}, (plan) => plan.settings.set('customfields', false));
		t.deepEqual(await customValues(site, off.courseId), []);
		await site.db.run("DELETE FROM {customfield_field} WHERE shortname = 'annee'");
		const missing = await restore(site, backup, {target: 'new', categoryId: 1});
		t.deepEqual((await customValues(site, missing.courseId)).map((row) => row.shortname), ['niveau']);
		t.true(missing.warnings.some((warning) => /custom field "annee" \(select\) does not exist/.test(warning.text)));
	});
});
