import type {Row} from '../../store/db.js';
import {buildRow} from '../table-rows.js';
import {mergeManualEnrolment, type BackupEnrolInstance} from '../enrolment-rules.js';
import {count, userId, type RestoreRun} from '../run-context.js';
import {syncEnrolmentInstances, type SyncedInstance} from './enrolment-sync.js';
import type {DEFAULT_ENROL_INSTANCES} from '../plan-enrolments.js';

type Enrolment = {id: number | undefined; status: number; timestart: number; timeend: number};

/** Fields of <enrol> not copied as they are into a new instance. */
const NOT_COPIED = new Set(['id', 'enrol', 'courseid', 'roleid', 'sortorder', 'timecreated', 'timemodified', 'user_enrolments']);

/**
 * Enrolments (restore_enrolments_structure_step / restore_default_enrolments_step, spec §7): each backup method by
 * the decision taken at review time; user enrolments of mapped users only. `enrol` maps old instance → new (0 =
 * not restored); `enrol_converted` marks instances whose users went to the manual method (their enrol-component
 * role assignments then become plain ones).
 */
export async function restoreEnrolments(run: RestoreRun): Promise<void> {
	const plan = run.enrolments;
	if (!plan || plan.step === 'none') return;
	const {db} = run;
	if (plan.step === 'site-defaults') {
		await addSiteDefaultInstances(run);
		return;
	}
	let sortorder = Number((await db.get<{top: number | null}>('SELECT MAX(sortorder) AS top FROM {enrol} WHERE courseid = ?', [run.courseId]))?.top ?? -1) + 1;
	const enrolments = new Map<string, Enrolment>();
	const loadExisting = async (instanceId: number) => {
		for (const row of await db.all<{id: number; userid: number; status: number; timestart: number; timeend: number}>(
			'SELECT id, userid, status, timestart, timeend FROM {user_enrolments} WHERE enrolid = ?', [instanceId])) {
			enrolments.set(`${instanceId}:${row.userid}`, {id: Number(row.id), status: Number(row.status), timestart: Number(row.timestart), timeend: Number(row.timeend)});
		}
	};
	const loaded = new Set<number>();
	let manualInstance: {id: number; status: number} | undefined;
	const ensureManual = async (from: BackupEnrolInstance) => {
		if (manualInstance) return manualInstance;
		const existing = await db.get<{id: number; status: number}>(`SELECT id, status FROM {enrol} WHERE courseid = ? AND enrol = 'manual' ORDER BY sortorder, id`, [run.courseId]);
		if (existing) manualInstance = {id: Number(existing.id), status: Number(existing.status)};
		else {
			const fields = from.enrol === 'manual' ? from.fields : {status: '0', expirythreshold: '86400'};
			const roleid = from.enrol === 'manual' ? run.roles.map.get(from.roleid) ?? studentRole(run) : studentRole(run);
			manualInstance = {id: await insertInstance(run, 'manual', fields, roleid, sortorder++), status: Number(fields['status'] ?? 0)};
			count(run, 'enrolMethods');
		}
		return manualInstance;
	};

	const synced: SyncedInstance[] = [];
	let done = 0;
	for (const {instance, decision} of plan.planned) {
		run.step('enrolments', instance.name ?? instance.enrol, done++, plan.planned.length);
		let target: {id: number; status: number; manual: boolean} | undefined;
		let restoreUsers = plan.step === 'with-users';
		switch (decision.action) {
			case 'manual': {
				const manual = await ensureManual(instance);
				target = {...manual, manual: true};
				if (decision.why !== 'manual') run.ids.set('enrol_converted', instance.id, manual.id);
				break;
			}
			case 'create':
				target = {id: await insertInstance(run, instance.enrol, decision.fields, decision.roleid, sortorder++), status: instance.status, manual: false};
				count(run, 'enrolMethods');
				restoreUsers &&= decision.restoreUsers;
				break;
			case 'reuse':
				target = {id: decision.instanceId, status: instance.status, manual: false};
				restoreUsers &&= decision.restoreUsers;
				break;
			case 'guest':
				if (decision.createFields) {
					await insertInstance(run, 'guest', decision.createFields, 0, sortorder++);
					count(run, 'enrolMethods');
				}
				break;
			case 'drop':
				break;
		}
		run.ids.set('enrol', instance.id, target?.id ?? 0);
		if (target && !target.manual && (instance.enrol === 'cohort' || instance.enrol === 'meta')) synced.push({id: target.id, enrol: instance.enrol});
		if (!target || !restoreUsers) continue;
		if (!loaded.has(target.id)) {
			await loadExisting(target.id);
			loaded.add(target.id);
		}
		const inserts: Row[] = [];
		const insertKeys: string[] = [];
		for (const backup of instance.userEnrolments) {
			const user = userId(run, backup.userid);
			if (!user) continue;
			const key = `${target.id}:${user}`;
			const existing = enrolments.get(key);
			if (target.manual) {
				const merged = mergeManualEnrolment(existing, backup, instance.status, target.status);
				if (existing?.id !== undefined) {
					if (merged.status !== existing.status || merged.timestart !== existing.timestart || merged.timeend !== existing.timeend) {
						await db.run('UPDATE {user_enrolments} SET status = ?, timestart = ?, timeend = ?, timemodified = ? WHERE id = ?',
							[merged.status, merged.timestart, merged.timeend, run.now, existing.id]);
					}
					enrolments.set(key, {...merged, id: existing.id});
					continue;
				}
				if (existing) {
					// Enrolled earlier in this same restore (a user of two converted methods): keep the widest.
					const row = inserts.find((candidate) => candidate['userid'] === user)!;
					Object.assign(row, merged);
					enrolments.set(key, {...merged, id: undefined});
					continue;
				}
				enrolments.set(key, {...merged, id: undefined});
				inserts.push(userEnrolmentRow(run, target.id, user, merged, backup.modifierid));
				insertKeys.push(key);
			} else {
				if (existing) continue;
				enrolments.set(key, {id: undefined, status: backup.status, timestart: backup.timestart, timeend: backup.timeend});
				inserts.push(userEnrolmentRow(run, target.id, user, backup, backup.modifierid));
				insertKeys.push(key);
			}
		}
		const newIds = await db.insertMany('user_enrolments', inserts);
		insertKeys.forEach((key, index) => {
			enrolments.set(key, {...enrolments.get(key)!, id: newIds[index]});
		});
		count(run, 'userEnrolments', inserts.length);
	}
	// Their users come from the live cohort or linked course: now, so their group memberships in the backup are
	// restored; and at the end for the method's own group, once groups are mapped.
	if (synced.length > 0) {
		await syncEnrolmentInstances(run, synced, {groups: false});
		run.afterAll.push(() => syncEnrolmentInstances(run, synced, {groups: true}));
	}
}

