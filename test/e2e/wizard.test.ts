import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {exportAreaFile, listAreas} from '../../source/engine/areas/index.js';
import {readArchive} from '../../source/engine/archive/read-archive.js';
import {initSite, openSite} from '../../source/engine/store/site.js';
import {cliPath, fixturePath, tempDir} from '../helpers/fixtures.js';
import {ensureBuilt, hasTmux, TmuxTerminal} from './tmux.js';
import {generateSyntheticBackup} from '../../bench/synthetic-backup.js';

const tmuxPresent = hasTmux();
if (!tmuxPresent) console.warn('tmux is not installed: the end-to-end wizard tests in a real terminal are skipped (apt-get install tmux).');
const e2e = tmuxPresent ? test.serial : test.serial.skip;

test.before(() => {
	if (tmuxPresent) ensureBuilt();
});

/**
 * Starts the wizard on `siteDir` in a 100×30 tmux terminal, as an admin runs the installed `mbz` (the built file
 * itself, through its runtime lines); the exit code is written to `<dir>/exit-code`.
 */
function startWizard(t: {teardown(fn: () => void): void}, dir: string, siteDir: string, lang = 'en', env: Record<string, string> = {NO_COLOR: '1'}): TmuxTerminal {
	const terminal = new TmuxTerminal();
	t.teardown(() => terminal.kill());
	terminal.start(`sh -c '${cliPath} --site ${siteDir} --lang ${lang}; echo $? > ${join(dir, 'exit-code')}; sleep 2'`, {
		MBZ_CONFIG_DIR: join(dir, 'config'), TZ: 'UTC', ...env,
	});
	return terminal;
}

async function waitForExitCode(dir: string, timeoutMs = 10_000): Promise<number> {
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		try {
			return Number(readFileSync(join(dir, 'exit-code'), 'utf8').trim());
		} catch {
			await new Promise(resolve => setTimeout(resolve, 100));
		}
	}
	throw new Error('the wizard did not exit');
}

