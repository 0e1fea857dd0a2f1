import {Readable} from 'node:stream';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {readXmlRecords} from '../../../source/engine/xml/read-xml-records.js';
import {UserAnonymizer} from '../../../source/engine/backup/anonymizer.js';
import {planBackup} from '../../../source/engine/backup/plan-backup.js';
import {runBackup} from '../../../source/engine/backup/run-backup.js';
import {forEachSiteAdapter, initTestSite} from '../../helpers/site-adapters.js';
import {readAllEntries, tempDir} from './archive-contents.js';
import {seedCourse} from './seed-course.js';

test('the anonymizer numbers users as Moodle does and keeps ids and non-personal fields', t => {
	const anonymizer = new UserAnonymizer();
	const first = anonymizer.anonymize({id: 7, username: 'jdoe', email: 'j@x.org', firstname: 'J', lastname: 'Doe', city: 'Paris', country: 'FR', lastip: '1.2.3.4', idnumber: 'X1', description: 'bio', descriptionformat: 1, picture: 5, auth: 'ldap', lang: 'fr', timezone: 'Europe/Paris'});
	const second = anonymizer.anonymize({id: 9, username: 'asmith', email: 'a@x.org', firstname: 'A', lastname: 'Smith', middlename: null});
	t.deepEqual(first, {
		id: 7, username: 'anon1', email: 'anon1@doesntexist.invalid', firstname: 'anonfirstname1', lastname: 'anonlastname1',
		city: 'Perth', country: 'AU', lastip: '127.0.0.1', idnumber: '', description: '', descriptionformat: 0, picture: 0,
		auth: 'manual', lang: 'fr', timezone: 'Europe/Paris',
	});
	t.is(second['username'], 'anon2');
	t.is(second['middlename'], 'anonmiddlename2');
	t.false('city' in second, 'fields the record lacks stay absent');
});

forEachSiteAdapter('an anonymized backup carries no personal data of the course\'s users anywhere in the archive', async (t, location) => {
	const dir = await tempDir('mbz-backup-anon-');
	const site = await initTestSite(location);
	t.teardown(async () => {
		await site.close();
		await fs.promises.rm(dir, {recursive: true, force: true});
	});
	const seeded = await seedCourse(site);
	const {plan} = await planBackup(site.db, 'course', seeded.courseId, {root: {anonymize: true, logs: true}});
	const result = await runBackup(site, {type: 'course', id: seeded.courseId, settings: plan, destination: {dir: path.join(dir, 'out')}});
	t.regex(result.filename, /-an\.mbz$/);

	const entries = await readAllEntries(result.path!);
	const users = [];
	for await (const record of readXmlRecords(Readable.from([entries.get('users.xml')!]), {file: 'anon.mbz', entry: 'users.xml', paths: ['/users/user']})) users.push(record);
	t.true(users.length >= seeded.users.length);
	users.forEach((user, index) => {
		t.is(user.data['username'], `anon${index + 1}`);
		t.is(user.data['email'], `anon${index + 1}@doesntexist.invalid`);
		t.is(user.data['firstname'], `anonfirstname${index + 1}`);
		t.is(user.data['city'], 'Perth');
		t.is(user.data['country'], 'AU');
		t.is(user.data['lastip'], '127.0.0.1');
	});
	t.deepEqual(users.map(user => user.attrs['id']), users.map(user => user.attrs['id']).sort((a, b) => Number(a) - Number(b)), 'ids are kept');

	// Logs were written (so the scan below covers their IP addresses), with the IP cleared.
	const courseLogs = entries.get('course/logstores.xml')?.toString() ?? '';
	t.is((courseLogs.match(/<log id=/g) ?? []).length, seeded.users.length);
	t.true(courseLogs.includes('<ip></ip>'));
	t.true(entries.has(`activities/forum_${seeded.forumCmid}/logstores.xml`));
	t.is((entries.get('course/loglastaccess.xml')?.toString().match(/<lastaccess id=/g) ?? []).length, seeded.users.length);

	// The scan: every entry, decompressed, for every original personal value of every user of the course.
	const personal = [...seeded.users, seeded.outsider].flatMap(user => [user.username, user.email, user.firstname, user.lastname, user.idnumber, user.lastip, user.city, user.institution]);
	for (const [name, content] of entries) {
		const text = content.toString('utf8');
		for (const value of personal) {
			if (value && text.includes(value)) t.fail(`${name} contains "${value}"`);
		}
	}
	t.pass();
});
