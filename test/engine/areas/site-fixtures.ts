import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {CONTEXT_LEVEL, contextIdFor, createContext} from '../../../source/engine/store/contexts.js';
import {completeRow} from '../../../source/engine/store/schema/rows.js';
import {initSite, type Site} from '../../../source/engine/store/site.js';
import {initTestSite, type TestSiteLocation} from '../../helpers/site-adapters.js';

export type TempSite = {site: Site; dir: string; cleanup(): Promise<void>};

/** A fresh empty site in a temporary directory. */
export async function tempSite(): Promise<TempSite> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'mbz-areas-'));
	const site = await initSite(path.join(dir, 'site'));
	return {
		site, dir,
		async cleanup() {
			await site.close();
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

/**
 * A fresh site at a test location (SQLite or PostgreSQL) and a scratch directory for input and output files,
 * both cleaned up when the test ends.
 */
export async function siteAt(t: {teardown(fn: () => Promise<void> | void): void}, location: TestSiteLocation, options: {demo?: boolean} = {}): Promise<{site: Site; dir: string}> {
	const site = await initTestSite(location, options);
	const dir = mkdtempSync(path.join(os.tmpdir(), 'mbz-areas-scratch-'));
	t.teardown(async () => {
		await site.close();
		rmSync(dir, {recursive: true, force: true});
	});
	return {site, dir};
}

/** Adds a course (with its context under the system context) and returns its id. */
export async function addCourse(site: Site, values: {shortname: string; visible?: number; timemodified?: number}): Promise<number> {
	const id = await site.db.insert('course', completeRow('course', {
		category: 1, fullname: `Course ${values.shortname}`, shortname: values.shortname, summary: '', format: 'topics',
		visible: values.visible ?? 1, timecreated: values.timemodified ?? 1_700_000_000, timemodified: values.timemodified ?? 1_700_000_000,
	}));
	await createContext(site.db, CONTEXT_LEVEL.COURSE, id, 1);
	return id;
}

/** Adds a course module of `modname` in a course (with its module context) and returns the cmid. */
export async function addModule(site: Site, courseId: number, modname: string): Promise<number> {
	const module = await site.db.get<{id: number}>('SELECT id FROM {modules} WHERE name = ?', [modname]);
	const cmid = await site.db.insert('course_modules', completeRow('course_modules', {course: courseId, module: module!.id, instance: 1, section: 0, added: 0}));
	const courseContext = await contextIdFor(site.db, CONTEXT_LEVEL.COURSE, courseId);
	await createContext(site.db, CONTEXT_LEVEL.MODULE, cmid, courseContext!);
	return cmid;
}

/** Writes a small file with given content and returns its path. */
export function writeTemp(dir: string, name: string, content: string | Buffer): string {
	const file = path.join(dir, name);
	writeFileSync(file, content);
	return file;
}