e2e('the main menu opens on the site, navigates to a screen and back, and q asks before quitting', async t => {
	const dir = await tempDir(t, 'mbz-e2e-');
	const site = await initSite(join(dir, 'site'));
	const identifier = site.identifier;
	await site.close();
	// CI set in the environment, as on a build machine: the wizard still draws every frame on a terminal.
	const terminal = startWizard(t, dir, join(dir, 'site'), 'en', {NO_COLOR: '1', CI: 'true'});
	let screen = await terminal.waitFor(/› 1\. Back up a course[\s\S]*↑↓ move .*q quit/);
	t.true(screen.includes(join(dir, 'site')), 'the header names the site');
	t.true(screen.includes(identifier.slice(0, 12)), 'the header shows the site identifier');
	t.regex(screen, /6\. Quit/);
	t.notRegex(terminal.capture(true), /\u001b\[(?:3[0-7]|9[0-7]|7)m/u, 'NO_COLOR: no colour or inverse sequences');
	await terminal.keys('Down', 'Down', 'Down', 'Down', 'Enter');
	screen = await terminal.waitFor(/Default backup settings/);
	t.regex(screen, /Include enrolled users/);
	await terminal.keys('Escape');
	await terminal.waitFor(/› 5\. Settings/);
	await terminal.keys('q');
	await terminal.waitFor(/Quit mbz\? \(y = yes, n = no\)/);
	await terminal.keys('n');
	await terminal.waitFor(/› 5\. Settings/);
	t.notRegex(terminal.capture(), /Quit mbz\?/);
	await terminal.keys('q', 'y');
	t.is(await waitForExitCode(dir), 0);
});

e2e('a backup with a changed setting and an excluded activity: the archive lacks both', async t => {
	const dir = await tempDir(t, 'mbz-e2e-');
	const created = await initSite(join(dir, 'site'), {demo: true});
	await created.close();
	const terminal = startWizard(t, dir, join(dir, 'site'));
	await terminal.waitFor(/› 1\. Back up a course/);
	await terminal.keys('Enter');
	await terminal.waitFor(/Choose the course to back up/);
	await terminal.type('HIST101');
	await terminal.waitFor(/› Histoire médiévale/);
	await terminal.keys('Enter');
	await terminal.waitFor(/\[1\. Initial settings\]/);
	// "Include enrolled users" is the second row (after IMS Common Cartridge): switch it off.
	await terminal.keys('Down', 'Space');
	let screen = await terminal.waitFor(/› \[ \] Include enrolled users/);
	t.regex(screen, /\[-\] Anonymize user information \(needs: Include enrolled users\)/);
	await terminal.keys('Enter');
	await terminal.waitFor(/\[2\. Schema\]/);
	await terminal.keys('/');
	await terminal.type('Forum de discussion');
	await terminal.keys('Enter');
	await terminal.waitFor(/Filter: Forum de discussion/);
	await terminal.keys('Down', 'Space');
	screen = await terminal.waitFor(/\[ \] Forum de discussion \(Forum\)/);
	await terminal.keys('Escape');
	await terminal.waitFor(/Annonces/);
	await terminal.keys('Enter');
	screen = await terminal.waitFor(/File name: backup-moodle2-course-\d+-hist101-\d{8}-\d{4}-nu\.mbz/);
	t.regex(screen, /\(1 left out\)/);
	await terminal.keys('Enter');
	screen = await terminal.waitFor(/The backup file was successfully created/, 60_000);
	t.regex(screen, /user private backup area/);

	const site = await openSite(join(dir, 'site'));
	try {
		const [file] = await listAreas(site, {area: 'user'});
		t.truthy(file, 'the backup is in the user private area');
		const mbz = join(dir, file!.filename);
		await exportAreaFile(site, file!.id, mbz);
		const entries: string[] = [];
		let mainXml = '';
		await readArchive(mbz, async entry => {
			entries.push(entry.path);
			if (entry.path === 'moodle_backup.xml') {
				const chunks: Buffer[] = [];
				for await (const chunk of entry.content) chunks.push(chunk as Buffer);
				mainXml = Buffer.concat(chunks).toString('utf8');
			}
		});
		t.false(entries.includes('users.xml') && /<name>users<\/name>\s*<value>1<\/value>/u.test(mainXml));
		t.regex(mainXml, /<name>users<\/name>\s*<value>0<\/value>/u, 'the users setting is off in the backup');
		t.false(mainXml.includes('<title>Forum de discussion</title>'), 'the excluded forum is not listed');
		t.true(mainXml.includes('<title>Annonces</title>'), 'the other forum is');
		const forumDirs = new Set(entries.filter(path => /^activities\/forum_\d+\//u.test(path)).map(path => path.split('/')[1]));
		t.is(forumDirs.size, 1, 'one forum directory is left in the archive');
	} finally {
		await site.close();
	}
});

e2e('a full restore of a real Moodle backup with only the keyboard: the course is then in the site', async t => {
	const dir = await tempDir(t, 'mbz-e2e-');
	const created = await initSite(join(dir, 'site'));
	await created.close();
	const terminal = startWizard(t, dir, join(dir, 'site'));
	await terminal.waitFor(/› 1\. Back up a course/);
	await terminal.keys('Down', 'Enter');
	await terminal.waitFor(/Type the path of a \.mbz file/);
	await terminal.type(fixturePath('rich101_users.mbz'));
	await terminal.keys('Enter');
	let screen = await terminal.waitFor(/Backup details/, 30_000);
	t.regex(screen, /\[1\. Confirm\] ► 2\. Destination/);
	t.regex(screen, /another platform \(http:\/\/localhost\/moodle\)/);
	await terminal.keys('Enter');
	await terminal.waitFor(/\[2\. Destination\]/);
	await terminal.keys('Enter');
	await terminal.waitFor(/Choose the category of the new course/);
	await terminal.keys('Enter');
	await terminal.waitFor(/\[3\. Settings\]/);
	await terminal.keys('Enter');
	screen = await terminal.waitFor(/\[4\. Schema\]/);
	t.regex(screen, /Course short name: RICH101/);
	await terminal.keys('Enter');
	screen = await terminal.waitFor(/\[5\. Review\]/, 30_000);
	t.regex(screen, /nothing has been written yet/);
	await terminal.keys('Enter');
	screen = await terminal.waitFor(/\[7\. Complete\]/, 120_000);
	t.regex(screen, /Course restored: Rich fixture course/, screen);
	t.regex(screen, /participants/);

	const site = await openSite(join(dir, 'site'));
	try {
		const course = await site.db.get<{id: number; fullname: string}>('SELECT id, fullname FROM {course} WHERE shortname = ?', ['RICH101']);
		t.truthy(course);
		t.is(course!.fullname, 'Rich fixture course – Histoire & Géographie');
		const modules = await site.db.get<{n: number}>('SELECT COUNT(*) AS n FROM {course_modules} WHERE course = ?', [course!.id]);
		t.is(Number(modules!.n), 17);
	} finally {
		await site.close();
	}
});

e2e('going back keeps every choice: settings changed, back to Confirm, forward again', async t => {
	const dir = await tempDir(t, 'mbz-e2e-');
	const created = await initSite(join(dir, 'site'));
	await created.close();
	const terminal = startWizard(t, dir, join(dir, 'site'));
	await terminal.waitFor(/› 1\. Back up a course/);
	await terminal.keys('Down', 'Enter');
	await terminal.waitFor(/Type the path of a \.mbz file/);
	await terminal.type(fixturePath('rich101_users.mbz'));
	await terminal.keys('Enter');
	await terminal.waitFor(/Backup details/, 30_000);
	await terminal.keys('Enter');
	await terminal.waitFor(/› 1\. Restore as a new course/);
	await terminal.keys('Enter');
	await terminal.waitFor(/Choose the category of the new course/);
	await terminal.keys('Enter');
	await terminal.waitFor(/\[3\. Settings\]/);
	await terminal.keys('Space');
	let screen = await terminal.waitFor(/› \[ \] Include enrolled users/);
	t.regex(screen, /\[-\] Include user role assignments/);
	// The terminal shrinks to 80×24: the screen re-lays out (the step bar keeps only the current step's name).
	terminal.resize(80, 24);
	await terminal.waitFor(/1 ► 2 ► \[3\. Settings\] ► 4 ► 5 ► 6 ► 7/);
	await terminal.keys('Enter');
	await terminal.waitFor(/\[4\. Schema\]/);
	// Back: Schema → Settings → Destination (category list) → Destination menu → Confirm.
	await terminal.keys('Escape');
	screen = await terminal.waitFor(/\[3\. Settings\]/);
	t.regex(screen, /› \[ \] Include enrolled users/);
	await terminal.keys('b');
	await terminal.waitFor(/\[2\. Destination\]/);
	await terminal.keys('b');
	await terminal.waitFor(/\[1\. Confirm\]/);
	// Forward again: the same destination keeps the settings chosen after it.
	await terminal.keys('Enter');
	await terminal.waitFor(/› 1\. Restore as a new course/);
	await terminal.keys('Enter');
	await terminal.waitFor(/Choose the category of the new course/);
	await terminal.keys('Enter');
	screen = await terminal.waitFor(/\[3\. Settings\]/);
	t.regex(screen, /\[ \] Include enrolled users/);
	t.regex(screen, /\[-\] Include user role assignments/);
	await terminal.keys('q', 'y');
	t.is(await waitForExitCode(dir), 0);
});

e2e('Ctrl-C during Process cancels the restore: it is rolled back and the wizard says so', async t => {
	const dir = await tempDir(t, 'mbz-e2e-');
	const created = await initSite(join(dir, 'site'));
	await created.close();
	// A course whose activities take seconds to write: a forum of 30,000 posts.
	const backup = await generateSyntheticBackup({dir: join(dir, 'backup'), users: 500, forums: 1, postsPerForum: 30_000, pages: 3, smallFiles: 3, largeFiles: 0});
	const terminal = startWizard(t, dir, join(dir, 'site'));
	await terminal.waitFor(/› 1\. Back up a course/);
	await terminal.keys('Down', 'Enter');
	await terminal.waitFor(/Type the path of a \.mbz file/);
	await terminal.type(backup.file);
	await terminal.keys('Enter');
	await terminal.waitFor(/Backup details/, 60_000);
	for (const step of [/› 1\. Restore as a new course/, /Choose the category of the new course/, /\[3\. Settings\]/, /\[4\. Schema\]/]) {
		await terminal.keys('Enter');
		await terminal.waitFor(step, 30_000);
	}
	await terminal.keys('Enter');
	await terminal.waitFor(/nothing has been written yet/, 60_000);
	await terminal.keys('Enter');
	// Cancelled while the forum's posts are written (in the middle of the transaction).
	await terminal.waitFor(/\[6\. Process\][\s\S]*Activities/, 60_000);
	await terminal.keys('C-c');
	const screen = await terminal.waitFor(/cancelled and rolled back/, 60_000);
	t.regex(screen, /\[7\. Complete\]/);
	t.true(terminal.alive(), 'Ctrl-C cancelled the restore, not the program');

	const site = await openSite(join(dir, 'site'));
	try {
		t.is(await site.db.get('SELECT id FROM {course} WHERE shortname = ?', ['SYNTH']), undefined, 'nothing of the course is left');
		t.is(await site.db.get('SELECT id FROM {forum_posts}'), undefined, 'no post is left');
	} finally {
		await site.close();
	}
	await terminal.keys('Enter');
	await terminal.waitFor(/Main menu[\s\S]*› 2\. Restore a backup/);
});
