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
