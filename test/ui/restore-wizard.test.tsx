import test, {type ExecutionContext} from 'ava';
import type {Site} from '../../source/engine/store/site.js';
import {completeRow} from '../../source/engine/store/schema/rows.js';
import {RestoreWizard} from '../../source/ui/restore/restore-wizard.js';
import {initialRestoreState, restoreWizardReducer} from '../../source/ui/restore/restore-state.js';
import {translate, type MessageKey} from '../../source/ui/i18n/index.js';
import {stepBarParts} from '../../source/ui/widgets/step-bar/step-bar.js';
import {fitRow, shortenMiddle} from '../../source/ui/widgets/fit-row.js';
import {fixturePath} from '../helpers/fixtures.js';
import {KEY, renderScreen, waitFor} from './helpers.js';
import {tempServices} from './temp-site.js';

/** Opens `file` in the wizard and goes as a new course in the first category to the Settings step. */
async function newCourseSettings(t: ExecutionContext, file: string, options: {lang?: 'en' | 'fr'; layout?: {columns: number; rows: number; bodyRows: number}} = {}): Promise<Awaited<ReturnType<typeof renderScreen>>> {
	const services = await tempServices(t);
	const ui = await renderScreen(<RestoreWizard initialFile={fixturePath(file)} onExit={() => undefined} />, services, options);
	const fr = options.lang === 'fr';
	await waitFor(() => (fr ? /Détails de la sauvegarde/ : /Backup details/).test(ui.frame()), 30_000);
	await ui.press(KEY.enter);
	await waitFor(() => (fr ? /Restaurer comme nouveau cours/ : /\[2\. Destination\]/).test(ui.frame()));
	await ui.press(KEY.enter);
	await waitFor(() => /Miscellaneous/.test(ui.frame()));
	await ui.press(KEY.enter);
	await waitFor(() => (fr ? /\[3\. Réglages\]/ : /\[3\. Settings\]/).test(ui.frame()));
	return ui;
}

async function rowCounts(site: Site): Promise<string> {
	const counts = [];
	for (const table of ['course', 'course_modules', 'user', 'files', 'context']) {
		counts.push((await site.db.get<{n: number}>(`SELECT COUNT(*) AS n FROM {${table}}`))!.n);
	}
	return counts.join(',');
}

