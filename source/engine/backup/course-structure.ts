import {siteTimeZone} from './site-time-zone.js';
import {UsageError} from '../errors.js';
import type {Db, Row} from '../store/db.js';
import type {ActivityRef, SectionRef} from '../settings/types.js';
import type {BackupType} from './types.js';
import {numberOf, xmlValue} from './xml-file.js';

export type StructureSection = {row: Row; id: number; number: number; title: string};
export type StructureActivity = {cm: Row; cmid: number; modname: string; instance: number; sectionId: number; sectionNumber: number; title: string};

/** What a backup of one course, section or activity covers, in Moodle's task order. */
export type BackupStructure = {
	type: BackupType;
	id: number;
	course: Row;
	courseId: number;
	sections: StructureSection[];
	activities: StructureActivity[];
	/** For the settings engine: sections and activities in task order. */
	sectionRefs: SectionRef[];
	activityRefs: ActivityRef[];
	/** The zone the backup's file name is written in (siteTimeZone); undefined: the process's. */
	timeZone?: string;
};

/**
 * Loads the course structure the backup covers: sections ordered by number, activities in each section's
 * `sequence` order (cms being deleted are left out, as Moodle does). Unknown ids are a UsageError.
 */
export async function loadBackupStructure(db: Db, type: BackupType, id: number): Promise<BackupStructure> {
	let courseId: number;
	let onlySectionId: number | undefined;
	let onlyCmid: number | undefined;
	if (type === 'course') {
		courseId = id;
	} else if (type === 'section') {
		const section = await db.get('SELECT id, course FROM {course_sections} WHERE id = ?', [id]);
		if (!section) throw new UsageError(`section ${id} does not exist on this site`);
		courseId = numberOf(section['course']);
		onlySectionId = id;
	} else {
		const cm = await db.get('SELECT id, course FROM {course_modules} WHERE id = ?', [id]);
		if (!cm) throw new UsageError(`course module ${id} does not exist on this site`);
		courseId = numberOf(cm['course']);
		onlyCmid = id;
	}
	const course = await db.get('SELECT * FROM {course} WHERE id = ?', [courseId]);
	if (!course) throw new UsageError(`course ${courseId} does not exist on this site`);

	const sectionRows = await db.all('SELECT * FROM {course_sections} WHERE course = ? ORDER BY section', [courseId]);
	const cmRows = await db.all(
		'SELECT cm.*, m.name AS modname FROM {course_modules} cm JOIN {modules} m ON m.id = cm.module WHERE cm.course = ? ORDER BY cm.id',
		[courseId],
	);
	const cmsById = new Map<number, Row>();
	for (const cm of cmRows) {
		if (numberOf(cm['deletioninprogress']) !== 0) continue;
		cmsById.set(numberOf(cm['id']), cm);
	}

	const sections: StructureSection[] = [];
	const activities: StructureActivity[] = [];
	const placed = new Set<number>();
	for (const row of sectionRows) {
		const sectionId = numberOf(row['id']);
		const number = numberOf(row['section']);
		const name = xmlValue(row['name']);
		const section: StructureSection = {row, id: sectionId, number, title: name === null || name === undefined || name === '' ? String(number) : String(name)};
		const sequence = String(xmlValue(row['sequence']) ?? '').split(',').map(value => Number(value.trim())).filter(value => value > 0);
		const sectionActivities: StructureActivity[] = [];
		for (const cmid of sequence) {
			const cm = cmsById.get(cmid);
			if (!cm || placed.has(cmid)) continue;
			placed.add(cmid);
			sectionActivities.push({
				cm, cmid, modname: String(cm['modname']), instance: numberOf(cm['instance']), sectionId, sectionNumber: number, title: '',
			});
		}
		if (onlySectionId !== undefined && sectionId !== onlySectionId) continue;
		sections.push(section);
		for (const activity of sectionActivities) {
			if (onlyCmid === undefined || activity.cmid === onlyCmid) activities.push(activity);
		}
	}
	if (onlyCmid !== undefined && activities.length === 0) {
		const cm = cmsById.get(onlyCmid);
		if (!cm) throw new UsageError(`course module ${onlyCmid} is being deleted`);
		const section = sectionRows.find(row => numberOf(row['id']) === numberOf(cm['section']));
		activities.push({
			cm, cmid: onlyCmid, modname: String(cm['modname']), instance: numberOf(cm['instance']),
			sectionId: numberOf(cm['section']), sectionNumber: section ? numberOf(section['section']) : 0, title: '',
		});
	}
	if (type === 'activity') sections.length = 0;

	for (const activity of activities) activity.title = await activityTitle(db, activity.modname, activity.instance, activity.cmid);

	const timeZone = await siteTimeZone(db);
	return {
		type, id, course, courseId, sections, activities,
		sectionRefs: sections.map(section => ({id: section.id, number: section.number, name: section.title})),
		activityRefs: activities.map(activity => ({cmid: activity.cmid, modname: activity.modname, sectionId: activity.sectionId, name: activity.title})),
		...(timeZone ? {timeZone} : {}),
	};
}

/** The cm name, from the module's instance table (every core module has `name`). */
async function activityTitle(db: Db, modname: string, instance: number, cmid: number): Promise<string> {
	if (!/^[a-z][a-z0-9_]*$/.test(modname)) return `${modname} ${cmid}`;
	try {
		const row = await db.get(`SELECT name FROM {${modname}} WHERE id = ?`, [instance]);
		const name = row ? xmlValue(row['name']) : undefined;
		return name === null || name === undefined ? `${modname} ${cmid}` : String(name);
	} catch {
		return `${modname} ${cmid}`;
	}
}
