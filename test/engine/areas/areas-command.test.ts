import {readFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {storeInArea} from '../../../source/engine/areas/index.js';
import {UsageError} from '../../../source/engine/errors.js';
import {areasCommand} from '../../../source/commands/areas.js';
import {captureStdout} from './capture-stdout.js';
import {addCourse, tempSite, writeTemp} from './site-fixtures.js';

test.serial('mbz areas list / export / delete', async t => {
	const {site, dir, cleanup} = await tempSite();
	t.teardown(cleanup);
	const courseId = await addCourse(site, {shortname: 'HIST'});
	const otherId = await addCourse(site, {shortname: 'GEO'});
	const stored = await storeInArea(site, {area: 'course', courseId}, writeTemp(dir, 'a.mbz', 'course backup'), {filename: 'a.mbz'});
	await storeInArea(site, {area: 'automated', courseId: otherId}, writeTemp(dir, 'b.mbz', 'auto backup'), {filename: 'b.mbz'});
	const location = path.join(dir, 'site');

	const table = await captureStdout(() => areasCommand.run(['list', '--site', location]));
	t.is(table.result, 0);
	t.regex(table.output, /^ID\s+AREA\s+COURSE/);
	t.regex(table.output, /course\s+\d+\s+13\s+.*a\.mbz/);
	t.regex(table.output, /automated.*b\.mbz/);

	const json = await captureStdout(() => areasCommand.run(['list', '--site', location, '--course', String(courseId), '--json']));
	const parsed = JSON.parse(json.output) as {files: Array<{id: number; filename: string; area: string}>};
	t.deepEqual(parsed.files.map(file => [file.id, file.filename, file.area]), [[stored.id, 'a.mbz', 'course']]);

	const out = path.join(dir, 'exported.mbz');
	const exported = await captureStdout(() => areasCommand.run(['export', String(stored.id), '--out', out, '--site', location]));
	t.is(exported.result, 0);
	t.is(readFileSync(out, 'utf8'), 'course backup');

	const deleted = await captureStdout(() => areasCommand.run(['delete', String(stored.id), '--site', location]));
	t.regex(deleted.output, /Deleted a\.mbz \(course area\)/);
	const after = await captureStdout(() => areasCommand.run(['list', '--site', location, '--json']));
	t.deepEqual((JSON.parse(after.output) as {files: Array<{filename: string}>}).files.map(file => file.filename), ['b.mbz']);

	await t.throwsAsync(areasCommand.run(['delete', String(stored.id), '--site', location]), {instanceOf: UsageError, message: /no backup file with id/});
	await t.throwsAsync(areasCommand.run(['export', '1', '--site', location]), {instanceOf: UsageError, message: /--out/});
	await t.throwsAsync(areasCommand.run(['frobnicate', '--site', location]), {instanceOf: UsageError, message: /unknown action/});
	await t.throwsAsync(areasCommand.run(['delete', 'abc', '--site', location]), {instanceOf: UsageError, message: /not a valid backup file id/});
	await t.throwsAsync(areasCommand.run(['list', '--course', '999', '--site', location]), {instanceOf: UsageError, message: 'course 999 does not exist on this site'});
	// A folder that does not exist: named, without the temporary name the copy was written under.
	const other = await captureStdout(() => areasCommand.run(['list', '--site', location, '--json']));
	const remaining = (JSON.parse(other.output) as {files: Array<{id: number}>}).files[0]!.id;
	const missing = path.join(dir, 'no-such-folder', 'x.mbz');
	const error = await t.throwsAsync(areasCommand.run(['export', String(remaining), '--out', missing, '--site', location]));
	t.is(error?.message, `cannot write ${missing}: no such directory: ${path.dirname(missing)}`);
});
