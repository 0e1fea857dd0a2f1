import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {planBackup} from '../../../source/engine/backup/plan-backup.js';
import {runBackup} from '../../../source/engine/backup/run-backup.js';
import {initSite} from '../../../source/engine/store/site.js';

/** Every entry of a written .mbz, by path, read back with the system tar. */
function entries(file: string): Map<string, string> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'mbz-noquirk-x-'));
	try {
		execFileSync('tar', ['xzf', file, '-C', dir]);
		const names = execFileSync('tar', ['tzf', file], {encoding: 'utf8'}).split('\n').filter(name => name.endsWith('.xml'));
		return new Map(names.map(name => [name, execFileSync('cat', [path.join(dir, name)], {encoding: 'utf8'})]));
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}

const count = (text: string | undefined, pattern: RegExp) => (text?.match(pattern) ?? []).length;

test('the admin defaults behind Moodle\'s quirk produce a consistent "no users" backup here', async t => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'mbz-noquirk-'));
	const site = await initSite(path.join(dir, 'site'), {demo: true});
	t.teardown(async () => {
		await site.close();
		rmSync(dir, {recursive: true, force: true});
	});
	const courseId = 2;
	const write = async (name: string, adminDefaults?: Record<string, boolean>) => {
		const {plan} = await planBackup(site.db, 'course', courseId, adminDefaults ? {adminDefaults} : {});
		const result = await runBackup(site, {type: 'course', id: courseId, settings: plan, destination: {dir: path.join(dir, name)}});
		return entries(result.path!);
	};

	// Reference: a default backup of the same course does carry the user data the quirk leaks.
	const full = await write('full');
	t.true(count(full.get('course/roles.xml'), /<assignment id=/g) > 0);
	t.true(full.has('users.xml'));
	const completions = (files: Map<string, string>) => [...files].filter(([name]) => name.endsWith('/completion.xml')).reduce((sum, [, text]) => sum + count(text, /<completion id=/g), 0);
	t.true(completions(full) > 0);

	// Moodle's quirk: users=0 first, then role_assignments/comments/userscompletion=1 applied on top.
	const quirk = await write('quirk', {users: false, role_assignments: true, comments: true, userscompletion: true});
	const main = quirk.get('moodle_backup.xml')!;
	for (const name of ['users', 'role_assignments', 'comments', 'userscompletion', 'anonymize', 'logs', 'grade_histories']) {
		t.regex(main, new RegExp(`<name>${name}</name>\\s*<value>0</value>`), name);
	}
	t.false(quirk.has('users.xml'));
	t.is(count(quirk.get('course/roles.xml'), /<assignment id=/g), 0);
	for (const [name, text] of quirk) {
		if (name.endsWith('/roles.xml')) t.is(count(text, /<assignment id=/g), 0, name);
		if (name.endsWith('/comments.xml')) t.is(count(text, /<comment id=/g), 0, name);
		if (name.endsWith('/completion.xml')) t.is(count(text, /<completion id=/g), 0, name);
	}
	t.is(completions(quirk), 0);
	t.regex(main, /<name>backup-moodle2-course-2-[^<]*-nu\.mbz<\/name>/);
});
