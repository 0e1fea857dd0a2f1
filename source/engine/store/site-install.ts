import {createHash, randomBytes} from 'node:crypto';
import {StoreError} from '../errors.js';
import {CONTEXT_LEVEL, createContext, createContexts, SYSTEM_CONTEXT_ID} from './contexts.js';
import type {Db} from './db.js';
import {installSchema} from './schema/migrations.js';
import {completeRow} from './schema/rows.js';

export const DEFAULT_WWWROOT = 'https://mbz.localhost';
/** Moodle 4.1.10's version number and release string, which backups written by this site carry. */
export const MOODLE_VERSION = '2022112810.00';
export const MOODLE_RELEASE_STRING = '4.1.10 (Build: 20240422)';

/** The activity types the site supports, with the version their tables follow (Moodle 4.1). */
export const SUPPORTED_MODULES: ReadonlyArray<{name: string; version: number}> = [
	{name: 'assign', version: 2022112800},
	{name: 'book', version: 2022112800},
	{name: 'chat', version: 2022112800},
	{name: 'choice', version: 2022112800},
	{name: 'folder', version: 2022112800},
	{name: 'forum', version: 2022112801},
	{name: 'glossary', version: 2022112800},
	{name: 'label', version: 2022112800},
	{name: 'page', version: 2022112800},
	{name: 'quiz', version: 2022112802},
	{name: 'resource', version: 2022112800},
	{name: 'url', version: 2022112800},
];

/** Blocks whose version the site records (the demo places some of them in courses). */
export const DEFAULT_BLOCKS: readonly string[] = ['activity_modules', 'calendar_upcoming', 'comments', 'html', 'news_items', 'online_users', 'recent_activity', 'search_forums'];

/** Moodle's standard roles, in install order (ids 1-8), with their archetypes. */
export const STANDARD_ROLES: ReadonlyArray<{id: number; shortname: string; archetype: string; levels: number[]}> = [
	{id: 1, shortname: 'manager', archetype: 'manager', levels: [CONTEXT_LEVEL.SYSTEM, CONTEXT_LEVEL.COURSECAT, CONTEXT_LEVEL.COURSE]},
	{id: 2, shortname: 'coursecreator', archetype: 'coursecreator', levels: [CONTEXT_LEVEL.SYSTEM, CONTEXT_LEVEL.COURSECAT]},
	{id: 3, shortname: 'editingteacher', archetype: 'editingteacher', levels: [CONTEXT_LEVEL.COURSE, CONTEXT_LEVEL.MODULE]},
	{id: 4, shortname: 'teacher', archetype: 'teacher', levels: [CONTEXT_LEVEL.COURSE, CONTEXT_LEVEL.MODULE]},
	{id: 5, shortname: 'student', archetype: 'student', levels: [CONTEXT_LEVEL.COURSE, CONTEXT_LEVEL.MODULE]},
	{id: 6, shortname: 'guest', archetype: 'guest', levels: []},
	{id: 7, shortname: 'user', archetype: 'user', levels: []},
	{id: 8, shortname: 'frontpage', archetype: 'frontpage', levels: []},
];

/** Which roles each archetype may assign by default (Moodle's get_default_role_archetype_allows('assign')). */
const DEFAULT_ALLOW_ASSIGN: Readonly<Record<string, string[]>> = {
	manager: ['manager', 'coursecreator', 'editingteacher', 'teacher', 'student'],
	editingteacher: ['teacher', 'student'],
};

/** Moodle's core licences (4.1). */
const LICENSES: ReadonlyArray<[string, string, string]> = [
	['unknown', 'Licence not specified', ''],
	['allrightsreserved', 'All rights reserved', 'https://en.wikipedia.org/wiki/All_rights_reserved'],
	['public', 'Public domain', 'https://en.wikipedia.org/wiki/Public_domain'],
	['cc-4.0', 'Creative Commons - 4.0 International', 'https://creativecommons.org/licenses/by/4.0/'],
	['cc-nc-4.0', 'Creative Commons - NonCommercial 4.0 International', 'https://creativecommons.org/licenses/by-nc/4.0/'],
	['cc-nd-4.0', 'Creative Commons - NoDerivatives 4.0 International', 'https://creativecommons.org/licenses/by-nd/4.0/'],
	['cc-nc-nd-4.0', 'Creative Commons - NonCommercial-NoDerivatives 4.0 International', 'https://creativecommons.org/licenses/by-nc-nd/4.0/'],
	['cc-nc-sa-4.0', 'Creative Commons - NonCommercial-ShareAlike 4.0 International', 'https://creativecommons.org/licenses/by-nc-sa/4.0/'],
	['cc-sa-4.0', 'Creative Commons - ShareAlike 4.0 International', 'https://creativecommons.org/licenses/by-sa/4.0/'],
];

