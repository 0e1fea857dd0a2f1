import {readdir} from 'node:fs/promises';
import {createHash} from 'node:crypto';
import test from 'ava';
import {readBackupDetails} from '../../../source/engine/details/index.js';
import {openRestore} from '../../../source/engine/restore/restore-plan.js';
import {fixture, tempSite} from './restore-helpers.js';

const fixtures = (await readdir(fixture(''))).filter((name) => name.endsWith('.mbz'));

test('every fixture: the details a restore plan reads from its extraction are those of a pass over the archive', async (t) => {
	t.true(fixtures.length >= 10);
	const {site, dispose} = await tempSite();
	t.teardown(dispose);
	const siteIdentifierHash = createHash('md5').update(site.identifier).digest('hex');
	for (const name of fixtures) {
		const fromArchive = await readBackupDetails(fixture(name), {siteIdentifierHash});
		const plan = await openRestore(site, fixture(name));
		try {
			const fromPlan = await plan.details();
			t.deepEqual(fromPlan, fromArchive, name);
			t.true(fromArchive.counts.entries > 0, `${name}: something to compare`);
			t.is(await plan.details(), fromPlan, `${name}: read once per plan`);
		} finally {
			await plan.close();
		}
	}
});
