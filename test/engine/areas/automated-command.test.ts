import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {automatedCommand} from '../../../source/commands/automated.js';
import {UsageError} from '../../../source/engine/errors.js';
import {initSite} from '../../../source/engine/store/site.js';
import {captureStdout} from './capture-stdout.js';

test.serial('mbz automated settings and run', async t => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'mbz-automated-cmd-'));
	const previous = process.env['MBZ_CONFIG_DIR'];
	process.env['MBZ_CONFIG_DIR'] = path.join(dir, 'prefs');
	const location = path.join(dir, 'site');
	await (await initSite(location, {demo: true})).close();
	t.teardown(() => {
		if (previous === undefined) delete process.env['MBZ_CONFIG_DIR'];
		else process.env['MBZ_CONFIG_DIR'] = previous;
		rmSync(dir, {recursive: true, force: true});
	});

	const shown = await captureStdout(() => automatedCommand.run(['settings', '--json']));
	t.deepEqual(JSON.parse(shown.output), {activeOnly: true, skipUnmodified: true, skipModifiedDays: 0, keep: 2});
	const changed = await captureStdout(() => automatedCommand.run(['settings', '--keep', '1', '--no-visible-only']));
	t.regex(changed.output, /backups kept per course:\s+1/);
	t.regex(changed.output, /visible courses only:\s+no/);
	await t.throwsAsync(automatedCommand.run(['settings', '--keep', '-3']), {instanceOf: UsageError});
	await t.throwsAsync(automatedCommand.run(['run', '--keep', '3', '--site', location]), {instanceOf: UsageError});
	await t.throwsAsync(automatedCommand.run(['go']), {instanceOf: UsageError, message: /unknown action/});

	const run = await captureStdout(() => automatedCommand.run(['run', '--site', location, '--json']));
	t.is(run.result, 0);
	const report = JSON.parse(run.output) as {backedUp: number; skipped: number; settings: {activeOnly: boolean}; courses: Array<{outcome: string}>};
	t.false(report.settings.activeOnly, 'the saved settings are used');
	t.is(report.backedUp, report.courses.length, 'hidden courses too, since visible-only is off');
	const again = await captureStdout(() => automatedCommand.run(['run', '--site', location]));
	t.regex(again.output, /skipped\s+course \d+ \(\w+\): not modified since its last automated backup/);
	t.regex(again.output, /0 backed up, \d+ skipped, 0 failed, 0 old backup\(s\) deleted\./);
});
