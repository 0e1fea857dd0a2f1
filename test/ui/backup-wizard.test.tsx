import test from 'ava';
import {listAreas} from '../../source/engine/areas/index.js';
import {BackupWizard, wizardDefaults} from '../../source/ui/backup/backup-wizard.js';
import {isValidBackupFilename} from '../../source/ui/backup/confirm-step.js';
import {KEY, renderScreen, waitFor} from './helpers.js';
import {tempServices} from './temp-site.js';

test.serial('course → settings → schema → confirm, back keeps choices, Jump to final step, then the backup is stored', async t => {
	const services = await tempServices(t, {demo: true});
	let exited = 0;
	const ui = await renderScreen(<BackupWizard onExit={() => exited++} />, services);
	await waitFor(() => /Choose the course to back up/.test(ui.frame()) && /HIST101/.test(ui.frame()));
	t.deepEqual(ui.footer(), ['type to filter', '↑↓ move', 'Enter select', 'Esc back']);
	await ui.press('HIST101', KEY.enter);
	await waitFor(() => /\[1\. Initial settings\]/.test(ui.frame()));
	t.regex(ui.frame(), /\[x\] Include enrolled users/);
	t.regex(ui.frame(), /\[ \] Anonymize user information/);
	t.regex(ui.frame(), /\[j\] Jump to final step/);
	await ui.press(KEY.down, KEY.space);
	t.regex(ui.frame(), /› \[ \] Include enrolled users/);
	t.regex(ui.frame(), /\[-\] Include user role assignments \(needs: Include enrolled users\)/);
	await ui.press(KEY.enter);
	t.regex(ui.frame(), /\[2\. Schema\]/);
	t.regex(ui.frame(), /\[x\] Annonces \(Forum\)\s+\[-\] user data/, 'user data is locked without users');
	// Exclude every forum with t on the first forum (Annonces is the second row).
	await ui.press(KEY.down, 't');
	t.regex(ui.frame(), /\[ \] Annonces \(Forum\)/);
	await ui.press(KEY.enter);
	await waitFor(() => /\[3\. Confirmation and review\]/.test(ui.frame()));
	t.regex(ui.frame(), /File name: backup-moodle2-course-\d+-hist101-\d{8}-\d{4}-nu\.mbz/);
	t.regex(ui.frame(), /\(2 left out\)/);
	// Back twice: the choices are still there.
	await ui.press(KEY.escape);
	t.regex(ui.frame(), /\[ \] Annonces \(Forum\)/);
	await ui.press('b');
	t.regex(ui.frame(), /\[ \] Include enrolled users/);
	await ui.press('j');
	await waitFor(() => /\[3\. Confirmation and review\]/.test(ui.frame()));
	t.regex(ui.frame(), /\(2 left out\)/);
	await ui.press(KEY.enter);
	await waitFor(() => /successfully created/.test(ui.frame()), 60_000);
	t.regex(ui.frame(), /Stored in the user private backup area \(file id \d+\)/);
	t.regex(ui.frame(), /Size: \d/);
	const stored = await listAreas(services.site, {area: 'user'});
	t.is(stored.length, 1);
	t.regex(stored[0]!.filename, /-nu\.mbz$/);
	t.is(services.prefs.get('backupLastUsed')?.['users'], false, 'the wizard\'s next backup starts from these choices');
	// What users off only forced off is remembered as chosen: users back on brings them back.
	t.like(services.prefs.get('backupLastUsed'), {role_assignments: true, comments: true, userscompletion: true});
	// The admin's defaults, which `mbz backup` (scripts, cron) uses, are not changed by one wizard run.
	t.is(services.prefs.get('backupDefaults'), undefined);
	await ui.press(KEY.enter);
	t.is(exited, 1);
	ui.unmount();
});

test.serial('an IMS Common Cartridge is named .imscc from the confirmation on, and Complete does not send it to the restore', async t => {
	const services = await tempServices(t, {demo: true});
	const ui = await renderScreen(<BackupWizard onExit={() => undefined} />, services);
	await waitFor(() => /Choose the course to back up/.test(ui.frame()) && /HIST101/.test(ui.frame()));
	await ui.press('HIST101', KEY.enter);
	await waitFor(() => /\[1\. Initial settings\]/.test(ui.frame()));
	// The IMS CC row is the first.
	t.regex(ui.frame(), /› \[ \] IMS Common Cartridge 1\.1/);
	await ui.press(KEY.space, 'j');
	await waitFor(() => /\[3\. Confirmation and review\]/.test(ui.frame()));
	t.regex(ui.frame(), /File name: backup-moodle2-course-\d+-hist101-\d{8}-\d{4}-nu\.imscc/);
	// Said before the export: the demo course's book, choice, chat, assignment and glossary have no cartridge form.
	t.regex(ui.frame(), /! 5 activities are of a type a Common Cartridge cannot hold: left out of it/);
	await ui.press(KEY.enter);
	await waitFor(() => /successfully created/.test(ui.frame()), 60_000);
	t.regex(ui.frame(), /is for other learning platforms/);
	t.notRegex(ui.frame(), /Restore a backup/);
	const stored = await listAreas(services.site, {area: 'user'});
	t.regex(stored[0]!.filename, /-nu\.imscc$/);
	ui.unmount();
});

test('the wizard starts from the admin\'s defaults, then its last used choices, except what the admin locked', t => {
	t.deepEqual(wizardDefaults({users: true, files: true, files_locked: true}, {users: false, files: false, badges: false}),
		{users: false, files: true, files_locked: true, badges: false});
	t.deepEqual(wizardDefaults(undefined, undefined), {});
});

test('backup file names: .mbz required, no path separators', t => {
	t.true(isValidBackupFilename('backup-moodle2-course-2-hist101-20261123-1845.mbz'));
	t.false(isValidBackupFilename('backup.zip'));
	t.false(isValidBackupFilename('../x.mbz'));
	t.false(isValidBackupFilename('.mbz'));
	t.true(isValidBackupFilename('cartridge.imscc', '.imscc'));
	t.false(isValidBackupFilename('cartridge.mbz', '.imscc'));
});
