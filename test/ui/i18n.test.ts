import test from 'ava';
import {en} from '../../source/ui/i18n/en.js';
import {fr} from '../../source/ui/i18n/fr.js';
import {resolveLanguage, translate} from '../../source/ui/i18n/index.js';

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

test('language: --lang, else preferences, else LANG (fr* gives French)', t => {
	t.is(resolveLanguage('fr', 'en', {LANG: 'en_US.UTF-8'}), 'fr');
	t.is(resolveLanguage(undefined, 'fr', {LANG: 'en_US.UTF-8'}), 'fr');
	t.is(resolveLanguage(undefined, undefined, {LANG: 'fr_FR.UTF-8'}), 'fr');
	t.is(resolveLanguage(undefined, undefined, {LANG: 'de_DE.UTF-8'}), 'en');
	t.is(resolveLanguage(undefined, undefined, {}), 'en');
});
