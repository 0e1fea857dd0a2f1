import type {Row} from '../../store/db.js';
import {buildRow} from '../table-rows.js';
import {count, mapEnrolOrigin, userId, type RestoreRun} from '../run-context.js';
import {records} from '../xml-input.js';
import {notice} from '../../notices.js';

const GROUP = '/groups/group';
const MEMBER = '/groups/group/group_members/group_member';
const GROUPING = '/groups/groupings/grouping';
const GROUPING_GROUP = '/groups/groupings/grouping/grouping_groups/grouping_group';

/**
 * Groups and groupings (restore_groups_structure_step, core behaviour): an existing group or grouping with the same
 * name (and the same description when the backup's is not empty) is reused; the idnumber is kept only when unused
 * in the course. Members need the groups and users settings and a mapped user.
 */
export async function restoreGroups(run: RestoreRun): Promise<void> {
	if (!run.settings.groups) return;
	const {db} = run;
	const idnumbers = new Set((await db.all<{idnumber: string}>(
		`SELECT idnumber FROM {groups} WHERE courseid = ? AND idnumber <> '' UNION SELECT idnumber FROM {groupings} WHERE courseid = ? AND idnumber <> ''`,
		[run.courseId, run.courseId])).map((row) => row.idnumber));
	// groups_add_member() refuses users who are not enrolled in the course.
	const enrolled = new Set((await db.all<{userid: number}>(
		'SELECT DISTINCT ue.userid FROM {user_enrolments} ue JOIN {enrol} e ON e.id = ue.enrolid WHERE e.courseid = ?', [run.courseId])).map((row) => Number(row.userid)));
	let notEnrolled = 0;
	const members: Row[] = [];
	const memberKeys = new Set<string>();
	let currentGroup = 0;
	let currentGrouping = 0;
	for await (const record of records(run.backup, 'groups.xml', [GROUP, MEMBER, GROUPING, GROUPING_GROUP])) {
		const data = record.data;
		if (record.path === GROUP || record.path === GROUPING) {
			const table = record.path === GROUP ? 'groups' : 'groupings';
			const itemname = record.path === GROUP ? 'group' : 'grouping';
			const description = data['description'] ?? '';
			const existing = await db.get<{id: number}>(
				`SELECT id FROM {${table}} WHERE courseid = ? AND name = ?${description ? ' AND description = ?' : ''} ORDER BY id`,
				description ? [run.courseId, data['name'] ?? '', description] : [run.courseId, data['name'] ?? '']);
			let id: number;
			if (existing) id = Number(existing.id);
			else {
				const idnumber = data['idnumber'] ?? '';
				const keep = idnumber !== '' && !idnumbers.has(idnumber);
				if (keep) idnumbers.add(idnumber);
				const values: Record<string, string | number | null> = {...data};
				delete values['id'];
				id = await db.insert(table, buildRow(table, {...values, courseid: run.courseId, idnumber: keep ? idnumber : '', timecreated: run.now, timemodified: run.now}));
				count(run, table);
			}
			run.ids.set(itemname, Number(record.attrs['id']), id);
			if (record.path === GROUP) currentGroup = id;
			else currentGrouping = id;
		} else if (record.path === MEMBER) {
			if (!run.settings.users) continue;
			const user = userId(run, Number(data['userid']));
			if (!user) continue;
			if (!enrolled.has(user)) {
				notEnrolled++;
				continue;
			}
			const origin = mapEnrolOrigin(run, data['component'] ?? '', Number(data['itemid'] ?? 0));
			if (!origin) continue;
			const {component, itemid} = origin;
			const key = `${currentGroup}:${user}`;
			if (memberKeys.has(key) || await db.get('SELECT id FROM {groups_members} WHERE groupid = ? AND userid = ?', [currentGroup, user])) continue;
			memberKeys.add(key);
			members.push(buildRow('groups_members', {groupid: currentGroup, userid: user, timeadded: data['timeadded'] ?? run.now, component, itemid}));
		} else {
			const group = run.ids.get('group', Number(data['groupid']));
			if (!group || await db.get('SELECT id FROM {groupings_groups} WHERE groupingid = ? AND groupid = ?', [currentGrouping, group])) continue;
			await db.insert('groupings_groups', buildRow('groupings_groups', {groupingid: currentGrouping, groupid: group, timeadded: data['timeadded'] ?? run.now}));
			count(run, 'groupingGroups');
		}
	}
	if (notEnrolled) run.warnings.push(notice('membershipsSkipped', {count: notEnrolled}));
	await db.insertMany('groups_members', members);
	count(run, 'groupMembers', members.length);
}
