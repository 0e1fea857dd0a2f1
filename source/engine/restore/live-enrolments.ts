import type {Db} from '../store/db.js';

/**
 * Who a cohort or course meta link method enrols: not the backup's users but those of the live site, as Moodle's
 * enrol_cohort_sync and enrol_meta_sync see them. The review counts them, the restore enrols them.
 */

/** The cohort's members whose accounts are not deleted, by id. */
export async function cohortMemberIds(db: Db, cohortId: number): Promise<number[]> {
	const rows = await db.all<{userid: number}>(`SELECT m.userid FROM {cohort_members} m JOIN {user} u ON u.id = m.userid
		WHERE m.cohortid = ? AND u.deleted = 0 ORDER BY m.userid`, [cohortId]);
	return rows.map((row) => Number(row.userid));
}

/** Users enrolled in the linked course through its own enabled methods (Moodle does not chain meta links by default). */
export async function linkedCourseUserIds(db: Db, courseId: number): Promise<number[]> {
	const rows = await db.all<{userid: number}>(`SELECT DISTINCT ue.userid FROM {user_enrolments} ue JOIN {enrol} e ON e.id = ue.enrolid
		JOIN {user} u ON u.id = ue.userid WHERE e.courseid = ? AND e.enrol <> 'meta' AND e.status = 0 AND u.deleted = 0 ORDER BY ue.userid`, [courseId]);
	return rows.map((row) => Number(row.userid));
}

/**
 * What a course meta link's sync changes for the users an instance of this site already holds (a method reused when
 * merging): those no longer enrolled in the linked course are suspended, those suspended and enrolled there again
 * come back (enrol_meta's default unenrol action, "suspend and remove roles").
 */
export async function metaLinkChanges(db: Db, instanceId: number, linkedCourse: number): Promise<{members: number[]; leaving: number[]; returning: number[]; notLinked: number[]}> {
	const members = await linkedCourseUserIds(db, linkedCourse);
	const linked = new Set(members);
	const held = await db.all<{userid: number; status: number}>('SELECT userid, status FROM {user_enrolments} WHERE enrolid = ?', [instanceId]);
	const leaving: number[] = [];
	const returning: number[] = [];
	const notLinked: number[] = [];
	for (const row of held) {
		const userid = Number(row.userid);
		if (!linked.has(userid)) notLinked.push(userid);
		if (Number(row.status) === 0 && !linked.has(userid)) leaving.push(userid);
		else if (Number(row.status) !== 0 && linked.has(userid)) returning.push(userid);
	}
	return {members, leaving, returning, notLinked};
}