function studentRole(run: RestoreRun): number {
	return run.roles.studentRoleId;
}

function userEnrolmentRow(run: RestoreRun, enrolid: number, userid: number, values: {status: number; timestart: number; timeend: number}, modifierid: number): Row {
	return buildRow('user_enrolments', {
		enrolid, userid, status: values.status, timestart: values.timestart, timeend: values.timeend,
		modifierid: userId(run, modifierid) ?? run.adminUserId, timecreated: run.now, timemodified: run.now,
	});
}

async function insertInstance(run: RestoreRun, enrol: string, fields: Record<string, string | null>, roleid: number, sortorder: number): Promise<number> {
	const values: Record<string, string | number | null> = {};
	for (const [name, value] of Object.entries(fields)) if (!NOT_COPIED.has(name)) values[name] = value;
	return run.db.insert('enrol', buildRow('enrol', {
		...values, enrol, courseid: run.courseId, roleid, sortorder, timecreated: run.now, timemodified: run.now,
	}));
}

/** restore_default_enrolments_step: the instances a new course gets (manual; guest and self disabled), if missing. */
async function addSiteDefaultInstances(run: RestoreRun): Promise<void> {
	const existing = new Set((await run.db.all<{enrol: string}>('SELECT enrol FROM {enrol} WHERE courseid = ?', [run.courseId])).map((row) => row.enrol));
	let sortorder = existing.size;
	const student = studentRole(run);
	const defaults: Array<[(typeof DEFAULT_ENROL_INSTANCES)[number], Record<string, string>, number]> = [
		['manual', {status: '0', expirythreshold: '86400'}, student],
		['guest', {status: '1'}, 0],
		['self', {status: '1', customint1: '0', customint2: '0', customint3: '0', customint4: '1', customint5: '0', customint6: '1', expirythreshold: '86400'}, student],
	];
	for (const [enrol, fields, roleid] of defaults) {
		if (existing.has(enrol)) continue;
		await insertInstance(run, enrol, fields, roleid, sortorder++);
		count(run, 'enrolMethods');
	}
}
