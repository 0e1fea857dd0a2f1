import {readdir} from 'node:fs/promises';
import {join} from 'node:path';
import {CONTEXT_LEVEL, createContext} from '../../store/contexts.js';
import type {Row} from '../../store/db.js';
import {buildRow} from '../table-rows.js';
import {shiftDate} from '../date-offset.js';
import {count, userId, type RestoreRun} from '../run-context.js';
import {allRecords, records} from '../xml-input.js';

/**
 * The course-level parts Moodle restores in the course and final tasks: blocks, filters, comments, calendar events,
 * course completion criteria and badges. Each honours its root setting.
 */
export async function restoreCourseExtras(run: RestoreRun): Promise<void> {
	if (run.info.type !== 'course') return;
	if (run.settings.blocks) await restoreBlocks(run);
	if (run.settings.filters) await restoreFilters(run, 'course/filters.xml', run.courseContextId);
	if (run.settings.comments) await restoreComments(run, 'course/comments.xml', run.courseContextId);
	if (run.settings.calendarEvents) await restoreEvents(run);
	await restoreCompletion(run);
	if (run.settings.badges) await restoreBadges(run);
}

async function restoreBlocks(run: RestoreRun): Promise<void> {
	let directories: string[];
	try {
		directories = await readdir(join(run.backup.xmlDir, 'course', 'blocks'));
	} catch {
		return;
	}
	for (const directory of directories.sort()) {
		const [block] = await allRecords(run.backup, `course/blocks/${directory}/block.xml`, ['/block']);
		if (!block) continue;
		const data = block.data;
		const id = await run.db.insert('block_instances', buildRow('block_instances', {
			blockname: data['blockname'] ?? '', parentcontextid: run.courseContextId, showinsubcontexts: data['showinsubcontexts'] ?? '0',
			requiredbytheme: 0, pagetypepattern: data['pagetypepattern'] ?? '', subpagepattern: data['subpagepattern'] ?? null,
			defaultregion: data['defaultregion'] ?? '', defaultweight: data['defaultweight'] ?? '0', configdata: data['configdata'] ?? null,
			timecreated: run.now, timemodified: run.now,
		}));
		const contextId = await createContext(run.db, CONTEXT_LEVEL.BLOCK, id, run.courseContextId);
		if (block.attrs['contextid']) {
			run.ids.set('context', Number(block.attrs['contextid']), contextId);
			run.ids.set('block_context', Number(block.attrs['contextid']), contextId);
		}
		run.ids.set('block_instance', Number(block.attrs['id'] ?? 0), id);
		count(run, 'blocks');
	}
}

export async function restoreFilters(run: RestoreRun, entry: string, contextId: number): Promise<void> {
	for await (const record of records(run.backup, entry, ['/filters/filter_actives/filter_active', '/filters/filter_configs/filter_config'])) {
		const data = record.data;
		const filter = data['filter'] ?? '';
		if (record.path.endsWith('filter_active')) {
			if (await run.db.get('SELECT id FROM {filter_active} WHERE filter = ? AND contextid = ?', [filter, contextId])) continue;
			await run.db.insert('filter_active', buildRow('filter_active', {filter, contextid: contextId, active: data['active'] ?? '1', sortorder: 0}));
		} else {
			if (await run.db.get('SELECT id FROM {filter_config} WHERE filter = ? AND contextid = ? AND name = ?', [filter, contextId, data['name'] ?? ''])) continue;
			await run.db.insert('filter_config', buildRow('filter_config', {filter, contextid: contextId, name: data['name'] ?? '', value: data['value'] ?? null}));
		}
		count(run, 'filters');
	}
}

export async function restoreComments(run: RestoreRun, entry: string, contextId: number): Promise<void> {
	const rows: Row[] = [];
	for await (const record of records(run.backup, entry, ['/comments/comment'])) {
		const data = record.data;
		const user = userId(run, Number(data['userid']));
		if (!user) continue;
		rows.push(buildRow('comments', {
			contextid: contextId, component: data['component'] ?? null, commentarea: data['commentarea'] ?? '', itemid: data['itemid'] ?? '0',
			content: data['content'] ?? '', format: data['format'] ?? '0', userid: user, timecreated: data['timecreated'] ?? run.now,
		}));
	}
	await run.db.insertMany('comments', rows);
	count(run, 'comments', rows.length);
}