test.serial('Confirm → Destination → Settings → Schema → Review on a real backup, with nothing written', async t => {
	const services = await tempServices(t);
	const before = await rowCounts(services.site);
	const ui = await renderScreen(<RestoreWizard initialFile={fixturePath('rich101_users.mbz')} onExit={() => undefined} />, services);
	await waitFor(() => /Backup details/.test(ui.frame()), 30_000);
	let frame = ui.frame();
	t.regex(frame, /\[1\. Confirm\] ► 2\. Destination ► 3\. Settings ► 4\. Schema ► 5\. Review ► 6\. Process ► 7\. Complete/);
	t.regex(frame, /! This backup comes from another platform \(http:\/\/localhost\/moodle\)/);
	t.regex(frame, /Users to create: 15/);
	t.regex(frame, /Contents: 15 users, 13 files/);
	t.regex(frame, /Enrolment methods: Manual enrolments 1, Guest access 1, Self enrolment 1, Cohort sync 1/);
	t.regex(frame, /Type: course · Format: Moodle 2 · Mode: General/, "format and mode as Moodle words them");
	// The Confirm page scrolls.
	await ui.press(KEY.down);
	t.regex(ui.frame(), /↑ … 1 more/);
	await ui.press(KEY.enter);
	t.regex(ui.frame(), /\[2\. Destination\]/);
	t.regex(ui.frame(), /› 1\. Restore as a new course/);
	t.regex(ui.frame(), /3\. Delete the contents of the existing course and then restore/);
	await ui.press(KEY.enter);
	await waitFor(() => /Choose the category of the new course/.test(ui.frame()) && /Miscellaneous/.test(ui.frame()));
	await ui.press(KEY.enter);
	await waitFor(() => /\[3\. Settings\]/.test(ui.frame()));
	frame = ui.frame();
	t.regex(frame, /› \[x\] Include enrolled users/);
	t.regex(frame, /\[>\] Include enrolment methods: < Yes, but only if users are included >/);
	t.regex(frame, /\[-\] Include course logs \(not in the backup\)/);
	await ui.press(KEY.down, KEY.right);
	t.regex(ui.frame(), /Include enrolment methods: < Yes, always >/);
	await ui.press(KEY.enter);
	frame = ui.frame();
	t.regex(frame, /\[4\. Schema\]/);
	t.regex(frame, /Course name: Rich fixture course – Histoire & Géographie/);
	t.regex(frame, /Course short name: RICH101/);
	t.regex(frame, /Course start date \(YYYY-MM-DD\): 2024-09-02/);
	t.regex(frame, /\[x\] Announcements \(Forum\)\s+\[x\] user data/);
	// Tab to the course name, Tab to the short name, type, Tab to the start date, fix it, Tab back to the tree.
	await ui.press(KEY.tab, KEY.tab, '-COPY', KEY.tab);
	await ui.press(KEY.backspace, KEY.backspace, '15', KEY.tab);
	t.notRegex(ui.frame(), /Write the date as YYYY-MM-DD/);
	await ui.press(KEY.down, 'u');
	t.regex(ui.frame(), /\[x\] Announcements \(Forum\)\s+\[ \] user data/);
	await ui.press(KEY.enter);
	await waitFor(() => /\[5\. Review\]/.test(ui.frame()), 30_000);
	frame = ui.frame();
	t.regex(frame, /Destination: Restore as a new course \(Category: Miscellaneous, id 1\)/);
	t.regex(frame, /Course: Rich fixture course – Histoire & Géographie \(RICH101-COPY\), starts 2024-09-15/);
	t.regex(frame, /Cohort enrolments whose cohort is not on this site/);
	t.regex(frame, /nothing has been written yet/);
	t.is(await rowCounts(services.site), before, 'nothing is written before Process');
	// Back to Settings: the enrolment choice is kept.
	await ui.press(KEY.escape, KEY.escape);
	t.regex(ui.frame(), /Include enrolment methods: < Yes, always >/);
	ui.unmount();
});

test.serial('the restore wizard speaks French with Moodle\'s terms', async t => {
	const services = await tempServices(t);
	const ui = await renderScreen(<RestoreWizard initialFile={fixturePath('rich101_nousers.mbz')} onExit={() => undefined} />, services, {lang: 'fr', layout: {columns: 140}});
	await waitFor(() => /Détails de la sauvegarde/.test(ui.frame()), 30_000);
	t.regex(ui.frame(), /\[1\. Confirmer\] ► 2\. Destination ► 3\. Réglages ► 4\. Schéma ► 5\. Revoir ► 6\. Effectuer la restauratio/);
	const labels = ['confirm', 'destination', 'settings', 'schema', 'review', 'process', 'complete'].map(step => translate('fr', `steps.${step}` as MessageKey));
	t.is(stepBarParts(labels, 6, 140).map(part => part.text).join(' ► '),
		'1. Confirmer ► 2. Destination ► 3. Réglages ► 4. Schéma ► 5. Revoir ► 6. Effectuer la restauration ► [7. Terminer]');
	t.regex(ui.frame(), /La sauvegarde ne contient pas d'utilisateurs/);
	t.regex(ui.frame(), /Restauration : .*rich101_nousers\.mbz/);
	t.regex(ui.frame(), /Type : cours · Format : Moodle 2 · Mode : Général/);
	await ui.press(KEY.enter);
	t.regex(ui.frame(), /Restaurer comme nouveau cours/);
	t.regex(ui.frame(), /Supprimer le contenu du cours existant puis restaurer/);
	ui.unmount();
});

test.serial('with no backup in the areas, Tab stays on the path field: what is typed next still goes there', async t => {
	const services = await tempServices(t);
	const ui = await renderScreen(<RestoreWizard onExit={() => undefined} />, services);
	await waitFor(() => /No backup file in the backup areas yet/.test(ui.frame()));
	t.notRegex(ui.footer().join(' '), /Tab/);
	await ui.press(KEY.tab, '/srv/a.mbz');
	t.regex(ui.frame(), /Type the path of a \.mbz file: \/srv\/a\.mbz/);
	ui.unmount();
});

test.serial('a file that is not a backup: the wizard says so and stays on the first step', async t => {
	const services = await tempServices(t);
	const ui = await renderScreen(<RestoreWizard initialFile={fixturePath('MANIFEST.md')} onExit={() => undefined} />, services);
	await waitFor(() => /The backup could not be read/.test(ui.frame()), 30_000);
	t.regex(ui.frame(), /\[1\. Confirm\]/);
	t.regex(ui.frame(), /Type the path of a \.mbz file/);
	ui.unmount();
});

test.serial('a large backup being opened shows how much of it has been read, in bytes, until Confirm appears', async t => {
	const services = await tempServices(t);
	const ui = await renderScreen(<RestoreWizard initialFile={fixturePath('gen_S_users.mbz')} onExit={() => undefined} />, services);
	await waitFor(() => /Backup details/.test(ui.frame()), 30_000);
	// 9.1 MB read a megabyte at a time: the frames drawn while it was read show the bar part-way.
	const partWay = ui.frames.filter(frame => /\] (\d+)% [\d.]+ MB\/9\.1 MB/.test(frame) && !/\] 100%/.test(frame));
	t.true(partWay.length > 0, 'a frame with the archive part-read');
	t.regex(partWay[0]!, /Reading the backup…/);
	t.notRegex(ui.frame(), /Reading the backup…/);
	ui.unmount();
});

