import type {Db, Row} from '../../store/db.js';
import {buildRow} from '../table-rows.js';
import {cohortMemberIds, metaLinkChanges} from '../live-enrolments.js';
import {count, type RestoreRun} from '../run-context.js';
import {forEachChunk} from '../../store/in-list.js';

/** An instance whose users come from the live site, not from the backup. */
export type SyncedInstance = {id: number; enrol: 'cohort' | 'meta'};

type Enrolled = {userid: number};

/**
 * What Moodle's cohort and course meta link plugins do right after restoring their instance (enrol_cohort_sync,
 * enrol_meta_sync): the members of the live cohort, or the users enrolled in the linked course, are enrolled, with
 * the instance's role (meta: the roles they hold in the linked course), marked as given by the instance so the
 * plugin manages them from then on. Users the method holds who left the cohort lose what it gave them (enrol_cohort's
 * default unenrol action); those no longer enrolled in the linked course are suspended and lose its roles (enrol_meta's
 * default, "suspend and remove roles"); that matters when merging into a course whose method is reused. Cohort
 * instances that add to a group get the group of this restore: groups are restored after enrolments, so it runs twice,
 * right after the enrolments (Moodle syncs in restore_instance, so the backup's group memberships of these users are
 * restored) and again at the end with `groups` (the method's own group, now mapped).
 */
export async function syncEnrolmentInstances(run: RestoreRun, instances: readonly SyncedInstance[], options: {groups: boolean}): Promise<void> {
	for (const instance of instances) {
		const row = await run.db.get<{roleid: number; status: number; customint1: number | null; customint2: number | null}>(
			'SELECT roleid, status, customint1, customint2 FROM {enrol} WHERE id = ?', [instance.id]);
		if (!row || Number(row.status) !== 0) continue; // a disabled method enrols nobody
		if (instance.enrol === 'cohort') await syncCohort(run, instance.id, row, options.groups);
		else await syncMeta(run, instance.id, Number(row.customint1));
	}
}

async function syncCohort(run: RestoreRun, instanceId: number, row: {roleid: number; customint1: number | null; customint2: number | null}, groups: boolean): Promise<void> {
	const {db} = run;
	const oldGroup = Number(row.customint2 ?? 0);
	const groupId = groups && oldGroup > 0 ? run.ids.get('group', oldGroup) ?? 0 : 0;
	if (groups && groupId !== oldGroup) await db.run('UPDATE {enrol} SET customint2 = ? WHERE id = ?', [groupId, instanceId]);
	const userids = await cohortMemberIds(db, Number(row.customint1));
	// Those who left the cohort since the backup lose what the method gave them (Moodle's default unenrol action).
	const leftCohort = 'userid NOT IN (SELECT userid FROM {cohort_members} WHERE cohortid = ?)';
	await db.run(`DELETE FROM {user_enrolments} WHERE enrolid = ? AND ${leftCohort}`, [instanceId, Number(row.customint1)]);
	await db.run(`DELETE FROM {role_assignments} WHERE component = 'enrol_cohort' AND itemid = ? AND ${leftCohort}`, [instanceId, Number(row.customint1)]);
	await db.run(`DELETE FROM {groups_members} WHERE component = 'enrol_cohort' AND itemid = ? AND ${leftCohort}`, [instanceId, Number(row.customint1)]);
	await enrolMissing(db, run, instanceId, userids);
	if (Number(row.roleid) > 0) {
		await assignMissing(db, run.courseContextId, userids.map((userid) => ({userid, roleid: Number(row.roleid)})), 'enrol_cohort', instanceId);
	}
	if (groupId > 0) {
		const inGroup = new Set((await db.all<Enrolled>('SELECT userid FROM {groups_members} WHERE groupid = ?', [groupId])).map((member) => Number(member.userid)));
		await db.insertMany('groups_members', userids.filter((userid) => !inGroup.has(userid)).map((userid) =>
			buildRow('groups_members', {groupid: groupId, userid, timeadded: run.now, component: 'enrol_cohort', itemid: instanceId})));
	}
}

async function syncMeta(run: RestoreRun, instanceId: number, linkedCourse: number): Promise<void> {
	const {db} = run;
	const {members, leaving, returning, notLinked} = await metaLinkChanges(db, instanceId, linkedCourse);
	await forEachChunk(leaving, (chunk, list) => db.run(`UPDATE {user_enrolments} SET status = 1, timemodified = ? WHERE enrolid = ? AND userid IN (${list})`, [run.now, instanceId, ...chunk]));
	// Every user the link holds but the linked course does not loses the link's roles, suspended already or not: a
	// restore's role assignments come after the first sync and may bring them back.
	await forEachChunk(notLinked, (chunk, list) => db.run(`DELETE FROM {role_assignments} WHERE component = 'enrol_meta' AND itemid = ? AND userid IN (${list})`, [instanceId, ...chunk]));
	// Enrolled in the linked course again: the suspension the sync made is lifted.
	await forEachChunk(returning, (chunk, list) => db.run(`UPDATE {user_enrolments} SET status = 0, timemodified = ? WHERE enrolid = ? AND userid IN (${list})`, [run.now, instanceId, ...chunk]));
	if (leaving.length > 0) count(run, 'userEnrolmentsSuspended', leaving.length);
	await enrolMissing(db, run, instanceId, members);
	const enrolled = new Set(members);
	const roles = await db.all<{userid: number; roleid: number}>(`SELECT DISTINCT ra.userid, ra.roleid FROM {role_assignments} ra
		JOIN {context} c ON c.id = ra.contextid WHERE c.contextlevel = 50 AND c.instanceid = ? ORDER BY ra.userid, ra.roleid`, [linkedCourse]);
	await assignMissing(db, run.courseContextId, roles.filter((role) => enrolled.has(Number(role.userid))).map((role) => ({userid: Number(role.userid), roleid: Number(role.roleid)})), 'enrol_meta', instanceId);
}

/** Enrols through the instance those of `userids` it does not hold yet. */
async function enrolMissing(db: Db, run: RestoreRun, instanceId: number, userids: readonly number[]): Promise<void> {
	const already = new Set((await db.all<Enrolled>('SELECT userid FROM {user_enrolments} WHERE enrolid = ?', [instanceId])).map((row) => Number(row.userid)));
	const rows: Row[] = userids.filter((userid) => !already.has(userid)).map((userid) => buildRow('user_enrolments', {
		enrolid: instanceId, userid, status: 0, timestart: run.now, timeend: 0, modifierid: run.adminUserId, timecreated: run.now, timemodified: run.now,
	}));
	await db.insertMany('user_enrolments', rows);
	count(run, 'userEnrolments', rows.length);
}

async function assignMissing(db: Db, contextId: number, wanted: ReadonlyArray<{userid: number; roleid: number}>, component: string, itemid: number): Promise<void> {
	const held = new Set((await db.all<{userid: number; roleid: number}>('SELECT userid, roleid FROM {role_assignments} WHERE contextid = ? AND component = ? AND itemid = ?',
		[contextId, component, itemid])).map((row) => `${row.userid}:${row.roleid}`));
	const now = Math.floor(Date.now() / 1000);
	await db.insertMany('role_assignments', wanted.filter((item) => !held.has(`${item.userid}:${item.roleid}`)).map((item) =>
		buildRow('role_assignments', {roleid: item.roleid, contextid: contextId, userid: item.userid, timemodified: now, modifierid: 0, component, itemid, sortorder: 0})));
}
