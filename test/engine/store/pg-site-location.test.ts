import path from 'node:path';
import test from 'ava';
import {UsageError} from '../../../source/engine/errors.js';
import {displaySiteLocation, isPostgresLocation, parseSiteLocation} from '../../../source/engine/store/site-location.js';

test('a plain path is an SQLite site directory, made absolute', t => {
	t.deepEqual(parseSiteLocation('sites/demo'), {kind: 'sqlite', directory: path.resolve('sites/demo')});
	t.deepEqual(parseSiteLocation('/var/lib/mbz/site'), {kind: 'sqlite', directory: '/var/lib/mbz/site'});
	t.false(isPostgresLocation('/var/lib/postgres://x'));
});

test('a postgres URL gives server, database, prefix and schema', t => {
	const location = parseSiteLocation('postgres://moodle:secret@db.example:6543/moodle?prefix=m41_&schema=backups&sslmode=disable');
	t.like(location, {kind: 'postgres', host: 'db.example', port: 6543, user: 'moodle', database: 'moodle', prefix: 'm41_', schema: 'backups'});
	if (location.kind !== 'postgres') return t.fail();
	// Our own parameters are not passed to the client; the others are.
	const client = new URL(location.connectionString);
	t.is(client.searchParams.get('prefix'), null);
	t.is(client.searchParams.get('schema'), null);
	t.is(client.searchParams.get('sslmode'), 'disable');
	t.is(client.password, 'secret');
	t.false(location.display.includes('secret'));
});

test('defaults: prefix mdl_, port 5432, no schema; postgresql:// is accepted', t => {
	const location = parseSiteLocation('postgresql://postgres@127.0.0.1/test');
	t.like(location, {kind: 'postgres', host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', prefix: 'mdl_'});
	t.false('schema' in location);
});

test('bad prefixes, schemas and URLs are usage errors that say what is wrong', t => {
	t.throws(() => parseSiteLocation('postgres://u@h/db?prefix=Mdl-'), {instanceOf: UsageError, message: /prefix "Mdl-"/});
	t.throws(() => parseSiteLocation('postgres://u@h/db?prefix=averyveryverylongprefix_'), {instanceOf: UsageError});
	t.throws(() => parseSiteLocation('postgres://u@h/db?schema=x;drop'), {instanceOf: UsageError, message: /schema/});
	t.throws(() => parseSiteLocation('postgres://u@h/'), {instanceOf: UsageError, message: /one database/});
	t.throws(() => parseSiteLocation('  '), {instanceOf: UsageError});
	const error = t.throws(() => parseSiteLocation('postgres://u:pw@h:notaport/db'), {instanceOf: UsageError});
	t.false(error!.message.includes('pw'));
});

test('locations are shown without their password', t => {
	t.is(displaySiteLocation('postgres://u:hunter2@h:5432/db?prefix=mdl_'), 'postgres://u:***@h:5432/db?prefix=mdl_');
	t.is(displaySiteLocation('/srv/site'), '/srv/site');
});