test('the opening bar keeps the time it started (for the time left) and is gone once the backup is open or fails', t => {
	let state = restoreWizardReducer(initialRestoreState, {type: 'busy'});
	state = restoreWizardReducer(state, {type: 'openingProgress', done: 1, total: 10, now: 1000});
	state = restoreWizardReducer(state, {type: 'openingProgress', done: 5, total: 10, now: 3000});
	t.deepEqual(state.opening, {done: 5, total: 10, startedAt: 1000});
	t.is(restoreWizardReducer(state, {type: 'error', error: 'x'}).opening, undefined);
	t.is(restoreWizardReducer(state, {type: 'busy'}).opening, undefined);
});

test.serial('username conflicts are shown on Confirm with the advice; Review blocks until users are left out', async t => {
	const services = await tempServices(t);
	const host = await services.site.db.get<{value: string}>(`SELECT value FROM {config} WHERE name = 'mnet_localhost_id'`);
	await services.site.db.insert('user', completeRow('user', {
		username: 'jdupont', email: 'someone.else@example.org', firstname: 'Jeanne', lastname: 'Dupont', auth: 'manual',
		confirmed: 1, mnethostid: Number(host?.value ?? 1), firstaccess: 0,
	}));
	const ui = await renderScreen(<RestoreWizard initialFile={fixturePath('rich101_users.mbz')} onExit={() => undefined} />, services);
	await waitFor(() => /Backup details/.test(ui.frame()), 30_000);
	t.regex(ui.frame(), /! 1 username conflict\(s\): jdupont/);
	t.regex(ui.frame(), /restore WITHOUT user data/);
	await ui.press(KEY.enter, KEY.enter);
	await waitFor(() => /Miscellaneous/.test(ui.frame()));
	await ui.press(KEY.enter);
	await waitFor(() => /\[3\. Settings\]/.test(ui.frame()));
	await ui.press(KEY.enter, KEY.enter);
	await waitFor(() => /\[5\. Review\]/.test(ui.frame()), 30_000);
	t.regex(ui.frame(), /✗ Cannot restore as configured/);
	t.regex(ui.frame(), /Users: ✗ Users to create: \d+ · to map to existing accounts: \d+ · in conflict: 1/);
	t.notRegex(ui.frame(), /nothing has been written yet/);
	// Back to Settings: choose "Restore without user data" for conflicts.
	await ui.press(KEY.escape, KEY.escape);
	t.regex(ui.frame(), /\[3\. Settings\]/);
	await ui.press(KEY.pageDown, KEY.pageDown);
	await waitFor(() => /› \[>\] When usernames conflict: < Stop/.test(ui.frame()));
	await ui.press(KEY.right);
	t.regex(ui.frame(), /When usernames conflict: < Restore without user data >/);
	await ui.press(KEY.enter, KEY.enter);
	await waitFor(() => /\[5\. Review\]/.test(ui.frame()), 30_000);
	t.notRegex(ui.frame(), /Cannot restore as configured/);
	t.regex(ui.frame(), /nothing has been written yet/);
	ui.unmount();
});

