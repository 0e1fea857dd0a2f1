import {execFile} from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';
import test from 'ava';
import sqlite3 from 'sqlite3';
import {StoreError} from '../../../source/engine/errors.js';
import {SCHEMA_VERSION} from '../../../source/engine/store/schema/migrations.js';
import {siteIdentifierHash, SUPPORTED_MODULES, STANDARD_ROLES} from '../../../source/engine/store/site-install.js';
import {initSite, openSite, siteExists} from '../../../source/engine/store/site.js';
import {forEachSiteAdapter, initTestSite, openTestSite} from '../../helpers/site-adapters.js';
import {snapshot} from './snapshot.js';
import {tempDir} from './temp.js';

const run = promisify(execFile);

function sqliteExec(file: string, sql: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const db = new sqlite3.Database(file, error => {
			if (error) return reject(error);
			db.exec(sql, execError => db.close(() => (execError ? reject(execError) : resolve())));
		});
	});
}

forEachSiteAdapter('initSite creates site.db and filedir with Moodle\'s base records and identity', async (t, testLocation) => {
	const {dir, cleanup} = await tempDir('site');
	t.teardown(cleanup);
	// The SQLite variant also checks that missing parent directories are created.
	const location = testLocation.adapter === 'sqlite' ? path.join(dir, 'nested', 'site') : testLocation.location;
	t.false(await siteExists(location));
	const site = await initTestSite({...testLocation, location}, {wwwroot: 'https://moodle.example.org/'});
	t.teardown(() => site.close());
	t.true(await siteExists(location));
	if (testLocation.adapter === 'sqlite') t.deepEqual((await fs.readdir(location)).sort(), ['filedir', 'site.db']);
	else t.is(site.pool.root, testLocation.filedir!);
	t.is(site.wwwroot, 'https://moodle.example.org');
	t.regex(site.identifier, /^[A-Za-z0-9]{32}moodle\.example\.org$/);
	t.regex(siteIdentifierHash(site.identifier), /^[0-9a-f]{32}$/);
	const config = Object.fromEntries((await site.db.all<{name: string; value: string}>('SELECT name, value FROM {config}')).map(row => [row.name, row.value]));
	t.like(config, {siteidentifier: site.identifier, wwwroot: 'https://moodle.example.org', mnet_localhost_id: '1', mbz_schema_version: String(SCHEMA_VERSION)});
	const modules = await site.db.all<{name: string}>('SELECT name FROM {modules} ORDER BY name');
	t.deepEqual(modules.map(module => module.name), SUPPORTED_MODULES.map(module => module.name));
	const roles = await site.db.all<{id: number; shortname: string; archetype: string}>('SELECT id, shortname, archetype FROM {role} ORDER BY id');
	t.deepEqual(roles, STANDARD_ROLES.map(role => ({id: role.id, shortname: role.shortname, archetype: role.archetype})));
	t.deepEqual(await site.db.all('SELECT id, username FROM {user} ORDER BY id'), [{id: 1, username: 'guest'}, {id: 2, username: 'admin'}]);
	t.like(await site.db.get('SELECT id, name, path, depth FROM {course_categories}'), {id: 1, name: 'Miscellaneous', path: '/1', depth: 1});
	t.like(await site.db.get('SELECT id, format, category FROM {course}'), {id: 1, format: 'site', category: 0});
	t.deepEqual(await site.db.all('SELECT id, wwwroot, name FROM {mnet_host} ORDER BY id'), [
		{id: 1, wwwroot: 'https://moodle.example.org', name: ''},
		{id: 2, wwwroot: '', name: 'All Hosts'},
	]);
	// A second site has its own identifier.
	const other = await initSite(path.join(dir, 'other'));
	t.not(other.identifier, site.identifier);
	await other.close();
});

forEachSiteAdapter('a site reopens with the same identity', async (t, testLocation) => {
	const {location} = testLocation;
	const created = await initTestSite(testLocation);
	const identifier = created.identifier;
	await created.close();
	// A PostgreSQL site finds its file pool directory in its own config.
	const site = await openTestSite(testLocation);
	t.is(site.identifier, identifier);
	t.is(site.pool.root, testLocation.filedir ?? path.join(location, 'filedir'));
	await site.close();
});

