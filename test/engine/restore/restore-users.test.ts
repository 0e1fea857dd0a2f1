import {execFileSync} from 'node:child_process';
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {buildRow} from '../../../source/engine/restore/table-rows.js';
import {fixture, restore, tempSite} from './restore-helpers.js';

test('created accounts get their preferences and the profile fields that exist here; mapped accounts are not updated', async (t) => {
	const work = await mkdtemp(join(tmpdir(), 'mbz-users-'));
	const {site, dispose} = await tempSite();
	try {
		const extracted = join(work, 'x');
		execFileSync('mkdir', ['-p', extracted]);
		execFileSync('tar', ['xzf', fixture('rich101_users.mbz'), '-C', extracted]);
		const usersXml = join(extracted, 'users.xml');
		let xml = await readFile(usersXml, 'utf8');
		// jdupont gets a preference and two profile fields, one of which does not exist on the target site.
		const start = xml.indexOf('<username>jdupont</username>');
		const fieldsAt = xml.indexOf('<custom_fields>', start) + '<custom_fields>'.length;
		xml = `${xml.slice(0, fieldsAt)}<custom_field id="1"><field_name>office</field_name><field_type>text</field_type><field_data>B-204</field_data></custom_field><custom_field id="2"><field_name>unknown</field_name><field_type>text</field_type><field_data>x</field_data></custom_field>${xml.slice(fieldsAt)}`;
		const preferencesAt = xml.indexOf('<preferences>', start) + '<preferences>'.length;
		xml = `${xml.slice(0, preferencesAt)}<preference id="1"><name>auth_forcepasswordchange</name><value>0</value></preference>${xml.slice(preferencesAt)}`;
		await writeFile(usersXml, xml);
		const backup = join(work, 'users.mbz');
		execFileSync('tar', ['czf', backup, '-C', extracted, ...(await readdir(extracted))]);

		await site.db.insert('user_info_field', buildRow('user_info_field', {shortname: 'office', name: 'Office', datatype: 'text', categoryid: 1}));
		// mmartin already exists here with the same email: mapped, and left as it is.
		const mmartin = await site.db.insert('user', buildRow('user', {username: 'mmartin', email: 'marie.martin@univ-example.fr', firstname: 'Marie', lastname: 'Existing', auth: 'manual', mnethostid: 1, confirmed: 1}));
		const result = await restore(site, backup, {target: 'new', categoryId: 1});
		t.true(result.usersMapped.some((user) => user.username === 'mmartin' && user.id === mmartin));
		const existing = await site.db.get<{lastname: string}>('SELECT lastname FROM {user} WHERE id = ?', [mmartin]);
		t.is(existing?.lastname, 'Existing');
		const jdupont = result.usersCreated.find((user) => user.username === 'jdupont')!;
		const data = await site.db.all<{data: string}>('SELECT data FROM {user_info_data} WHERE userid = ?', [jdupont.id]);
		t.deepEqual(data.map((row) => row.data), ['B-204']);
		const preference = await site.db.get<{value: string}>("SELECT value FROM {user_preferences} WHERE userid = ? AND name = 'auth_forcepasswordchange'", [jdupont.id]);
		t.is(preference?.value, '0');
		// Every created account has a user context.
		const contexts = await site.db.get<{n: number}>(`SELECT COUNT(*) AS n FROM {context} WHERE contextlevel = 30 AND instanceid IN (${result.usersCreated.map(() => '?').join(', ')})`, result.usersCreated.map((user) => user.id));
		t.is(Number(contexts?.n), result.usersCreated.length);
	} finally {
		await dispose();
		await rm(work, {recursive: true, force: true});
	}
});
