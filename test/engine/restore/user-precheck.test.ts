import test from 'ava';
import {classifyUsers, isAnonymisedUser, md5, type BackupUser} from '../../../source/engine/restore/user-precheck.js';
import {memoryUserLookup} from './memory-user-lookup.js';

const HASH = '8f7cb045b959173e61d77ca71a6901a7';

function backupUser(id: number, username: string, email: string, extra: Partial<BackupUser> = {}): BackupUser {
	return {id, contextId: id + 1000, username, email, firstname: 'F', lastname: 'L', firstaccess: 0, deleted: false, auth: 'manual', mnetHostUrl: undefined, fields: {}, ...extra};
}

const foreign = {sameSite: false, originalSiteHash: HASH, allowAdminConflictResolution: true, siteWwwroot: 'http://here', policy: 'abort' as const};
const samesite = {...foreign, sameSite: true};

test('foreign platform: same username and email maps, another email conflicts, unknown username is created', async (t) => {
	const lookup = memoryUserLookup([
		{id: 7, username: 'jdupont', email: 'someone.else@example.org'},
		{id: 8, username: 'mmartin', email: 'MARIE.MARTIN@univ-example.fr'},
	]);
	const result = await classifyUsers([
		backupUser(1063, 'jdupont', 'jean.dupont@univ-example.fr'),
		backupUser(1064, 'mmartin', 'marie.martin@univ-example.fr'),
		backupUser(1065, 'alefebvre', 'antoine.lefebvre@etu-example.fr'),
	], lookup, foreign);
	t.deepEqual(result.conflicts.map((conflict) => conflict.username), ['jdupont']);
	t.regex(result.conflicts[0]!.reason.text, /another email/);
	t.deepEqual(result.toMap.map((entry) => [entry.user.username, entry.decision.kind === 'map' && entry.decision.siteUserId]), [['mmartin', 8]]);
	t.deepEqual(result.toCreate.map((entry) => entry.user.username), ['alefebvre']);
	t.regex(result.explanation, /duplicate/);
	t.regex(result.recommendation, /without user data/);
});

test('foreign platform: equal non-zero first access maps despite another email', async (t) => {
	const lookup = memoryUserLookup([{id: 7, username: 'jdupont', email: 'x@y', firstaccess: 1700000000}]);
	const result = await classifyUsers([backupUser(1063, 'jdupont', 'jean@z', {firstaccess: 1700000000})], lookup, foreign);
	t.is(result.toMap.length, 1);
	t.is(result.toMap[0]!.decision.rule, '2A1');
});

test('map-by-email maps a conflicting user to the account that has its email, or keeps the conflict', async (t) => {
	const lookup = memoryUserLookup([
		{id: 7, username: 'jdupont', email: 'other@example.org'},
		{id: 9, username: 'jean.d', email: 'Jean.Dupont@univ-example.fr'},
		{id: 10, username: 'mmartin', email: 'nobody@example.org'},
	]);
	const result = await classifyUsers([
		backupUser(1063, 'jdupont', 'jean.dupont@univ-example.fr'),
		backupUser(1064, 'mmartin', 'marie.martin@univ-example.fr'),
	], lookup, {...foreign, policy: 'map-by-email'});
	t.deepEqual(result.mappedByEmail, [{username: 'jdupont', siteUserId: 9, siteUsername: 'jean.d'}]);
	t.deepEqual(result.conflicts.map((conflict) => conflict.username), ['mmartin']);
	t.regex(result.conflicts[0]!.reason.text, /no account here has its email/);
});

test('the backup admin becomes admin_<hash> on a foreign platform, and maps to it the second time', async (t) => {
	const admin = backupUser(2, 'admin', 'admin@example.com');
	const first = await classifyUsers([admin], memoryUserLookup([{id: 2, username: 'admin', email: 'root@here'}]), foreign);
	t.deepEqual(first.adminResolution, {username: `admin_${HASH}`, created: true});
	t.is(first.conflicts.length, 0);
	t.like(first.toCreate[0]!.decision, {kind: 'create', username: `admin_${HASH}`});
	const second = await classifyUsers([admin], memoryUserLookup([{id: 2, username: 'admin', email: 'root@here'}, {id: 30, username: `admin_${HASH}`, email: 'admin@example.com'}]), foreign);
	t.like(second.toMap[0]!.decision, {kind: 'map', rule: '2A2', siteUserId: 30});
	const refused = await classifyUsers([admin], memoryUserLookup([{id: 2, username: 'admin', email: 'root@here'}]), {...foreign, allowAdminConflictResolution: false});
	t.is(refused.conflicts.length, 1);
});

test('same site: same id+username maps, renamed username elsewhere conflicts, anonymised users merge by username', async (t) => {
	const lookup = memoryUserLookup([
		{id: 1063, username: 'jdupont', email: 'changed@x'},
		{id: 500, username: 'mmartin', email: 'm@x'},
		{id: 600, username: 'anon3', email: 'anon3@doesntexist.invalid'},
	]);
	const anon = backupUser(77, 'anon3', 'anon3@doesntexist.invalid', {firstname: 'anonfirstname3', lastname: 'anonlastname3'});
	t.true(isAnonymisedUser(anon));
	const result = await classifyUsers([backupUser(1063, 'jdupont', 'j@x'), backupUser(1064, 'mmartin', 'm@x'), anon, backupUser(1065, 'new', 'n@x')], lookup, samesite);
	t.deepEqual(result.users.map((entry) => entry.decision.rule), ['1A', '1E', '1B', '1F']);
});

test('deleted accounts: same site 1C and foreign platform 2B1 map to the deleted account', async (t) => {
	const deletedHere = {id: 1063, username: 'jean.dupont@univ-example.fr.1700000000', email: md5('jdupont'), deleted: true};
	const same = await classifyUsers([backupUser(1063, 'jdupont', 'jean.dupont@univ-example.fr')], memoryUserLookup([deletedHere]), samesite);
	t.is(same.users[0]!.decision.rule, '1C');
	const other = await classifyUsers([backupUser(9999, 'jdupont', 'jean.dupont@univ-example.fr')], memoryUserLookup([deletedHere]), foreign);
	t.is(other.users[0]!.decision.rule, '2B1');
});

test('an unknown remote mnet host counts as the local host', async (t) => {
	const lookup = memoryUserLookup([{id: 7, username: 'remote', email: 'r@x', mnethostid: 1}], {'http://known': 3});
	const result = await classifyUsers([
		backupUser(1, 'remote', 'r@x', {mnetHostUrl: 'http://unknown'}),
		backupUser(2, 'remote', 'r@x', {mnetHostUrl: 'http://known'}),
	], lookup, foreign);
	t.deepEqual(result.users.map((entry) => [entry.mnethostid, entry.decision.kind]), [[1, 'map'], [3, 'create']]);
});