test.serial('Destination: merge into an existing course picked from the list (type to filter)', async t => {
	const services = await tempServices(t, {demo: true});
	const ui = await renderScreen(<RestoreWizard initialFile={fixturePath('rich101_nousers.mbz')} onExit={() => undefined} />, services);
	await waitFor(() => /Backup details/.test(ui.frame()), 30_000);
	await ui.press(KEY.enter);
	await ui.press(KEY.down, KEY.enter);
	await waitFor(() => /Choose the course to restore into/.test(ui.frame()) && /HIST101/.test(ui.frame()));
	t.regex(ui.frame(), /Merge the backup course into the existing course/);
	await ui.press('LITT');
	t.regex(ui.frame(), /› Littérature française du XIXe siècle LITT201/);
	t.notRegex(ui.frame(), /HIST101/);
	await ui.press(KEY.enter);
	await waitFor(() => /\[3\. Settings\]/.test(ui.frame()), 30_000);
	await ui.press(KEY.pageDown, KEY.pageDown);
	t.regex(ui.frame(), /Overwrite course configuration/);
	// Back to the course list: Esc returns to the three destinations with "merge" still chosen.
	await ui.press(KEY.escape);
	t.regex(ui.frame(), /› 2\. Merge the backup course into the existing course/);
	ui.unmount();
});

test.serial('an activity backup goes into a new or an existing course, never "delete then restore"', async t => {
	const services = await tempServices(t);
	const ui = await renderScreen(<RestoreWizard initialFile={fixturePath('rich101_activity_forum_users.mbz')} onExit={() => undefined} />, services);
	await waitFor(() => /Backup details/.test(ui.frame()), 30_000);
	t.regex(ui.frame(), /Type: activity/);
	await ui.press(KEY.enter);
	t.regex(ui.frame(), /› 2\. Merge the backup course into the existing course/, 'merging is proposed first, as Moodle does');
	t.regex(ui.frame(), /1\. Restore as a new course/);
	t.notRegex(ui.frame(), /Delete the contents/);
	// As a new course: the schema has no course fields to show, and the activity sits under "Activities".
	await ui.press(KEY.up, KEY.enter);
	await waitFor(() => /Choose the category of the new course/.test(ui.frame()) && /Miscellaneous/.test(ui.frame()));
	await ui.press(KEY.enter);
	await waitFor(() => /\[3\. Settings\]/.test(ui.frame()));
	await ui.press(KEY.enter);
	await waitFor(() => /\[4\. Schema\]/.test(ui.frame()));
	t.notRegex(ui.frame(), /Course settings/);
	t.regex(ui.frame(), /^› +Activities$/m);
	t.regex(ui.frame(), /\[x\] .+ \(Forum\)/);
	ui.unmount();
});

test.serial('a backup chosen from a backup area is named by its file name, not by the temporary copy the wizard opens', async t => {
	const services = await tempServices(t);
	const {storeInArea} = await import('../../source/engine/areas/backup-areas.js');
	await storeInArea(services.site, {area: 'user', userId: 2}, fixturePath('gen_XS_users.mbz'), {filename: 'backup-moodle2-course-2-gen_xs-20240101-1200.mbz'});
	const ui = await renderScreen(<RestoreWizard onExit={() => undefined} />, services);
	await waitFor(() => /backup-moodle2-course-2-gen_xs-20240101-1200\.mbz/.test(ui.frame()));
	await ui.press(KEY.enter);
	await waitFor(() => /Backup details/.test(ui.frame()), 30_000);
	t.regex(ui.frame(), /^Restore: backup-moodle2-course-2-gen_xs-20240101-1200\.mbz$/m);
	t.notRegex(ui.frame(), /mbz-wizard-/, 'no temporary path');
	ui.unmount();
});

