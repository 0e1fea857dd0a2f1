import {existsSync} from 'node:fs';
import {readdir} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {App} from '../../source/app.js';
import {listAreas, storeInArea} from '../../source/engine/areas/index.js';
import {fixturePath} from '../helpers/fixtures.js';
import {KEY, renderUi, waitFor} from './helpers.js';
import {tempServices} from './temp-site.js';

test.serial('main menu with the site in the header and the keys in the footer; q asks before quitting', async t => {
	const {site, prefs} = await tempServices(t);
	const exits: number[] = [];
	const ui = await renderUi(<App site={site} prefs={prefs} lang="en" onExit={code => exits.push(code)} />);
	await waitFor(() => /q quit/.test(ui.frame()));
	const frame = ui.frame();
	t.regex(frame, /Main menu/);
	for (const item of ['1. Back up a course', '2. Restore a backup', '3. Backup areas', '4. Automated backups', '5. Settings', '6. Quit']) t.true(frame.includes(item), item);
	t.true(frame.includes(site.location));
	t.true(frame.includes(site.identifier));
	await ui.press('q');
	t.regex(ui.frame(), /Quit mbz\? \(y = yes, n = no\)/);
	await ui.press(KEY.down);
	t.regex(ui.frame(), /› 1\. Back up a course/, 'the menu ignores keys while the question is asked');
	await ui.press('n');
	t.notRegex(ui.frame(), /Quit mbz\?/);
	await ui.press('6', KEY.enter, 'y');
	t.deepEqual(exits, [0]);
	ui.unmount();
});

test.serial('Settings: language and default backup settings are saved in the preferences; Esc goes back', async t => {
	const {site, prefs} = await tempServices(t);
	const ui = await renderUi(<App site={site} prefs={prefs} lang="en" />);
	await ui.press('5', KEY.enter);
	await waitFor(() => /Default backup settings/.test(ui.frame()));
	t.regex(ui.frame(), /› \[>\] Language: < English >/);
	await ui.press(KEY.down, KEY.space);
	t.regex(ui.frame(), /› \[ \] Include enrolled users/);
	t.is(prefs.get('backupDefaults')?.['users'], false);
	await ui.press(KEY.up, KEY.space);
	t.is(prefs.get('lang'), 'fr');
	t.regex(ui.frame(), /Réglages de sauvegarde par défaut/);
	t.regex(ui.frame(), /\[ \] Inclure les utilisateurs inscrits/);
	// Tab to the site field: letters are text there (b does not go back), Enter saves it.
	await ui.press(KEY.tab, '/srv/moodle-b');
	await ui.press(KEY.enter);
	t.is(prefs.get('site'), '/srv/moodle-b');
	t.regex(ui.frame(), /Site \(dossier ou URL postgres:\/\/\) : \/srv\/moodle-b/);
	await ui.press(KEY.escape);
	t.regex(ui.frame(), /Menu principal/);
	ui.unmount();
});

test.serial('Backup areas and Automated backups screens', async t => {
	const {site, prefs} = await tempServices(t);
	const ui = await renderUi(<App site={site} prefs={prefs} lang="en" />);
	await ui.press('3', KEY.enter);
	await waitFor(() => /No backup file in the backup areas yet/.test(ui.frame()));
	await ui.press('b');
	await ui.press('4', KEY.enter);
	t.regex(ui.frame(), /› \[x\] Only courses that are visible/);
	// The default the cron command uses (2 kept), said once.
	t.regex(ui.frame(), /Backups to keep per course: < 2 >/);
	t.regex(ui.frame(), /Skip courses not modified in the last N days: < off >/);
	await ui.press(KEY.space, KEY.down, KEY.down, KEY.right, KEY.right);
	t.is(prefs.get('automated')?.activeOnly, false);
	// The N-days rule of `mbz automated settings --skip-days`, here too.
	t.is(prefs.get('automated')?.skipModifiedDays, 7);
	t.regex(ui.frame(), /Skip courses not modified in the last N days: < 7 >/);
	await ui.press(KEY.down, KEY.right);
	t.is(prefs.get('automated')?.keep, 3);
	t.regex(ui.frame(), /Backups to keep per course: < 3 >/);
	// Down to 0, which keeps them all, and no further (it used to wrap round to 30).
	await ui.press(KEY.left, KEY.left, KEY.left, KEY.left, KEY.left);
	t.is(prefs.get('automated')?.keep, 0);
	t.regex(ui.frame(), /Backups to keep per course: < all >/);
	ui.unmount();
});