test('--site that is a file: refused by open and init, file untouched', async t => {
	const {dir, cleanup} = await tempDir('site-file');
	t.teardown(cleanup);
	const file = path.join(dir, 'notes.txt');
	await fs.writeFile(file, 'important notes');
	const before = await snapshot(dir);
	await t.throwsAsync(openSite(file), {instanceOf: StoreError, message: /is a file, not a site directory/});
	await t.throwsAsync(initSite(file), {instanceOf: StoreError, message: /is a file, not a site directory/});
	t.deepEqual(await snapshot(dir), before);
});

test('a non-empty directory that is not a site: init refuses, open says it is not a site, nothing modified', async t => {
	const {dir, cleanup} = await tempDir('site-unrelated');
	t.teardown(cleanup);
	await fs.mkdir(path.join(dir, 'photos'));
	await fs.writeFile(path.join(dir, 'photos', 'a.jpg'), 'jpeg');
	await fs.writeFile(path.join(dir, 'todo.txt'), 'todo');
	const before = await snapshot(dir);
	const error = await t.throwsAsync(initSite(dir), {instanceOf: StoreError, message: /not empty and is not a site/});
	t.false(error.message.includes('\n'));
	await t.throwsAsync(openSite(dir), {instanceOf: StoreError, message: /not a site \(no site\.db/});
	t.deepEqual(await snapshot(dir), before);
});

test('a corrupt site.db: one-line error, file untouched', async t => {
	const {dir, cleanup} = await tempDir('site-corrupt');
	t.teardown(cleanup);
	const location = path.join(dir, 'site');
	await (await initSite(location)).close();
	const file = path.join(location, 'site.db');
	const bytes = await fs.readFile(file);
	bytes.fill(0x5a, 0, 100); // the header: no longer an SQLite file
	await fs.writeFile(file, bytes);
	const before = await snapshot(location);
	const error = await t.throwsAsync(openSite(location), {instanceOf: StoreError});
	t.regex(error.message, /not an SQLite database/);
	t.false(error.message.includes('\n'));
	t.deepEqual(await snapshot(location), before);
});

test('an SQLite file that is not an mbz site is refused', async t => {
	const {dir, cleanup} = await tempDir('site-foreign');
	t.teardown(cleanup);
	await sqliteExec(path.join(dir, 'site.db'), 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
	const before = await snapshot(dir);
	await t.throwsAsync(openSite(dir), {instanceOf: StoreError, message: /not an mbz site/});
	t.deepEqual(await snapshot(dir), before);
});

test('a site locked by another writer: "site is busy", nothing modified', async t => {
	const {dir, cleanup} = await tempDir('site-locked');
	t.teardown(cleanup);
	const location = path.join(dir, 'site');
	await (await initSite(location)).close();
	const file = path.join(location, 'site.db');
	const before = await fs.readFile(file);
	const other = new sqlite3.Database(file);
	await new Promise<void>((resolve, reject) => other.exec("BEGIN EXCLUSIVE; UPDATE mdl_config SET value = 'x' WHERE name = 'lang';", error => (error ? reject(error) : resolve())));
	try {
		const error = await t.throwsAsync(openSite(location, {busyTimeoutMs: 300}), {instanceOf: StoreError});
		t.regex(error.message, /site is busy: another mbz process is writing/);
	} finally {
		await new Promise<void>(resolve => other.exec('ROLLBACK', () => other.close(() => resolve())));
	}
	t.true((await fs.readFile(file)).equals(before));
});

test('a site written by a newer program is refused without being modified', async t => {
	const {dir, cleanup} = await tempDir('site-newer');
	t.teardown(cleanup);
	const location = path.join(dir, 'site');
	await (await initSite(location)).close();
	await sqliteExec(path.join(location, 'site.db'), `UPDATE mdl_config SET value = '${SCHEMA_VERSION + 1}' WHERE name = 'mbz_schema_version'`);
	const before = await snapshot(location);
	await new Promise(resolve => setTimeout(resolve, 20));
	const error = await t.throwsAsync(openSite(location), {instanceOf: StoreError});
	t.regex(error.message, new RegExp(`schema version ${SCHEMA_VERSION + 1} is newer than this program knows \\(${SCHEMA_VERSION}\\)`));
	t.deepEqual(await snapshot(location), before);
});

forEachSiteAdapter('a site is never initialised twice', async (t, testLocation) => {
	const {location} = testLocation;
	const first = await initTestSite(testLocation);
	await first.close();
	const before = testLocation.adapter === 'sqlite' ? await snapshot(location) : undefined;
	await t.throwsAsync(initTestSite(testLocation), {instanceOf: StoreError, message: /a site already exists here/});
	if (testLocation.adapter === 'sqlite') {
		t.deepEqual(await snapshot(location), before);
	} else {
		// The database is untouched: the first site is still there, with its identity.
		const site = await openTestSite(testLocation);
		t.is(site.identifier, first.identifier);
		await site.close();
	}
});

/** Runs open/init as an unprivileged user when the tests run as root (root ignores permissions). */
async function asUnprivileged(action: 'init' | 'open', location: string): Promise<{ok: boolean; name?: string; message?: string}> {
	const script = new URL('./open-site-child.ts', import.meta.url).pathname;
	const asRoot = process.getuid?.() === 0;
	const {stdout} = await run(process.execPath, ['--import', 'tsx', script, action, location], {
		cwd: process.cwd(),
		...(asRoot ? {uid: 65534, gid: 65534} : {}),
	});
	return JSON.parse(stdout) as {ok: boolean; name?: string; message?: string};
}

test('a read-only directory: init and open refuse it, nothing modified', async t => {
	const {dir, cleanup} = await tempDir('site-readonly');
	t.teardown(async () => {
		await fs.chmod(dir, 0o755);
		await fs.chmod(path.join(dir, 'empty'), 0o755).catch(() => undefined);
		await fs.chmod(path.join(dir, 'site'), 0o755).catch(() => undefined);
		await cleanup();
	});
	await fs.chmod(dir, 0o755);
	const empty = path.join(dir, 'empty');
	await fs.mkdir(empty, {mode: 0o555});
	await fs.chmod(empty, 0o555);
	const location = path.join(dir, 'site');
	await (await initSite(location)).close();
	await fs.chmod(path.join(location, 'site.db'), 0o444);
	await fs.chmod(location, 0o555);
	const before = await snapshot(dir);

	const init = await asUnprivileged('init', empty);
	t.false(init.ok);
	t.is(init.name, 'StoreError');
	t.regex(init.message!, /read-only/);
	const open = await asUnprivileged('open', location);
	t.false(open.ok);
	t.is(open.name, 'StoreError');
	t.regex(open.message!, /read-only/);
	t.deepEqual(await snapshot(dir), before);
});

test('what an init interrupted by a crash left behind is cleared by the next init; a running init is respected', async t => {
	const {dir, cleanup} = await tempDir('site-leftovers');
	t.teardown(cleanup);
	const location = path.join(dir, 'site');
	await fs.mkdir(path.join(location, 'filedir', '.staging', '2147483646-abc'), {recursive: true});
	await fs.writeFile(path.join(location, '.site.db.init-2147483646-0a1b2c'), 'half-written database');
	await fs.writeFile(path.join(location, '.site.db.init-2147483646-0a1b2c-journal'), 'journal');
	const site = await initSite(location);
	await site.close();
	t.deepEqual((await fs.readdir(location)).sort(), ['filedir', 'site.db']);
	t.deepEqual(await fs.readdir(path.join(location, 'filedir')), []);

	// The same names from a live process mean another init is in progress: refused, untouched.
	const busy = path.join(dir, 'busy');
	await fs.mkdir(busy);
	const parentPid = process.ppid;
	await fs.writeFile(path.join(busy, `.site.db.init-${parentPid}-0a1b2c`), 'in progress');
	const before = await snapshot(busy);
	await t.throwsAsync(initSite(busy), {instanceOf: StoreError, message: new RegExp(`another mbz process \\(pid ${parentPid}\\) is creating a site here`)});
	t.deepEqual(await snapshot(busy), before);
	// A leftover beside unrelated content still counts as unrelated content.
	const mixed = path.join(dir, 'mixed');
	await fs.mkdir(mixed);
	await fs.writeFile(path.join(mixed, 'thesis.odt'), 'mine');
	await fs.writeFile(path.join(mixed, '.site.db.init-2147483646-ffff'), 'old');
	const mixedBefore = await snapshot(mixed);
	await t.throwsAsync(initSite(mixed), {instanceOf: StoreError, message: /not empty and is not a site/});
	t.deepEqual(await snapshot(mixed), mixedBefore);
});
