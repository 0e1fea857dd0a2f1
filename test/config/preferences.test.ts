import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import {openPreferences} from '../../source/config.js';
import {PreferencesError} from '../../source/engine/errors.js';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'mbz-prefs-'));

test('preferences are kept between openings', t => {
	const dir = tempDir();
	openPreferences(dir).set('lang', 'fr');
	t.is(openPreferences(dir).get('lang'), 'fr');
});

test('a preferences folder that cannot be made (no writable home, as under cron) leaves the defaults; saving says where and what to do', t => {
	// A regular file where the folder should be: mkdir fails as it does without a home.
	const file = path.join(tempDir(), 'not-a-folder');
	writeFileSync(file, '');
	const prefs = openPreferences(path.join(file, 'config'));
	t.is(prefs.get('site'), undefined);
	t.throws(() => prefs.set('lang', 'fr'), {instanceOf: PreferencesError, message: /^cannot save the preferences: .*; set MBZ_CONFIG_DIR to a writable folder$/});
});

test('a damaged preferences file is one clear error naming it', t => {
	const dir = tempDir();
	writeFileSync(path.join(dir, 'config.json'), '{"lang": "fr",');
	const error = t.throws(() => openPreferences(dir), {instanceOf: PreferencesError});
	t.true(error!.message.startsWith(`${path.join(dir, 'config.json')}: the preferences file is not valid JSON`), error!.message);
	t.false(error!.message.includes('\n'));
});
