import {createHash} from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {Readable} from 'node:stream';
import test from 'ava';
import {StoreError} from '../../../source/engine/errors.js';
import {FilePool} from '../../../source/engine/store/file-pool.js';
import {addFileRecords, pathnameHash} from '../../../source/engine/store/files-table.js';
import {forEachSiteAdapter, initTestSite} from '../../helpers/site-adapters.js';
import {tempDir} from './temp.js';

const sha1 = (content: Buffer | string) => createHash('sha1').update(content).digest('hex');

async function listFiles(dir: string): Promise<string[]> {
	const entries = await fs.readdir(dir, {recursive: true, withFileTypes: true}).catch(() => []);
	return entries.filter(entry => entry.isFile()).map(entry => path.relative(dir, path.join(entry.parentPath, entry.name))).sort();
}

test('a staged blob is hashed while written, promoted to filedir/ab/cd/<sha1>, and read back', async t => {
	const {dir, cleanup} = await tempDir('pool');
	t.teardown(cleanup);
	const pool = new FilePool(path.join(dir, 'filedir'));
	const content = Buffer.alloc(3 * 1024 * 1024 + 17, 'é');
	const expected = sha1(content);
	const chunks = Array.from({length: 50}, (_, index) => content.subarray(Math.floor((index * content.length) / 50), Math.floor(((index + 1) * content.length) / 50)));
	const staged = await pool.stage(Readable.from(chunks), expected.toUpperCase());
	t.deepEqual(staged, {sha1: expected, size: content.length});
	t.false(await pool.has(expected));
	t.deepEqual(await pool.read(expected), content, 'readable from staging before promotion');
	t.is(await pool.promoteStaged(), 1);
	t.true(await pool.has(expected));
	t.deepEqual(await listFiles(path.join(dir, 'filedir')), [path.join(expected.slice(0, 2), expected.slice(2, 4), expected)]);
	const back: Buffer[] = [];
	for await (const chunk of pool.open(expected)) back.push(chunk as Buffer);
	t.true(Buffer.concat(back).equals(content));
	// Staging the same content again is idempotent.
	await pool.stageBuffer(content);
	t.is(await pool.promoteStaged(), 0);
	t.deepEqual((await listFiles(path.join(dir, 'filedir'))).length, 1);
});

test('a sha1 mismatch is rejected, naming the hash, and leaves nothing behind', async t => {
	const {dir, cleanup} = await tempDir('pool-mismatch');
	t.teardown(cleanup);
	const pool = new FilePool(path.join(dir, 'filedir'));
	const claimed = sha1('something else');
	const error = await t.throwsAsync(pool.stage(Readable.from([Buffer.from('the real content')]), claimed), {instanceOf: StoreError});
	t.true(error.message.includes(claimed));
	t.deepEqual(pool.stagedHashes(), []);
	await pool.discardStaged();
	t.deepEqual(await listFiles(path.join(dir, 'filedir')), []);
	await t.throwsAsync(pool.stageBuffer('x', 'not-a-hash'), {instanceOf: StoreError, message: /not a sha1/});
});

test('a stream that fails midway leaves no partial blob', async t => {
	const {dir, cleanup} = await tempDir('pool-fail');
	t.teardown(cleanup);
	const pool = new FilePool(path.join(dir, 'filedir'));
	async function* broken() {
		yield Buffer.from('first part');
		throw new Error('truncated archive');
	}
	await t.throwsAsync(pool.stage(Readable.from(broken())), {instanceOf: StoreError, message: /truncated archive/});
	await pool.discardStaged();
	t.deepEqual(await listFiles(path.join(dir, 'filedir')), []);
});

test('discarded staging leaves nothing, and the pool untouched', async t => {
	const {dir, cleanup} = await tempDir('pool-discard');
	t.teardown(cleanup);
	const root = path.join(dir, 'filedir');
	const pool = new FilePool(root);
	const kept = await pool.stageBuffer('kept');
	await pool.promoteStaged();
	const before = await listFiles(root);
	for (let index = 0; index < 5; index++) await pool.stageBuffer(`discarded ${index}`);
	t.is(pool.stagedHashes().length, 5);
	await pool.discardStaged();
	t.deepEqual(await listFiles(root), before);
	t.deepEqual(await fs.readdir(root).then(names => names.filter(name => name.startsWith('.'))), [], 'no staging directory left');
	t.true(await pool.has(kept.sha1));
});

forEachSiteAdapter('files rows carry Moodle\'s pathnamehash and directory rows; GC removes only unreferenced blobs', async (t, location) => {
	const site = await initTestSite(location);
	t.teardown(() => site.close());
	const used = await site.pool.stageBuffer('used content');
	const orphan = await site.pool.stageBuffer('orphan content');
	await site.pool.promoteStaged();
	const [id] = await addFileRecords(site.db, [
		{contextid: 1, component: 'mod_folder', filearea: 'content', itemid: 0, filepath: '/a/b/', filename: 'f.txt', contenthash: used.sha1, filesize: used.size, mimetype: 'text/plain', userid: 2, timecreated: 1000},
	]);
	const rows = await site.db.all<{id: number; filepath: string; filename: string; contenthash: string; pathnamehash: string; filesize: number}>('SELECT id, filepath, filename, contenthash, pathnamehash, filesize FROM {files} ORDER BY filepath, filename');
	t.deepEqual(rows.map(row => `${row.filepath}${row.filename}`), ['/.', '/a/.', '/a/b/.', '/a/b/f.txt']);
	t.is(rows.find(row => row.id === id)?.pathnamehash, pathnameHash(1, 'mod_folder', 'content', 0, '/a/b/', 'f.txt'));
	t.is(rows[0]!.contenthash, sha1(''));
	// Adding the same path again returns the existing row.
	const [again] = await addFileRecords(site.db, [
		{contextid: 1, component: 'mod_folder', filearea: 'content', itemid: 0, filepath: '/a/b/', filename: 'f.txt', contenthash: used.sha1, filesize: used.size, timecreated: 2000},
	]);
	t.is(again, id);
	const result = await site.pool.removeUnreferenced(site.db);
	t.deepEqual(result, {removed: 1, bytes: orphan.size});
	t.true(await site.pool.has(used.sha1));
	t.false(await site.pool.has(orphan.sha1));
});

