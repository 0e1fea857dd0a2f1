import test from 'ava';
import {createDbUserLookup} from '../../../source/engine/restore/db-user-lookup.js';
import {completeRow} from '../../../source/engine/store/schema/rows.js';
import {forEachSiteAdapter} from '../../helpers/site-adapters.js';
import {siteAt} from './restore-helpers.js';

const DELETED = [
	{username: 'jean.dupont@example.fr.1700000000', email: 'e1', mnethostid: 1},
	{username: 'jean.dupont@example.fr.1600000000', email: 'e1', mnethostid: 1},
	{username: 'jean_dupont@example.fr.1500000000', email: 'e2', mnethostid: 1},
	{username: 'Jean.Dupont@Example.fr.1400000000', email: 'e3', mnethostid: 1},
	{username: 'jean.dupont@example.fr.1300000000', email: 'e1', mnethostid: 3},
	{username: 'jean.dupontx@example.fr.1200000000', email: 'e4', mnethostid: 1},
];

// The in-memory answers (few deleted accounts) and the per-question SQL (many) must be the same answers.
forEachSiteAdapter('deleted accounts are found by email and by username prefix alike in memory and by SQL', async (t, location) => {
	const {site} = await siteAt(location);
	try {
		const ids: number[] = [];
		for (const user of DELETED) {
			ids.push(await site.db.insert('user', completeRow('user', {...user, auth: 'manual', deleted: 1, firstname: 'J', lastname: 'D', timecreated: 1, timemodified: 1})));
		}
		await site.db.insert('user', completeRow('user', {username: 'jean.dupont@example.fr.1100000000', email: 'e1', mnethostid: 1, deleted: 0, auth: 'manual', firstname: 'J', lastname: 'D'}));
		const answers = async (deletedInMemory: number) => {
			const lookup = await createDbUserLookup(site.db, {deletedInMemory});
			const idsOf = (users: Array<{id: number}>) => users.map((user) => ids.indexOf(user.id));
			return {
				byEmail: idsOf(await lookup.deletedByEmail('e1', 1)),
				byOtherHost: idsOf(await lookup.deletedByEmail('e1', 3)),
				none: idsOf(await lookup.deletedByEmail('nobody', 1)),
				prefix: idsOf(await lookup.deletedByUsernamePrefix('jean.dupont@example.fr.', 1)),
				// `_` is a literal character, not LIKE's wildcard.
				underscore: idsOf(await lookup.deletedByUsernamePrefix('jean_dupont@', 1)),
			};
		};
		const expected = {byEmail: [0, 1], byOtherHost: [4], none: [], prefix: [0, 1, 3], underscore: [2]};
		t.deepEqual(await answers(100_000), expected, 'in memory');
		t.deepEqual(await answers(0), expected, 'by SQL');
	} finally {
		await site.close();
	}
});