test.serial('a file of a backup area opens in the restore wizard; d deletes one after confirmation', async t => {
	const {site, prefs} = await tempServices(t);
	await storeInArea(site, {area: 'user', userId: 2}, fixturePath('rich101_nousers.mbz'), {filename: 'backup-moodle2-course-9-rich101-20261123-1850-nu.mbz'});
	await storeInArea(site, {area: 'user', userId: 2}, fixturePath('gen_XS_users.mbz'), {filename: 'backup-moodle2-course-2-gen_xs-20261123-1900.mbz'});
	const ui = await renderUi(<App site={site} prefs={prefs} lang="en" />);
	await ui.press('3', KEY.enter);
	await waitFor(() => /gen_xs/.test(ui.frame()));
	t.regex(ui.frame(), /Filename · Time · Size · Area/);
	t.regex(ui.frame(), /gen_xs-20261123-1900\.mbz · .* · private backup area/);
	t.deepEqual(ui.frame().includes('y yes'), false, 'the footer says its keys only while asking');
	await ui.press('d');
	t.true(ui.frame().includes('y yes · n no'));
	t.regex(ui.frame(), /Delete backup-moodle2-course-\d-\w+-\d{8}-\d{4}(-nu)?\.mbz\? \(y = yes, n = no\)/);
	const doomed = /Delete (\S+)\?/.exec(ui.frame())![1]!;
	await ui.press('y');
	await waitFor(() => ui.frame().includes(`Deleted ${doomed}.`));
	t.is((await listAreas(site)).length, 1);
	const copiesBefore = new Set(await readdir(tmpdir()));
	await ui.press(KEY.enter);
	await waitFor(() => /Backup details/.test(ui.frame()), 30_000);
	t.regex(ui.frame(), /\[1\. Confirm\]/);
	// The title names the file as the area does; the wizard opened a copy of it in a temporary directory of its own.
	const shown = /^Restore: (\S+)$/m.exec(ui.frame())![1]!;
	t.regex(shown, /^backup-moodle2-course-\d-\w+-\d{8}-\d{4}(-nu)?\.mbz$/);
	const copies = (await readdir(tmpdir())).filter(name => name.startsWith('mbz-wizard-') && !copiesBefore.has(name)).map(name => join(tmpdir(), name, shown)).filter(existsSync);
	t.is(copies.length, 1, 'the area file was copied out of the pool for the restore');
	const copy = copies[0]!;
	await ui.press(KEY.escape, KEY.escape);
	await waitFor(() => /Main menu/.test(ui.frame()));
	await waitFor(() => !existsSync(copy));
	t.pass('the copy is removed when the restore wizard closes');
	ui.unmount();
});

test.serial('keys typed faster than the screens change still reach the next screen', async t => {
	const {site, prefs} = await tempServices(t);
	const ui = await renderUi(<App site={site} prefs={prefs} lang="en" />);
	await waitFor(() => /q quit/.test(ui.frame()));
	// Arrows and Enter as one burst: the Settings screen opens.
	await ui.press(`${KEY.down}${KEY.down}${KEY.down}${KEY.down}${KEY.enter}`);
	t.regex(ui.frame(), /Default backup settings/);
	await ui.press('b');
	t.regex(ui.frame(), /Main menu/);
	// "4", Enter and Space in one write: Automated backups opens and the Space toggles its first setting there.
	await ui.press('4\r ');
	await waitFor(() => /\[ \] Only courses that are visible/.test(ui.frame()));
	t.is(prefs.get('automated')?.activeOnly, false);
	ui.unmount();
});

test.serial('a Common Cartridge in an area is not offered to the restore: the areas say why, the restore chooser leaves it out', async t => {
	const {site, prefs} = await tempServices(t);
	await storeInArea(site, {area: 'user', userId: 2}, fixturePath('gen_XS_users.mbz'), {filename: 'backup-moodle2-course-2-hist101-20261124-1200-nu.imscc'});
	const ui = await renderUi(<App site={site} prefs={prefs} lang="en" />);
	await ui.press('3', KEY.enter);
	await waitFor(() => /nu\.imscc/.test(ui.frame()));
	await ui.press('r');
	t.regex(ui.frame(), /An IMS Common Cartridge is for other platforms; it is not restored here/);
	await ui.press('b', '2', KEY.enter);
	await waitFor(() => /Type a path|type a path/.test(ui.frame()));
	t.notRegex(ui.frame(), /\.imscc/);
	ui.unmount();
});
