import type {Row} from '../store/db.js';
import type {BackupJob} from './job.js';
import {numberOf, writeFields, writeXmlFile, xmlValue} from './xml-file.js';
import {forEachChunk} from '../store/in-list.js';

async function rowsByIds(job: BackupJob, table: string, ids: readonly number[], order = 'id'): Promise<Row[]> {
	const rows: Row[] = [];
	await forEachChunk(ids, async (chunk, list) => {
		rows.push(...await job.db.all(`SELECT * FROM {${table}} WHERE id IN (${list}) ORDER BY ${order}`, chunk));
	});
	return rows;
}

/** roles.xml: the definitions of every role referenced anywhere, with the course's role renames. */
export async function writeRolesDefinitionXml(job: BackupJob): Promise<number> {
	const roles = await rowsByIds(job, 'role', job.annotations.ids('role'));
	const renames = new Map<number, string | null>();
	for (const row of await job.db.all('SELECT roleid, name FROM {role_names} WHERE contextid = ?', [job.courseContextId])) {
		renames.set(numberOf(row['roleid']), xmlValue(row['name']) as string | null);
	}
	await writeXmlFile(job.root, 'roles.xml', job.encodeText, writer => {
		writer.startTag('roles_definition');
		for (const role of roles) {
			writer.startTag('role', {id: xmlValue(role['id']) as number});
			writeFields(writer, role, ['name', 'shortname']);
			writer.fullTag('nameincourse', renames.get(numberOf(role['id'])) ?? null);
			writeFields(writer, role, ['description', 'sortorder', 'archetype']);
			writer.endTag('role');
		}
		writer.endTag('roles_definition');
	});
	return roles.length;
}

/** groups.xml: annotated groups (members only with users) then the groupings wrapper (spec §1.14). */
export async function writeGroupsXml(job: BackupJob): Promise<number> {
	const groups = await rowsByIds(job, 'groups', job.annotations.ids('group'));
	const groupings = await rowsByIds(job, 'groupings', job.annotations.ids('grouping'));
	const refs = job.annotations.task();
	await writeXmlFile(job.root, 'groups.xml', job.encodeText, async writer => {
		writer.startTag('groups');
		for (const group of groups) {
			const groupId = numberOf(group['id']);
			await refs.addFiles(job.db, job.courseContextId, 'group', 'description', groupId);
			await refs.addFiles(job.db, job.courseContextId, 'group', 'icon', groupId);
			writer.startTag('group', {id: groupId});
			writeFields(writer, group, ['name', 'idnumber', 'description', 'descriptionformat', 'enrolmentkey', 'picture', 'timecreated', 'timemodified']);
			writer.startTag('group_members');
			if (job.users) {
				for (const member of await job.db.all('SELECT * FROM {groups_members} WHERE groupid = ? ORDER BY id', [groupId])) {
					refs.add('user', numberOf(member['userid']));
					writer.startTag('group_member', {id: xmlValue(member['id']) as number});
					writeFields(writer, member, ['userid', 'timeadded', 'component', 'itemid']);
					writer.endTag('group_member');
				}
			}
			writer.endTag('group_members');
			writer.endTag('group');
		}
		writer.startTag('groupings');
		for (const grouping of groupings) {
			const groupingId = numberOf(grouping['id']);
			await refs.addFiles(job.db, job.courseContextId, 'grouping', 'description', groupingId);
			writer.startTag('grouping', {id: groupingId});
			writeFields(writer, grouping, ['name', 'idnumber', 'description', 'descriptionformat', 'configdata', 'timecreated', 'timemodified']);
			writer.startTag('grouping_groups');
			for (const link of await job.db.all('SELECT * FROM {groupings_groups} WHERE groupingid = ? ORDER BY id', [groupingId])) {
				writer.startTag('grouping_group', {id: xmlValue(link['id']) as number});
				writeFields(writer, link, ['groupid', 'timeadded']);
				writer.endTag('grouping_group');
			}
			writer.endTag('grouping_groups');
			writer.endTag('grouping');
		}
		writer.endTag('groupings');
		writer.endTag('groups');
	});
	return groups.length;
}

