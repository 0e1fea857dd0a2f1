import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import test from 'ava';
import {cliPath, tempDir} from '../helpers/fixtures.js';
import {ensureBuilt} from './tmux.js';

test.before(() => {
	ensureBuilt();
});

test('without a terminal the wizard does not start: it points to the commands and exits 2', async t => {
	const dir = await tempDir(t, 'mbz-notty-');
	const result = spawnSync('node', [cliPath, '--site', join(dir, 'site')], {
		input: 'q\n', encoding: 'utf8', env: {...process.env, MBZ_CONFIG_DIR: join(dir, 'config'), LANG: 'C'},
	});
	t.is(result.status, 2);
	t.regex(result.stderr, /^mbz: The wizard needs an interactive terminal\. Use the commands instead: mbz --help/);
	t.is(result.stdout, '');
});

test('the message follows LANG (French)', async t => {
	const dir = await tempDir(t, 'mbz-notty-');
	const result = spawnSync('node', [cliPath], {input: '', encoding: 'utf8', env: {...process.env, MBZ_CONFIG_DIR: join(dir, 'config'), LANG: 'fr_FR.UTF-8'}});
	t.is(result.status, 2);
	t.regex(result.stderr, /L'assistant a besoin d'un terminal interactif\. Utilisez les commandes : mbz --help/);
});

test('an unknown --lang is a usage error', t => {
	const result = spawnSync('node', [cliPath, '--lang', 'de'], {input: '', encoding: 'utf8'});
	t.is(result.status, 2);
	t.regex(result.stderr, /--lang must be en or fr/);
});
