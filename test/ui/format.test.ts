import test from 'ava';
import {openRestore} from '../../source/engine/restore/restore-plan.js';
import {confirmationLines} from '../../source/ui/restore/confirm-step.js';
import {formatSize, formatTime, sectionDisplayName} from '../../source/ui/format.js';
import {treeSections} from '../../source/ui/settings-view.js';
import {translator} from '../../source/ui/i18n/index.js';
import {fixturePath} from '../helpers/fixtures.js';
import {tempServices} from './temp-site.js';

test('an unnamed section (titled by its number in moodle_backup.xml) is shown as Moodle names it; a named one as it is', t => {
	const en = translator('en');
	const fr = translator('fr');
	t.is(sectionDisplayName('0', en), 'General');
	t.is(sectionDisplayName('0', fr), 'Généralités');
	t.is(sectionDisplayName('12', en), 'Section 12');
	t.is(sectionDisplayName('Introduction', fr), 'Introduction');
	t.is(sectionDisplayName('Semaine 3', fr), 'Semaine 3');
});

test('Confirm and Schema of a real backup with unnamed sections: section names and activity types as Moodle words them', async t => {
	const {site} = await tempServices(t);
	// gen_XS_users.mbz: made by Moodle with unnamed sections, titled "0" and "1" in its moodle_backup.xml.
	const plan = await openRestore(site, fixturePath('gen_XS_users.mbz'));
	t.teardown(() => plan.close());
	const confirmation = await plan.confirm();
	t.deepEqual(confirmation.info.sections.map(section => section.title), ['0', '1']);

	const french = confirmationLines(confirmation, {lang: 'fr', t: translator('fr')}).map(line => line.text).join('\n');
	t.regex(french, /^ {2}Type : cours · Format : Moodle 2 · Mode : Général$/m);
	t.regex(french, /^ {2}\[x\] Généralités · /m);
	t.regex(french, /^ {2}\[x\] Section 1 · /m);
	t.regex(french, /^ {6}\[x\] Forum \(Forum\) · /m);
	t.regex(french, /^ {6}\[x\] Assignment 1 \(Devoir\) · /m);
	t.regex(french, /^ {6}\[x\] Small files \(Fichier\) · /m);
	t.notRegex(french, /^ {2}\[x\] [01] · /m, 'no bare section numbers');

	await plan.setDestination({target: 'new', categoryId: 1});
	const settings = plan.settings;
	const tree = treeSections(settings,
		confirmation.info.sections.map(section => ({id: section.sectionId, name: section.title})),
		confirmation.info.activities.map(activity => ({cmid: activity.cmid, modname: activity.modulename, sectionId: activity.sectionId, name: activity.title})),
		translator('en'));
	t.deepEqual(tree.map(section => section.label), ['General', 'Section 1']);
	t.true(tree.flatMap(section => section.activities).some(activity => activity.modname === 'assign' && activity.typeLabel === 'Assignment'));
});

test('sizes as the interface\'s language writes them: octets and a decimal comma in French', t => {
	t.is(formatSize(512, 'fr'), '512 o');
	t.is(formatSize(3.4 * 1048576, 'fr'), '3,4 Mo');
	t.is(formatSize(77 * 1024, 'fr'), '77 Ko');
	t.is(formatSize(3.4 * 1048576, 'en'), '3.4 MB');
});

test('times are shown in the site\'s zone when it is known, as backup names are stamped; in UTC otherwise', t => {
	const noonUtc = Date.UTC(2026, 10, 24, 12, 0) / 1000;
	t.is(formatTime(noonUtc), '2026-11-24 12:00');
	t.is(formatTime(noonUtc, 'Europe/Paris'), '2026-11-24 13:00');
	t.is(formatTime(Date.UTC(2026, 6, 1, 23, 30) / 1000, 'Europe/Paris'), '2026-07-02 01:30');
});