/** scales.xml and outcomes.xml: the annotated definitions. */
export async function writeScalesAndOutcomesXml(job: BackupJob): Promise<void> {
	const scales = await rowsByIds(job, 'scale', job.annotations.ids('scale'));
	const outcomes = await rowsByIds(job, 'grade_outcomes', job.annotations.ids('outcome'));
	const refs = job.annotations.task();
	await writeXmlFile(job.root, 'scales.xml', job.encodeText, async writer => {
		writer.startTag('scales_definition');
		for (const scale of scales) {
			await refs.addFiles(job.db, 1, 'grade', 'scale', numberOf(scale['id']));
			writer.startTag('scale', {id: xmlValue(scale['id']) as number});
			writeFields(writer, scale, ['courseid', 'userid', 'name', 'scale', 'description', 'descriptionformat', 'timemodified']);
			writer.endTag('scale');
		}
		writer.endTag('scales_definition');
	});
	await writeXmlFile(job.root, 'outcomes.xml', job.encodeText, async writer => {
		writer.startTag('outcomes_definition');
		for (const outcome of outcomes) {
			await refs.addFiles(job.db, 1, 'grade', 'outcome', numberOf(outcome['id']));
			writer.startTag('outcome', {id: xmlValue(outcome['id']) as number});
			writeFields(writer, outcome, ['courseid', 'userid', 'shortname', 'fullname', 'scaleid', 'description', 'descriptionformat', 'timecreated', 'timemodified', 'usermodified']);
			writer.endTag('outcome');
		}
		writer.endTag('outcomes_definition');
	});
}

/** completion.xml: course completion criteria, aggregation methods and (with user completion) completions. */
export async function writeCourseCompletionXml(job: BackupJob): Promise<void> {
	const {db, courseId} = job;
	const withUsers = job.users && job.settings.on('userscompletion');
	const criteria = await db.all('SELECT * FROM {course_completion_criteria} WHERE course = ? ORDER BY id', [courseId]).catch(() => [] as Row[]);
	const methods = await db.all('SELECT * FROM {course_completion_aggr_methd} WHERE course = ? ORDER BY id', [courseId]).catch(() => [] as Row[]);
	const completions = withUsers ? await db.all('SELECT * FROM {course_completions} WHERE course = ? ORDER BY id', [courseId]).catch(() => [] as Row[]) : [];
	await writeXmlFile(job.root, 'completion.xml', job.encodeText, async writer => {
		writer.startTag('course_completion');
		for (const criterion of criteria) {
			const row: Row = {...criterion};
			if (criterion['moduleinstance'] !== undefined && criterion['moduleinstance'] !== null) {
				const cm = await db.get('SELECT m.name FROM {course_modules} cm JOIN {modules} m ON m.id = cm.module WHERE cm.id = ?', [criterion['moduleinstance']]);
				row['module'] = cm ? cm['name'] ?? null : criterion['module'] ?? null;
			}
			row['courseinstanceshortname'] = null;
			if (criterion['courseinstance']) {
				const other = await db.get('SELECT shortname FROM {course} WHERE id = ?', [criterion['courseinstance']]);
				row['courseinstanceshortname'] = other ? other['shortname'] ?? null : null;
			}
			row['roleshortname'] = null;
			if (criterion['role']) {
				const role = await db.get('SELECT shortname FROM {role} WHERE id = ?', [criterion['role']]);
				row['roleshortname'] = role ? role['shortname'] ?? null : null;
				job.annotations.add('role', numberOf(criterion['role']));
			}
			writer.startTag('course_completion_criteria', {id: xmlValue(criterion['id']) as number});
			writeFields(writer, row, ['course', 'criteriatype', 'module', 'moduleinstance', 'courseinstanceshortname', 'enrolperiod', 'timeend', 'gradepass', 'role', 'roleshortname']);
			writer.startTag('course_completion_crit_completions');
			if (withUsers) {
				for (const done of await db.all('SELECT * FROM {course_completion_crit_compl} WHERE criteriaid = ? ORDER BY id', [criterion['id'] ?? 0])) {
					job.annotations.add('user', numberOf(done['userid']));
					writer.startTag('course_completion_crit_compl', {id: xmlValue(done['id']) as number});
					writeFields(writer, done, ['criteriaid', 'userid', 'gradefinal', 'unenrolled', 'deleted', 'timecompleted']);
					writer.endTag('course_completion_crit_compl');
				}
			}
			writer.endTag('course_completion_crit_completions');
			writer.endTag('course_completion_criteria');
		}
		for (const completion of completions) {
			job.annotations.add('user', numberOf(completion['userid']));
			writer.startTag('course_completions', {id: xmlValue(completion['id']) as number});
			writeFields(writer, completion, ['userid', 'course', 'timeenrolled', 'timestarted', 'timecompleted', 'reaggregate']);
			writer.endTag('course_completions');
		}
		for (const method of methods) {
			writer.startTag('course_completion_aggr_methd', {id: xmlValue(method['id']) as number});
			writeFields(writer, method, ['course', 'criteriatype', 'method', 'value']);
			writer.endTag('course_completion_aggr_methd');
		}
		writer.endTag('course_completion');
	});
}

