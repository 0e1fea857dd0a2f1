import test from 'ava';
import {en} from '../../source/ui/i18n/en.js';
import {fr} from '../../source/ui/i18n/fr.js';
import {NOTICES_FR} from '../../source/ui/i18n/notices-fr.js';
import {noticeIn, resolveLanguage, translate, translator} from '../../source/ui/i18n/index.js';
import {notice, NOTICE_TEMPLATES, type NoticeCode} from '../../source/engine/notices.js';
import {WIZARD_NOTICES_EN} from '../../source/ui/i18n/notices-en.js';

test('the English and French tables have exactly the same keys, none empty, same placeholders', t => {
	t.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
	for (const [key, text] of Object.entries(en)) {
		const french = fr[key as keyof typeof en];
		t.true(french.length > 0, key);
		const placeholders = (value: string) => [...value.matchAll(/\{(\w+)\}/gu)].map(match => match[1]).sort();
		t.deepEqual(placeholders(french), placeholders(text), key);
	}
});

test('French uses Moodle\'s terms for the restore steps', t => {
	t.is(translate('fr', 'steps.confirm'), 'Confirmer');
	t.is(translate('fr', 'steps.settings'), 'Réglages');
	t.is(translate('fr', 'steps.schema'), 'Schéma');
	t.is(translate('fr', 'steps.review'), 'Revoir');
	t.is(translate('fr', 'steps.process'), 'Effectuer la restauration');
	t.is(translate('fr', 'steps.complete'), 'Terminer');
	t.is(translate('fr', 'restore.manualEnrolments'), 'Restaurer comme inscription manuelle');
	t.is(translate('fr', 'backup.title'), 'Sauvegarde');
	t.is(translate('fr', 'restore.title'), 'Restauration');
});

test('parameters are substituted', t => {
	t.is(translate('en', 'checklist.needs', {setting: 'Include enrolled users'}), 'needs: Include enrolled users');
});

test('counted words agree with their number: English singular for 1, French for 0 and 1', t => {
	t.is(translate('en', 'restore.enrolUsers', {count: 1}), '1 user enrolment');
	t.is(translate('en', 'restore.enrolUsers', {count: 0}), '0 user enrolments');
	t.is(translate('en', 'restore.reviewEnrolCounts', {methods: 1, enrolments: 2}), '1 enrolment method · 2 user enrolments');
	t.is(translate('fr', 'restore.enrolUsersLost', {count: 1}), '1 inscription d\'utilisateurs perdue');
	t.is(translate('fr', 'restore.enrolUsersLost', {count: 0}), '0 inscription d\'utilisateurs perdue');
	t.is(translate('fr', 'restore.enrolUsersLost', {count: 5}), '5 inscriptions d\'utilisateurs perdues');
	t.is(translate('en', 'backup.summaryContent', {sections: 1, activities: 3, excluded: 0}), 'Included: 1 section, 3 activities (0 left out)');
});

test('language: --lang, else preferences, else LANG (fr* gives French)', t => {
	t.is(resolveLanguage('fr', 'en', {LANG: 'en_US.UTF-8'}), 'fr');
	t.is(resolveLanguage(undefined, 'fr', {LANG: 'en_US.UTF-8'}), 'fr');
	t.is(resolveLanguage(undefined, undefined, {LANG: 'fr_FR.UTF-8'}), 'fr');
	t.is(resolveLanguage(undefined, undefined, {LANG: 'de_DE.UTF-8'}), 'en');
	t.is(resolveLanguage(undefined, undefined, {}), 'en');
});

test('every engine notice has a French sentence with the same values, and it is translated', t => {
	const placeholders = (value: string) => [...value.matchAll(/\{(\w+)\}/gu)].map(match => match[1]).sort();
	for (const [code, english] of Object.entries(NOTICE_TEMPLATES)) {
		const french = NOTICES_FR[code as NoticeCode];
		t.deepEqual(placeholders(french), placeholders(english), code);
		// Only a sentence made of values alone (a username and its reason) reads the same in both languages.
		if (english.replaceAll(/\{\w+\}/gu, '').replaceAll(/[\s();"]/gu, '') !== '') t.not(french, english, code);
		// The wizard names its own settings, never the command's flags.
		t.notRegex(french, /--[a-z]/u, code);
		const wizardEnglish = WIZARD_NOTICES_EN[code as NoticeCode] ?? english;
		t.deepEqual(placeholders(wizardEnglish), placeholders(english), code);
		t.notRegex(wizardEnglish, /--[a-z]/u, code);
	}
});

test('an engine notice in the interface\'s language: nested notices translated, enrolment plugins by Moodle\'s name', t => {
	const dropped = notice('enrolDroppedLosingUsers', {
		dropped: notice('enrolDropped', {method: notice('enrolMethodNamed', {plugin: 'cohort', name: 'Promo'}), why: notice('cohortMissing', {cohortId: 5})}),
		count: 1, users: 'jdupont',
	});
	t.is(noticeIn({lang: 'fr', t: translator('fr')}, dropped), 'méthode d\'inscription Synchronisation des cohortes « Promo » non restaurée : la cohorte id 5'
		+ ' n\'existe pas sur ce site ; 1 utilisateur(s) perdent l\'accès au cours : jdupont (pour les garder : le réglage « Restaurer comme inscription manuelle »)');
	t.regex(noticeIn({lang: 'en', t: translator('en')}, dropped), /^enrolment method Cohort sync "Promo" dropped: cohort id 5 does not exist on this site; 1 user\(s\) lose access/);
	t.is(noticeIn({lang: 'fr', t: translator('fr')}, notice('text', {text: 'a plugin\'s own words'})), 'a plugin\'s own words');
});
