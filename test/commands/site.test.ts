import {createHash} from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import {siteCommand} from '../../source/commands/site.js';
import {StoreError, UsageError} from '../../source/engine/errors.js';
import {snapshot} from '../engine/store/snapshot.js';
import {tempDir} from '../engine/store/temp.js';

/** Runs `mbz site ...` in-process, capturing what it writes to stdout. */
async function site(argv: string[]): Promise<{code: number; stdout: string}> {
	const chunks: string[] = [];
	const write = process.stdout.write.bind(process.stdout);
	process.stdout.write = ((chunk: string | Uint8Array) => {
		chunks.push(String(chunk));
		return true;
	}) as typeof process.stdout.write;
	try {
		const code = await siteCommand.run(argv);
		return {code, stdout: chunks.join('')};
	} finally {
		process.stdout.write = write;
	}
}

test.beforeEach(async t => {
	const {dir, cleanup} = await tempDir('site-command');
	process.env['MBZ_CONFIG_DIR'] = path.join(dir, 'config');
	delete process.env['MBZ_SITE'];
	Object.assign(t.context as object, {dir, cleanup});
});

test.afterEach.always(async t => {
	await (t.context as {cleanup: () => Promise<void>}).cleanup();
});

test.serial('site init --demo, then site info --json describes it', async t => {
	const location = path.join((t.context as {dir: string}).dir, 'demo');
	const init = await site(['init', '--site', location, '--demo']);
	t.is(init.code, 0);
	t.regex(init.stdout, /created demo site at .*: 4 courses, 250 users, \d+ files/);
	const info = await site(['info', '--site', location, '--json']);
	t.is(info.code, 0);
	const parsed = JSON.parse(info.stdout) as {identifier: string; identifierHash: string; wwwroot: string; schemaVersion: number; counts: Record<string, number>; blobs: number};
	t.is(parsed.identifierHash, createHash('md5').update(parsed.identifier).digest('hex'));
	t.is(parsed.wwwroot, 'https://mbz.localhost');
	t.is(parsed.schemaVersion, 1);
	t.is(parsed.counts['user'], 250);
	t.is(parsed.counts['course'], 5);
	t.true(parsed.counts['forum_posts']! > 0);
	t.true(parsed.blobs > 10);
	const text = await site(['info', '--site', location]);
	t.regex(text.stdout, new RegExp(`identifier hash: ${parsed.identifierHash}`));
	t.regex(text.stdout, /\n {2}user +250\n/);
});

test.serial('site init --if-missing leaves an existing site alone; without it, init refuses', async t => {
	const location = path.join((t.context as {dir: string}).dir, 'site');
	t.is((await site(['init', '--site', location, '--wwwroot', 'https://lms.example.fr'])).code, 0);
	const before = await snapshot(location);
	const again = await site(['init', '--site', location, '--demo', '--if-missing']);
	t.is(again.code, 0);
	t.regex(again.stdout, /already exists.*nothing to do/);
	t.deepEqual(await snapshot(location), before);
	await t.throwsAsync(site(['init', '--site', location]), {instanceOf: StoreError, message: /already exists/});
	const info = JSON.parse((await site(['info', '--site', location, '--json'])).stdout) as {wwwroot: string; counts: Record<string, number>};
	t.is(info.wwwroot, 'https://lms.example.fr');
	t.is(info.counts['user'], 2);
});

test.serial('the site comes from MBZ_SITE when --site is absent', async t => {
	const location = path.join((t.context as {dir: string}).dir, 'from-env');
	process.env['MBZ_SITE'] = location;
	t.is((await site(['init'])).code, 0);
	t.true((await fs.stat(path.join(location, 'site.db'))).isFile());
	const info = JSON.parse((await site(['info', '--json'])).stdout) as {location: string};
	t.is(info.location, location);
});

test.serial('bad input: a file as --site, a missing site, an unknown action', async t => {
	const file = path.join((t.context as {dir: string}).dir, 'file.txt');
	await fs.writeFile(file, 'x');
	await t.throwsAsync(site(['info', '--site', file]), {instanceOf: StoreError, message: /is a file/});
	await t.throwsAsync(site(['init', '--site', file]), {instanceOf: StoreError, message: /is a file/});
	await t.throwsAsync(site(['info', '--site', path.join((t.context as {dir: string}).dir, 'nothing')]), {instanceOf: StoreError, message: /no site here/});
	await t.throwsAsync(site(['frobnicate']), {instanceOf: UsageError, message: /unknown action "frobnicate"/});
	await t.throwsAsync(site([]), {instanceOf: UsageError});
	await t.throwsAsync(site(['info', '--demo', '--site', file]), {instanceOf: UsageError});
});