test.serial('Schema: an empty or too long course name is refused where it is typed, in the interface\'s language', async t => {
	const ui = await newCourseSettings(t, 'gen_XS_users.mbz');
	await ui.press(KEY.enter);
	await waitFor(() => /\[4\. Schema\]/.test(ui.frame()));
	// Tab to the course name, Tab to the short name (GEN_XS), erase it, try to leave the field.
	await ui.press(KEY.tab, KEY.tab, ...Array.from({length: 6}, () => KEY.backspace), KEY.tab);
	t.regex(ui.frame(), /^Course short name: required\.$/m);
	t.regex(ui.frame(), /^› Course short name:$/m, 'the field keeps the focus');
	t.is(ui.frame().split('\n').filter(line => line.startsWith('›')).length, 1, 'one cursor: the tree shows none meanwhile');
	await ui.press('A'.repeat(101), KEY.tab);
	t.regex(ui.frame(), /^Course short name: at most 100 characters \(101 typed\)\.$/m);
	await ui.press(KEY.backspace, KEY.tab);
	t.notRegex(ui.frame(), /at most 100 characters/);
	// The start date: a day the calendar lacks is told apart from a badly written date.
	await ui.press(KEY.backspace.repeat(10), '2025-02-30', KEY.tab);
	t.regex(ui.frame(), /^2025-02-30 is not a date of the calendar\.$/m);
	await ui.press(KEY.backspace.repeat(10), '30/02/2025', KEY.tab);
	t.regex(ui.frame(), /^Write the date as YYYY-MM-DD\.$/m);
	ui.unmount();
});

test.serial('Schema: a course name longer than the screen stays on its line; the short name and the sections keep theirs', async t => {
	const ui = await newCourseSettings(t, 'gen_XS_users.mbz', {layout: {columns: 100, rows: 24, bodyRows: 18}});
	await ui.press(KEY.enter);
	await waitFor(() => /\[4\. Schema\]/.test(ui.frame()));
	const before = ui.frame().split('\n').length;
	await ui.press(KEY.tab, ' Cours très long'.repeat(15));
	const lines = ui.frame().split('\n');
	t.is(lines.length, before, 'no line added');
	// The field scrolls: the end being typed is in view, "…" where the start is hidden.
	const field = lines.find(line => line.startsWith('› Course name: '));
	t.regex(field ?? '', /^› Course name: ….*Cours très long ?$/);
	t.true(Array.from(field!).length <= 100);
	t.true(lines.some(line => /^ {2}Course short name: GEN_XS$/.test(line)));
	t.true(lines.some(line => /General/.test(line)), 'the first section is still shown');
	ui.unmount();
});

test.serial('at 80 columns a setting row keeps its chosen value and its lock reason whole; the label gives way', async t => {
	const ui = await newCourseSettings(t, 'rich101_users.mbz', {lang: 'fr', layout: {columns: 80, rows: 24, bodyRows: 18}});
	await ui.press(KEY.up, KEY.space);
	const frame = ui.frame();
	t.regex(frame, /\[>\] Inclure les .*… : < Oui, mais seulement si les utilisateurs sont inclus >$/m);
	t.regex(frame, /\(nécessite : Inclure les utilisateurs inscrits\)$/m, 'a lock reason is read whole');
	for (const line of frame.split('\n')) t.true(Array.from(line).length <= 80, line);
	// Schema: a long activity name gives way to its type and its user-data box.
	await ui.press(KEY.enter);
	await waitFor(() => /\[4\. Schéma\]/.test(ui.frame()));
	const label = ui.frame().split('\n').find(line => line.includes('(Zone texte et média)') && line.includes('Introduction'));
	t.truthy(label);
	t.regex(label!, /… \(Zone texte et média\) {2}\[[x-]\] données utilisateur$/);
	t.true(Array.from(label!).length <= 80);
	ui.unmount();
});