test('staging left by a dead process is removed; a live one is kept', async t => {
	const {dir, cleanup} = await tempDir('pool-stale');
	t.teardown(cleanup);
	const root = path.join(dir, 'filedir');
	const staging = path.join(root, '.staging');
	// A pid far above any real one stands for a process that no longer exists.
	await fs.mkdir(path.join(staging, '2147483646-deadbeef'), {recursive: true});
	await fs.writeFile(path.join(staging, '2147483646-deadbeef', sha1('x')), 'x');
	await fs.mkdir(path.join(staging, `${process.pid}-cafe`), {recursive: true});
	const pool = new FilePool(root);
	await pool.stageBuffer('mine');
	t.is(await pool.removeStaleStaging(), 1);
	const left = (await fs.readdir(staging)).sort();
	t.is(left.length, 2);
	t.true(left.includes(`${process.pid}-cafe`));
	t.false(left.includes('2147483646-deadbeef'));
	t.deepEqual(pool.stagedHashes(), [sha1('mine')]);
});

test('two staging areas of the same pool are independent: each promotes or discards only its own blobs', async t => {
	const {dir, cleanup} = await tempDir('pool-areas');
	t.teardown(cleanup);
	const root = path.join(dir, 'filedir');
	const pool = new FilePool(root);
	const first = pool.openStaging();
	const second = pool.openStaging();
	t.not(first.dir, second.dir);
	t.is(path.dirname(first.dir), path.join(root, '.staging'));
	const shared = Buffer.from('in both areas');
	const [a, b] = await Promise.all([first.stageBuffer('only in the first'), second.stage(Readable.from([Buffer.from('only in the second')]))]);
	await Promise.all([first.stageBuffer(shared, sha1(shared)), second.stageBuffer(shared, sha1(shared))]);
	t.deepEqual(first.hashes().sort(), [a.sha1, sha1(shared)].sort());
	t.deepEqual(second.hashes().sort(), [b.sha1, sha1(shared)].sort());
	t.false(first.has(b.sha1));
	// The default area (stage/promoteStaged) is a third one.
	t.deepEqual(pool.stagedHashes(), []);
	await second.discard();
	t.deepEqual(second.hashes(), []);
	t.true(first.has(sha1(shared)), 'discarding one area leaves the other');
	t.is(await first.promote(), 2);
	t.true(await pool.has(a.sha1));
	t.true(await pool.has(sha1(shared)));
	t.false(await pool.has(b.sha1));
	t.deepEqual(await listFiles(root), [a.sha1, sha1(shared)].sort().map(hash => path.join(hash.slice(0, 2), hash.slice(2, 4), hash)).sort());
	t.deepEqual(await fs.readdir(root).then(names => names.filter(name => name.startsWith('.'))), [], 'no staging directory left');
	await t.throwsAsync(first.stageBuffer('after promotion'), {instanceOf: StoreError});
});

test('promote(only) moves just the chosen blobs; a blob the pool already holds is verified, not written again', async t => {
	const {dir, cleanup} = await tempDir('pool-only');
	t.teardown(cleanup);
	const root = path.join(dir, 'filedir');
	const pool = new FilePool(root);
	const held = await pool.stageBuffer('already in the pool');
	await pool.promoteStaged();
	const area = pool.openStaging();
	const wanted = await area.stageBuffer('wanted');
	const unwanted = await area.stageBuffer('not wanted');
	const large = Buffer.alloc(2 * 1024 * 1024 + 3, 'L');
	const big = await area.stage(Readable.from([large.subarray(0, 1000), large.subarray(1000)]), sha1(large));
	// Content the pool holds: checked against its name, nothing staged.
	t.deepEqual(await area.stageBuffer('already in the pool', held.sha1), held);
	t.false(area.has(held.sha1));
	await t.throwsAsync(area.stageBuffer('not what the name says', held.sha1), {instanceOf: StoreError, message: new RegExp(held.sha1)});
	await t.throwsAsync(area.stage(Readable.from([Buffer.from('not what the name says')]), held.sha1), {instanceOf: StoreError, message: new RegExp(held.sha1)});
	t.deepEqual(area.hashes().sort(), [wanted.sha1, unwanted.sha1, big.sha1].sort());
	// The area holds what a restore may point files rows at, readable before promotion; the pool's own staging does not see it.
	t.true([wanted.sha1, unwanted.sha1, big.sha1].every((hash) => area.has(hash)));
	t.deepEqual(await fs.readFile(area.location(big.sha1)), large);
	t.deepEqual(pool.stagedHashes(), []);
	t.is(await area.promote(new Set([wanted.sha1, big.sha1, held.sha1])), 2);
	t.true(await pool.has(wanted.sha1));
	t.true(await pool.has(big.sha1));
	t.false(await pool.has(unwanted.sha1));
	t.deepEqual(await pool.read(big.sha1), large);
	t.deepEqual((await listFiles(root)).length, 3, 'the held blob, the wanted one and the large one; nothing staged left');
});
