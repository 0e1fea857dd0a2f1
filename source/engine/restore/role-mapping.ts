import type {Db} from '../store/db.js';
import {allRecords, intOf, type BackupXml} from './xml-input.js';

export type BackupRole = {id: number; shortname: string; archetype: string; nameincourse: string | null};
export type RoleMapping = {map: Map<number, number>; unmapped: BackupRole[]; roles: BackupRole[]; studentRoleId: number};

/**
 * Moodle never creates roles on restore (restore_dbops::get_best_assignable_role): each backup role maps to the
 * site role with the same shortname, else the first with the same archetype, else editingteacher → teacher, else
 * nothing (its assignments are skipped with a warning).
 */
export async function mapRoles(db: Db, backup: BackupXml): Promise<RoleMapping> {
	const roles: BackupRole[] = (await allRecords(backup, 'roles.xml', ['/roles_definition/role'])).map((record) => ({
		id: intOf(record.attrs['id']), shortname: record.data['shortname'] ?? '', archetype: record.data['archetype'] ?? '',
		nameincourse: record.data['nameincourse'] ?? null,
	}));
	const siteRoles = await db.all<{id: number; shortname: string; archetype: string}>('SELECT id, shortname, archetype FROM {role} ORDER BY sortorder, id');
	const map = new Map<number, number>();
	const unmapped: BackupRole[] = [];
	for (const role of roles) {
		const match = siteRoles.find((site) => site.shortname === role.shortname)
			?? (role.archetype ? siteRoles.find((site) => site.archetype === role.archetype) : undefined)
			?? (role.shortname === 'editingteacher' ? siteRoles.find((site) => site.shortname === 'teacher') : undefined);
		if (match) map.set(role.id, Number(match.id));
		else unmapped.push(role);
	}
	const student = siteRoles.find((site) => site.shortname === 'student') ?? siteRoles.find((site) => site.archetype === 'student');
	return {map, unmapped, roles, studentRoleId: student ? Number(student.id) : 0};
}
