import {readdirSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {readBackupDetails} from '../../../source/engine/details/index.js';
import {createRestoreSettings} from '../../../source/engine/settings/index.js';
import {FIXTURES, restoreSourceOf} from './fixture-source.js';

const tgzFixtures = readdirSync(FIXTURES).filter(name => name.endsWith('.mbz') && !name.includes('zipformat')).sort();

// The plan from the reader's details and the plan from moodle_backup.xml read independently must agree.
for (const fixture of tgzFixtures) {
	test(`restore settings from the details of ${fixture} match moodle_backup.xml`, async t => {
		const details = await readBackupDetails(path.join(FIXTURES, fixture));
		const fromDetails = createRestoreSettings(details, {target: 'new'});
		const fromXml = createRestoreSettings(await restoreSourceOf(fixture), {target: 'new'});
		t.deepEqual(fromDetails.list().map(item => [item.name, item.value, item.lockReason?.code]), fromXml.list().map(item => [item.name, item.value, item.lockReason?.code]));
	});
}

test('zip fixture: same restore settings as its tgz twin', async t => {
	const zip = createRestoreSettings(await readBackupDetails(path.join(FIXTURES, 'rich101_users_zipformat.mbz')), {target: 'new'});
	const tgz = createRestoreSettings(await readBackupDetails(path.join(FIXTURES, 'rich101_users.mbz')), {target: 'new'});
	t.deepEqual(zip.values(), {...tgz.values()});
	t.is(zip.list('activity').length, 34);
});