test.serial('Settings: "No, restore users as manual enrolments" ticks and locks the rescue of missing cohorts, saying why', async t => {
	const ui = await newCourseSettings(t, 'rich101_users.mbz', {lang: 'fr', layout: {columns: 100, rows: 30, bodyRows: 24}});
	const rescue = (): string => ui.frame().split('\n').find(line => line.includes('Restaurer comme inscription manuelle')) ?? '';
	t.regex(rescue(), /\[ \] Restaurer comme inscription manuelle/);
	const enrolmentsRow = ui.frame().split('\n').findIndex(line => line.includes('Inclure les méthodes d\'inscription'));
	const cursorRow = ui.frame().split('\n').findIndex(line => line.startsWith('›') || line.startsWith('>'));
	t.true(enrolmentsRow > 0);
	const moves = enrolmentsRow - Math.max(cursorRow, 0);
	await ui.press(...Array.from({length: Math.abs(moves)}, () => (moves > 0 ? KEY.down : KEY.up)), KEY.left);
	await waitFor(() => /Non, restaurer les utilisateurs/.test(ui.frame()));
	t.regex(rescue(), /\[x\] Restaurer comme inscription manuel.*\(déjà assuré par : Inclure les méthodes d'inscription\)$/);
	await ui.press(KEY.right);
	await waitFor(() => /\[ \] Restaurer comme inscription manuelle/.test(rescue()));
	t.notRegex(rescue(), /déjà assuré/);
	ui.unmount();
});

test('shortenMiddle: a file name keeps its start and its end', t => {
	t.is(shortenMiddle('backup-moodle2-course-9-rich101-20261123-1850-nu.mbz', 80), 'backup-moodle2-course-9-rich101-20261123-1850-nu.mbz');
	const short = shortenMiddle('backup-moodle2-course-9-rich101-20261123-1850-nu.mbz', 30);
	t.is(Array.from(short).length, 30);
	t.true(short.startsWith('backup-moodle2-'));
	t.true(short.endsWith('1850-nu.mbz'));
	t.true(short.includes('…'));
});

test('fitRow: the label is shortened before the value, the value only when nothing else fits', t => {
	t.is(fitRow('Include enrolled users', ': < Yes >', 80), 'Include enrolled users: < Yes >');
	t.is(fitRow('Inclure les méthodes d\'inscription', ' : < Oui, toujours >', 40), 'Inclure les méthode… : < Oui, toujours >');
	const narrow = fitRow('Inclure les méthodes d\'inscription', ' : < Oui, mais seulement si les utilisateurs sont inclus >', 60);
	t.is(Array.from(narrow).length, 60);
	t.regex(narrow, /^Inclure les… : < Oui, mais .+…$/);
	t.true(Array.from(fitRow('x'.repeat(50), ` (${'y'.repeat(100)})`, 40)).length <= 40);
});

test.serial('an unreadable backup is said in the interface\'s language, the file named as it is', async t => {
	const services = await tempServices(t);
	const missing = '/nonexistent/sauvegarde.mbz';
	const ui = await renderScreen(<RestoreWizard initialFile={missing} onExit={() => undefined} />, services, {lang: 'fr'});
	await waitFor(() => /Impossible de lire la sauvegarde/.test(ui.frame()), 30_000);
	t.regex(ui.frame(), /Impossible de lire la sauvegarde : \/nonexistent\/sauvegarde\.mbz : fichier introuvable/);
	ui.unmount();
	const english = await renderScreen(<RestoreWizard initialFile={missing} onExit={() => undefined} />, services);
	await waitFor(() => /could not be read/.test(english.frame()), 30_000);
	t.regex(english.frame(), /The backup could not be read: \/nonexistent\/sauvegarde\.mbz: no such file/);
	english.unmount();
});
