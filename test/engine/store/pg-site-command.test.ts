/**
 * `mbz site init|info` on PostgreSQL, with the location from --site, MBZ_SITE or the preferences, and the file
 * pool from --filedir or the preferences at init (recorded in the site afterwards). Runs when MBZ_TEST_PG is set.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {siteCommand} from '../../../source/commands/site.js';
import {openPreferences} from '../../../source/config.js';
import {UsageError} from '../../../source/engine/errors.js';
import {captureStdout} from '../areas/capture-stdout.js';
import {createPgSchemaLocation, testPgUrl} from '../../helpers/site-adapters.js';

async function withEnvironment(values: Record<string, string | undefined>, work: () => Promise<void>): Promise<void> {
	const saved = Object.fromEntries(Object.keys(values).map(key => [key, process.env[key]]));
	for (const [key, value] of Object.entries(values)) {
		if (value === undefined) delete process.env[key];
		else process.env[key] = value;
	}
	try {
		await work();
	} finally {
		for (const [key, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[key];
			else process.env[key] = value;
		}
	}
}

test.serial('--filedir is refused for a directory site, which keeps its files inside', async t => {
	const config = await fs.mkdtemp(path.join(os.tmpdir(), 'mbz-config-'));
	t.teardown(() => fs.rm(config, {recursive: true, force: true}));
	await withEnvironment({MBZ_CONFIG_DIR: config, MBZ_SITE: undefined}, async () => {
		await t.throwsAsync(siteCommand.run(['init', '--site', path.join(config, 'site'), '--filedir', '/tmp/elsewhere']), {instanceOf: UsageError, message: /--filedir applies to PostgreSQL sites/});
	});
});

if (testPgUrl) {
	test.serial('site init and info on a postgres:// location given with --site, then MBZ_SITE', async t => {
		const site = await createPgSchemaLocation();
		const config = await fs.mkdtemp(path.join(os.tmpdir(), 'mbz-config-'));
		t.teardown(async () => {
			await site.cleanup();
			await fs.rm(config, {recursive: true, force: true});
		});
		await withEnvironment({MBZ_CONFIG_DIR: config, MBZ_SITE: undefined}, async () => {
			await t.throwsAsync(siteCommand.run(['init', '--site', site.location]), {instanceOf: UsageError, message: /--filedir DIR/});
			const init = await captureStdout(() => siteCommand.run(['init', '--site', site.location, '--filedir', site.filedir!]));
			t.is(init.result, 0);
			t.regex(init.output, /^created site at postgres:\/\/.*: 0 courses, 2 users, 0 files/);
			const again = await captureStdout(() => siteCommand.run(['init', '--if-missing', '--site', site.location, '--filedir', site.filedir!]));
			t.regex(again.output, /site already exists/);
		});
		await withEnvironment({MBZ_CONFIG_DIR: config, MBZ_SITE: site.location}, async () => {
			const info = await captureStdout(() => siteCommand.run(['info']));
			t.is(info.result, 0);
			t.regex(info.output, /^server: +PostgreSQL \d+\.\d+.* at [^,]+, database \w+, schema mbz_t_\w+, prefix mdl_$/m);
			t.regex(info.output, new RegExp(`^file pool: +${site.filedir!.replaceAll('/', '\\/')} \\(0 files, 0 bytes\\)$`, 'm'));
			t.regex(info.output, /^ {2}user +2$/m);
			const json = JSON.parse((await captureStdout(() => siteCommand.run(['info', '--json']))).output) as {server: string; counts: Record<string, number>};
			t.regex(json.server, /^PostgreSQL /);
			t.is(json.counts['course'], 1);
		});
	});

	test.serial('the preferences give the site URL and, at init, the file pool directory', async t => {
		const site = await createPgSchemaLocation();
		const config = await fs.mkdtemp(path.join(os.tmpdir(), 'mbz-config-'));
		t.teardown(async () => {
			await site.cleanup();
			await fs.rm(config, {recursive: true, force: true});
		});
		await withEnvironment({MBZ_CONFIG_DIR: config, MBZ_SITE: undefined}, async () => {
			const preferences = openPreferences();
			preferences.set('site', site.location);
			preferences.set('filedir', site.filedir!);
			t.is((await captureStdout(() => siteCommand.run(['init']))).result, 0);
			// Afterwards the site knows its pool even when the preference is gone.
			preferences.set('filedir', undefined);
			const info = await captureStdout(() => siteCommand.run(['info']));
			t.regex(info.output, new RegExp(`^file pool: +${site.filedir!.replaceAll('/', '\\/')} `, 'm'));
		});
	});
}