async function restoreEvents(run: RestoreRun): Promise<void> {
	const rows: Row[] = [];
	for await (const record of records(run.backup, 'course/calendar.xml', ['/events/event'])) {
		const data = record.data;
		const oldGroup = Number(data['groupid'] ?? 0);
		const group = oldGroup ? run.ids.get('group', oldGroup) : 0;
		if (group === undefined) continue;
		const values: Record<string, string | number | null> = {...data};
		delete values['id'];
		rows.push(buildRow('event', {
			...values, courseid: run.courseId, groupid: group, userid: userId(run, Number(data['userid'] ?? 0)) ?? run.adminUserId,
			repeatid: 0, timestart: shiftDate(data['timestart'] ?? '0', run.dateOffset) ?? 0, timesort: shiftDate(data['timesort'] ?? null, run.dateOffset) ?? null,
			timemodified: run.now,
		}));
	}
	await run.db.insertMany('event', rows);
	count(run, 'events', rows.length);
}

async function restoreCompletion(run: RestoreRun): Promise<void> {
	for await (const record of records(run.backup, 'completion.xml', [
		'/course_completion/course_completion_criteria', '/course_completion/course_completion_aggr_methd'])) {
		const data = record.data;
		if (record.path.endsWith('aggr_methd')) {
			// Only when the course has no method for this criteria type yet: merging keeps the course's own.
			const type = data['criteriatype'] ?? null;
			const existing = type === null
				? await run.db.get('SELECT id FROM {course_completion_aggr_methd} WHERE course = ? AND criteriatype IS NULL', [run.courseId])
				: await run.db.get('SELECT id FROM {course_completion_aggr_methd} WHERE course = ? AND criteriatype = ?', [run.courseId, type]);
			if (existing) continue;
			await run.db.insert('course_completion_aggr_methd', buildRow('course_completion_aggr_methd', {
				course: run.courseId, criteriatype: data['criteriatype'] ?? null, method: data['method'] ?? '1', value: data['value'] ?? null,
			}));
			continue;
		}
		const values: Record<string, string | number | null> = {...data};
		delete values['id'];
		// Activity criteria point at course modules; roles and courses must exist here, else the criterion goes.
		if (data['moduleinstance']) {
			const cm = run.ids.get('course_module', Number(data['moduleinstance']));
			if (!cm) continue;
			values['moduleinstance'] = cm;
		}
		if (data['role']) {
			const role = run.roles.map.get(Number(data['role']));
			if (!role) continue;
			values['role'] = role;
		}
		values['timeend'] = shiftDate(data['timeend'] ?? null, run.dateOffset) ?? null;
		await run.db.insert('course_completion_criteria', buildRow('course_completion_criteria', {...values, course: run.courseId}));
		count(run, 'completionCriteria');
	}
}

async function restoreBadges(run: RestoreRun): Promise<void> {
	let badge = 0;
	let criterion = 0;
	for await (const record of records(run.backup, 'badges.xml', ['/badges/badge', '/badges/badge/criteria/criterion', '/badges/badge/criteria/criterion/parameters/parameter'])) {
		const data = record.data;
		const values: Record<string, string | number | null> = {...data};
		delete values['id'];
		if (record.path === '/badges/badge') {
			// Moodle restores badges inactive (BADGE_STATUS_INACTIVE) and without their issued awards.
			badge = await run.db.insert('badge', buildRow('badge', {
				...values, courseid: run.courseId, status: 0, timecreated: run.now, timemodified: run.now,
				usercreated: userId(run, Number(data['usercreated'] ?? 0)) ?? run.adminUserId, usermodified: userId(run, Number(data['usermodified'] ?? 0)) ?? run.adminUserId,
			}));
			run.ids.set('badge', Number(record.attrs['id'] ?? 0), badge);
			count(run, 'badges');
		} else if (record.path.endsWith('/criterion')) {
			criterion = await run.db.insert('badge_criteria', buildRow('badge_criteria', {...values, badgeid: badge}));
		} else {
			let name = data['name'] ?? '';
			let value = data['value'] ?? null;
			const role = /^role_(\d+)$/.exec(name);
			if (role) {
				const mapped = run.roles.map.get(Number(role[1]));
				if (!mapped) continue;
				name = `role_${mapped}`;
				value = String(mapped);
			}
			const module = /^module_(\d+)$/.exec(name);
			if (module) {
				const mapped = run.ids.get('course_module', Number(module[1]));
				if (!mapped) continue;
				name = `module_${mapped}`;
				value = String(mapped);
			}
			await run.db.insert('badge_criteria_param', buildRow('badge_criteria_param', {critid: criterion, name, value}));
		}
	}
}
