import type {Row} from '../../store/db.js';
import {buildRow} from '../table-rows.js';
import {count, mapEnrolOrigin, userId, type RestoreRun} from '../run-context.js';
import {records} from '../xml-input.js';
import {notice} from '../../notices.js';

const ASSIGNMENT = '/roles/role_assignments/assignment';
const OVERRIDE = '/roles/role_overrides/override';

/**
 * Role assignments and overrides of one context's roles.xml (restore_ras_and_caps_structure_step). Needs a mapped
 * role and a mapped, not deleted user. component '' → a plain assignment; enrol_* → through the enrol mapping of
 * itemid (nothing when the method was not restored; a plain assignment when its users went to the manual method).
 */
export async function restoreContextRoles(run: RestoreRun, entry: string, contextId: number): Promise<void> {
	const {db} = run;
	const existing = new Set((await db.all<{roleid: number; userid: number; component: string; itemid: number}>(
		'SELECT roleid, userid, component, itemid FROM {role_assignments} WHERE contextid = ?', [contextId]))
		.map((row) => `${row.roleid}:${row.userid}:${row.component}:${row.itemid}`));
	const assignments: Row[] = [];
	const overrides: Row[] = [];
	for await (const record of records(run.backup, entry, [ASSIGNMENT, OVERRIDE])) {
		const data = record.data;
		const roleid = run.roles.map.get(Number(data['roleid']));
		if (!roleid) continue;
		if (record.path === OVERRIDE) {
			const capability = data['capability'] ?? '';
			if (!(await db.get('SELECT id FROM {role_capabilities} WHERE contextid = ? AND roleid = ? AND capability = ?', [contextId, roleid, capability]))) {
				overrides.push(overrideRow(run, contextId, roleid, data));
			}
			continue;
		}
		if (!run.settings.roleAssignments) continue;
		const user = userId(run, Number(data['userid']));
		if (!user) continue;
		const origin = mapEnrolOrigin(run, data['component'] ?? '', Number(data['itemid'] ?? 0));
		if (!origin) continue;
		let {component, itemid} = origin;
		if (component !== '' && !component.startsWith('enrol_')) {
			run.warnings.push(notice('componentAssignment', {component}));
			component = '';
			itemid = 0;
		}
		const key = `${roleid}:${user}:${component}:${itemid}`;
		if (existing.has(key)) continue;
		existing.add(key);
		assignments.push(buildRow('role_assignments', {
			roleid, contextid: contextId, userid: user, component, itemid, timemodified: run.now,
			modifierid: userId(run, Number(data['modifierid'])) ?? run.adminUserId, sortorder: data['sortorder'] ?? '0',
		}));
	}
	await db.insertMany('role_assignments', assignments);
	await db.insertMany('role_capabilities', overrides);
	count(run, 'roleAssignments', assignments.length);
	count(run, 'roleOverrides', overrides.length);
}

/** A role_capabilities row for an override of the backup (`roleid` already mapped) in `contextId`. */
export function overrideRow(run: RestoreRun, contextId: number, roleid: number, data: Record<string, string | null>): Row {
	return buildRow('role_capabilities', {
		contextid: contextId, roleid, capability: data['capability'] ?? '', permission: data['permission'] ?? '0', timemodified: run.now,
		modifierid: userId(run, Number(data['modifierid'])) ?? run.adminUserId,
	});
}

/** Course-level role renames (roles.xml nameincourse), added when the course has none for that role. */
export async function restoreRoleNames(run: RestoreRun): Promise<void> {
	for (const role of run.roles.roles) {
		const roleid = run.roles.map.get(role.id);
		if (!roleid || !role.nameincourse) continue;
		if (await run.db.get('SELECT id FROM {role_names} WHERE contextid = ? AND roleid = ?', [run.courseContextId, roleid])) continue;
		await run.db.insert('role_names', buildRow('role_names', {roleid, contextid: run.courseContextId, name: role.nameincourse}));
	}
}