export type SiteInstallOptions = {
	wwwroot?: string;
	/** Fixed identifier (tests, the deterministic demo); random like Moodle's otherwise. */
	siteIdentifier?: string;
	/** Fixed "now" for the install rows (the deterministic demo); the clock otherwise. */
	now?: number;
	siteName?: string;
};

/** Moodle's siteidentifier: random_string(32) followed by the wwwroot's host. */
export function newSiteIdentifier(wwwroot: string): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const random = [...randomBytes(32)].map(byte => alphabet[byte % alphabet.length]).join('');
	let host = '';
	try {
		host = new URL(wwwroot).hostname;
	} catch {
		throw new StoreError(`wwwroot "${wwwroot}" is not a URL`);
	}
	return `${random}${host}`;
}

/** md5 of the site identifier: what backups carry as original_site_identifier_hash. */
export function siteIdentifierHash(siteIdentifier: string): string {
	return createHash('md5').update(siteIdentifier).digest('hex');
}

async function expectId(db: Db, table: string, values: Record<string, unknown>, id: number): Promise<void> {
	const newId = await db.insert(table, completeRow(table, values as never));
	if (newId !== id) throw new StoreError(`site install: ${table} row got id ${newId}, expected ${id} (the table was not empty)`);
}

/**
 * Creates the schema and what a fresh Moodle has: config (identity, version), the modules,
 * standard roles, guest (id 1) and admin (id 2) users, the "Miscellaneous" category (id 1), the
 * site course (id 1, format site) and their contexts. Runs inside the caller's transaction.
 * Ids come from each table's own sequence (fresh tables start at 1), so it is portable.
 */
