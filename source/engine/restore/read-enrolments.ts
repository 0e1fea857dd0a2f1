import type {BackupEnrolInstance} from './enrolment-rules.js';
import {intOf, records, type BackupXml} from './xml-input.js';

const ENROL = '/enrolments/enrols/enrol';
const USER_ENROLMENT = `${ENROL}/user_enrolments/enrolment`;

/** course/enrolments.xml: instances with their user enrolments (only present when users were backed up). */
export async function readEnrolInstances(backup: BackupXml): Promise<BackupEnrolInstance[]> {
	const instances: BackupEnrolInstance[] = [];
	for await (const record of records(backup, 'course/enrolments.xml', [ENROL, USER_ENROLMENT])) {
		if (record.path === ENROL) {
			instances.push({
				id: intOf(record.attrs['id']), enrol: record.data['enrol'] ?? '', status: intOf(record.data['status']),
				name: record.data['name'] ?? null, roleid: intOf(record.data['roleid']), fields: record.data, userEnrolments: [],
			});
		} else {
			const data = record.data;
			instances.at(-1)?.userEnrolments.push({
				id: intOf(record.attrs['id']), userid: intOf(data['userid']), status: intOf(data['status']), timestart: intOf(data['timestart']),
				timeend: intOf(data['timeend']), timemodified: intOf(data['timemodified']), modifierid: intOf(data['modifierid']),
				...(data['timecreated'] === undefined ? {} : {timecreated: intOf(data['timecreated'])}),
			});
		}
	}
	return instances;
}
