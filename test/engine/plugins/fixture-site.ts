/** Test fixtures for the plugin tests: an extracted real backup and a fresh site with a course to restore into. */
import {execFileSync} from 'node:child_process';
import {createReadStream} from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {readXmlFile} from '../../../source/engine/xml/read-xml-records.js';
import {CONTEXT_LEVEL, createContext} from '../../../source/engine/store/contexts.js';
import {FilePool, type PoolStaging} from '../../../source/engine/store/file-pool.js';
import {IdMap} from '../../../source/engine/store/id-map.js';
import {completeRow} from '../../../source/engine/store/schema/rows.js';
import {installSite} from '../../../source/engine/store/site-install.js';
import {openSqliteDb} from '../../../source/engine/store/sqlite-db.js';
import type {Db} from '../../../source/engine/store/db.js';
import type {RestoreActivityContext} from '../../../source/engine/plugins/types.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures');

/** Extracts a fixture .mbz (tar.gz) into a temp directory with the system tar. */
export async function extractFixture(name: string): Promise<string> {
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mbz-plugins-xml-'));
	execFileSync('tar', ['xzf', path.join(fixtures, name), '-C', dir]);
	return dir;
}

export type TestSite = {db: Db; pool: FilePool; staging: PoolStaging; idMap: IdMap; courseId: number; courseContextId: number; dir: string; close(): Promise<void>};

/**
 * A fresh site with one course (its sections mapped from the backup's section ids), the backup's users created
 * and mapped in the id map, and every blob of the backup staged in a staging area of the pool.
 */
export async function freshSite(xmlDir: string): Promise<TestSite> {
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mbz-plugins-site-'));
	const db = await openSqliteDb(path.join(dir, 'site.sqlite'), {create: true});
	await installSite(db, {wwwroot: 'https://target.example', siteIdentifier: 'test'});
	const pool = new FilePool(path.join(dir, 'filedir'));
	const staging = pool.openStaging();
	const idMap = new IdMap();
	const courseId = await db.insert('course', completeRow('course', {category: 1, fullname: 'Target', shortname: 'T1', summary: '', format: 'topics'}));
	const courseContextId = await createContext(db, CONTEXT_LEVEL.COURSE, courseId, 1);
	idMap.set('course', 9, courseId);
	await db.insert('grade_categories', completeRow('grade_categories', {courseid: courseId, fullname: '?', depth: 1, path: null, timecreated: 0, timemodified: 0}));
	// Sections: one per section number seen in the activities' module.xml.
	const activities = await fs.readdir(path.join(xmlDir, 'activities'));
	for (const activity of activities) {
		for await (const record of readXmlFile(path.join(xmlDir, 'activities', activity, 'module.xml'), {file: 'fixture', entry: 'module.xml', paths: ['/module']})) {
			const oldSection = Number(record.data.sectionid);
			if (idMap.has('course_section', oldSection)) continue;
			const sectionId = await db.insert('course_sections', completeRow('course_sections', {course: courseId, section: Number(record.data.sectionnumber), summary: '', sequence: ''}));
			idMap.set('course_section', oldSection, sectionId);
		}
	}
	for await (const record of readXmlFile(path.join(xmlDir, 'users.xml'), {file: 'fixture', entry: 'users.xml', paths: ['/users/user']})) {
		const userId = await db.insert('user', completeRow('user', {username: `restored_${record.data.username}`, firstname: record.data.firstname ?? '', lastname: record.data.lastname ?? '', email: record.data.email ?? '', mnethostid: 1, confirmed: 1}));
		idMap.set('user', Number(record.attrs.id), userId);
	}
	let groupingId = 0;
	for await (const record of readXmlFile(path.join(xmlDir, 'groups.xml'), {file: 'fixture', entry: 'groups.xml', paths: ['/groups/group', '/groups/groupings/grouping', '/groups/groupings/grouping/grouping_groups/grouping_group']})) {
		if (record.name === 'grouping_group') {
			const groupid = idMap.get('group', Number(record.data.groupid));
			if (groupid) await db.insert('groupings_groups', completeRow('groupings_groups', {groupingid: groupingId, groupid, timeadded: 0}));
			continue;
		}
		const isGroup = record.name === 'group';
		const table = isGroup ? 'groups' : 'groupings';
		const id = await db.insert(table, completeRow(table, {courseid: courseId, name: record.data.name ?? '', idnumber: record.data.idnumber ?? '', timecreated: 0, timemodified: 0}));
		idMap.set(isGroup ? 'group' : 'grouping', Number(record.attrs.id), id);
		if (!isGroup) groupingId = id;
	}
	for (const role of [1, 2, 3, 4, 5, 6, 7, 8]) idMap.set('role', role, role);
	const filesDir = path.join(xmlDir, 'files');
	for (const first of await fs.readdir(filesDir).catch(() => [] as string[])) {
		for (const blob of await fs.readdir(path.join(filesDir, first))) await staging.stage(createReadStream(path.join(filesDir, first, blob)), blob);
	}
	return {db, pool, staging, idMap, courseId, courseContextId, dir, close: async () => {
		await db.close();
		await fs.rm(dir, {recursive: true, force: true});
	}};
}

export function restoreContext(site: TestSite, xmlDir: string, warnings: string[] = [], userinfo = true): RestoreActivityContext {
	return {
		db: site.db,
		idMap: site.idMap,
		pool: site.pool,
		staging: site.staging,
		xmlDir,
		file: 'fixture.mbz',
		courseId: site.courseId,
		courseContextId: site.courseContextId,
		userinfo,
		settings: {},
		originalWwwroot: 'http://localhost/moodle',
		targetWwwroot: 'https://target.example',
		warn: message => warnings.push(String(message)),
		cache: {},
	};
}

export async function count(db: Db, table: string, where = '1 = 1', params: Array<string | number> = []): Promise<number> {
	const row = await db.get<{n: number}>(`SELECT COUNT(*) AS n FROM {${table}} WHERE ${where}`, params);
	return Number(row?.n ?? 0);
}