export async function installSite(db: Db, options: SiteInstallOptions = {}): Promise<{identifier: string; wwwroot: string}> {
	const wwwroot = (options.wwwroot ?? DEFAULT_WWWROOT).replace(/\/+$/, '');
	const identifier = options.siteIdentifier ?? newSiteIdentifier(wwwroot);
	const now = options.now ?? Math.floor(Date.now() / 1000);
	await installSchema(db);

	const config: Record<string, string> = {
		siteidentifier: identifier,
		wwwroot,
		version: MOODLE_VERSION,
		release: MOODLE_RELEASE_STRING,
		mnet_localhost_id: '1',
		mnet_all_hosts_id: '2',
		siteadmins: '2',
		siteguest: '1',
		defaultuserroleid: '7',
		guestroleid: '6',
		notloggedinroleid: '6',
		defaultfrontpageroleid: '8',
		defaultrequestcategory: '1',
		lang: 'en',
		timezone: 'Europe/Paris',
		sitedefaultlicense: 'unknown',
		enrol_plugins_enabled: 'manual,guest,self,cohort',
		// Moodle's defaults for what backups and restores consult.
		grade_minmaxtouse: '1',
		enablecompletion: '1',
		enableavailability: '1',
		enableoutcomes: '0',
		usetags: '1',
		enablebadges: '1',
		enablecomments: '1',
	};
	await db.insertMany('config', Object.entries(config).map(([name, value]) => ({name, value})));
	await db.insertMany(
		'config_plugins',
		[
			...SUPPORTED_MODULES.map(module => ({plugin: `mod_${module.name}`, name: 'version', value: String(module.version)})),
			{plugin: 'core_competency', name: 'enabled', value: '1'},
		],
	);
	await db.insertMany('modules', SUPPORTED_MODULES.map(module => completeRow('modules', {name: module.name, search: ''})));
	await db.insertMany(
		'license',
		LICENSES.map(([shortname, fullname, source], index) => completeRow('license', {shortname, fullname, source, enabled: 1, version: 2022120100, custom: 0, sortorder: index + 1})),
	);

	for (const role of STANDARD_ROLES) {
		await expectId(db, 'role', {name: '', shortname: role.shortname, description: '', sortorder: role.id, archetype: role.archetype}, role.id);
	}
	await db.insertMany('role_context_levels', STANDARD_ROLES.flatMap(role => role.levels.map(contextlevel => ({roleid: role.id, contextlevel}))));
	const roleId = new Map(STANDARD_ROLES.map(role => [role.shortname, role.id]));
	await db.insertMany(
		'role_allow_assign',
		Object.entries(DEFAULT_ALLOW_ASSIGN).flatMap(([from, targets]) => targets.map(target => ({roleid: roleId.get(from)!, allowassign: roleId.get(target)!}))),
	);

	// MNet: the local host is mnethostid 1 (every local user's), "All Hosts" the second row, as in Moodle.
	await expectId(db, 'mnet_application', {name: 'moodle', display_name: 'Moodle', xmlrpc_server_url: '/mnet/xmlrpc/server.php', sso_land_url: '/auth/mnet/land.php', sso_jump_url: '/auth/mnet/jump.php'}, 1);
	await expectId(db, 'mnet_host', {wwwroot, ip_address: '127.0.0.1', name: '', public_key: '', applicationid: 1}, 1);
	await expectId(db, 'mnet_host', {wwwroot: '', ip_address: '', name: 'All Hosts', public_key: '', applicationid: 1}, 2);

	const host = new URL(wwwroot).hostname;
	await expectId(db, 'user', {username: 'guest', auth: 'manual', confirmed: 1, mnethostid: 1, firstname: 'Guest user', lastname: ' ', email: 'root@localhost', description: 'This user is a special user that allows read-only access to some courses.', timemodified: now}, 1);
	await expectId(db, 'user', {username: 'admin', auth: 'manual', confirmed: 1, mnethostid: 1, firstname: 'Admin', lastname: 'User', email: `admin@${host}`, timecreated: 0, timemodified: now}, 2);

	await expectId(db, 'tag_coll', {name: null, isdefault: 1, component: null, sortorder: 0, searchable: 1, customurl: null}, 1);
	await db.insertMany('config_plugins', DEFAULT_BLOCKS.map(name => ({plugin: `block_${name}`, name: 'version', value: '2022112800'})));

	await db.insertMany('scale', [
		completeRow('scale', {courseid: 0, userid: 0, name: 'Separate and Connected ways of knowing', scale: 'Mostly separate knowing,Separate and connected,Mostly connected knowing', description: 'The scale based on the theory of separate and connected knowing.', descriptionformat: 1, timemodified: now}),
		completeRow('scale', {courseid: 0, userid: 0, name: 'Default competence scale', scale: 'Not yet competent,Competent', description: 'A binary rating scale.', descriptionformat: 1, timemodified: now}),
	]);

	const systemContext = await createContext(db, CONTEXT_LEVEL.SYSTEM, 0, null);
	if (systemContext !== SYSTEM_CONTEXT_ID) throw new StoreError(`site install: the system context got id ${systemContext}, expected 1`);

	await expectId(db, 'course', {category: 0, sortorder: 1, fullname: options.siteName ?? 'mbz site', shortname: 'mbz', summary: '', format: 'site', visible: 1, timecreated: now, timemodified: now}, 1);
	await createContext(db, CONTEXT_LEVEL.COURSE, 1, SYSTEM_CONTEXT_ID);
	await db.insertMany('course_sections', [completeRow('course_sections', {course: 1, section: 0, name: null, summary: '', summaryformat: 1, sequence: '', visible: 1, timemodified: now})]);

	await expectId(db, 'course_categories', {name: 'Miscellaneous', parent: 0, sortorder: 10000, coursecount: 0, visible: 1, visibleold: 1, timemodified: now, depth: 1, path: '/1'}, 1);
	await createContext(db, CONTEXT_LEVEL.COURSECAT, 1, SYSTEM_CONTEXT_ID);
	await createContexts(db, CONTEXT_LEVEL.USER, [1, 2], SYSTEM_CONTEXT_ID);
	return {identifier, wwwroot};
}