const BADGE_FIELDS = [
	'name', 'description', 'timecreated', 'timemodified', 'usercreated', 'usermodified', 'issuername', 'issuerurl',
	'issuercontact', 'expiredate', 'expireperiod', 'type', 'courseid', 'message', 'messagesubject', 'attachment',
	'notification', 'status', 'nextcron', 'version', 'language', 'imageauthorname', 'imageauthoremail',
	'imageauthorurl', 'imagecaption',
];

/** badges.xml: the course badges with criteria (manual awards only with users). Not for section/activity backups. */
export async function writeBadgesXml(job: BackupJob): Promise<void> {
	const {db} = job;
	const badges = await db.all('SELECT * FROM {badge} WHERE courseid = ? ORDER BY id', [job.courseId]).catch(() => [] as Row[]);
	const refs = job.annotations.task();
	await writeXmlFile(job.root, 'badges.xml', job.encodeText, async writer => {
		writer.startTag('badges');
		for (const badge of badges) {
			const badgeId = numberOf(badge['id']);
			refs.add('user', numberOf(badge['usercreated']));
			refs.add('user', numberOf(badge['usermodified']));
			await refs.addFiles(db, job.courseContextId, 'badges', 'badgeimage', badgeId);
			writer.startTag('badge', {id: badgeId});
			writeFields(writer, badge, BADGE_FIELDS);
			writer.startTag('criteria');
			for (const criterion of await db.all('SELECT * FROM {badge_criteria} WHERE badgeid = ? ORDER BY id', [badgeId])) {
				writer.startTag('criterion', {id: xmlValue(criterion['id']) as number});
				writeFields(writer, criterion, ['badgeid', 'criteriatype', 'method', 'description', 'descriptionformat']);
				writer.startTag('parameters');
				for (const parameter of await db.all('SELECT * FROM {badge_criteria_param} WHERE critid = ? ORDER BY id', [criterion['id'] ?? 0])) {
					writer.startTag('parameter', {id: xmlValue(parameter['id']) as number});
					writeFields(writer, {...parameter, criteriatype: criterion['criteriatype'] ?? null}, ['critid', 'name', 'value', 'criteriatype']);
					writer.endTag('parameter');
				}
				writer.endTag('parameters');
				writer.endTag('criterion');
			}
			writer.endTag('criteria');
			writer.startTag('alignments');
			for (const alignment of await db.all('SELECT * FROM {badge_alignment} WHERE badgeid = ? ORDER BY id', [badgeId]).catch(() => [] as Row[])) {
				writer.startTag('alignment', {id: xmlValue(alignment['id']) as number});
				writeFields(writer, alignment, ['badgeid', 'targetname', 'targeturl', 'targetdescription', 'targetframework', 'targetcode']);
				writer.endTag('alignment');
			}
			writer.endTag('alignments');
			writer.startTag('relatedbadges');
			for (const related of await db.all('SELECT * FROM {badge_related} WHERE badgeid = ? ORDER BY id', [badgeId]).catch(() => [] as Row[])) {
				writer.startTag('relatedbadge', {id: xmlValue(related['id']) as number});
				writeFields(writer, related, ['badgeid', 'relatedbadgeid']);
				writer.endTag('relatedbadge');
			}
			writer.endTag('relatedbadges');
			writer.startTag('manual_awards');
			if (job.users) {
				for (const award of await db.all('SELECT * FROM {badge_manual_award} WHERE badgeid = ? ORDER BY id', [badgeId]).catch(() => [] as Row[])) {
					refs.add('user', numberOf(award['recipientid']));
					refs.add('user', numberOf(award['issuerid']));
					refs.add('role', numberOf(award['issuerrole']));
					writer.startTag('manual_award', {id: xmlValue(award['id']) as number});
					writeFields(writer, award, ['badgeid', 'recipientid', 'issuerid', 'issuerrole', 'datemet']);
					writer.endTag('manual_award');
				}
			}
			writer.endTag('manual_awards');
			writer.endTag('badge');
		}
		writer.endTag('badges');
	});
}
