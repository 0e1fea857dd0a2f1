import {createHash} from 'node:crypto';
import {mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import test from 'ava';
import {writeMbz} from '../../../source/engine/archive/write-mbz.js';
import {CancelledError} from '../../../source/engine/errors.js';
import {stageBackupBlobs} from '../../../source/engine/restore/backup-archive.js';
import {FilePool} from '../../../source/engine/store/file-pool.js';

const MB = 1 << 20;
const SIZE = 192 * MB;

/** A large, cheap-to-compress body: 1 MiB blocks that differ only by their number. */
function block(index: number): Buffer {
	const buffer = Buffer.alloc(MB, index % 251);
	buffer.writeUInt32LE(index, 0);
	return buffer;
}

function body(): Readable {
	return Readable.from((function* () {
		for (let index = 0; index < SIZE / MB; index++) yield block(index);
	})());
}

// A cancel while one large file body is being copied into the pool's staging area stops the copy there,
// instead of waiting for the whole body: the restore's Ctrl-C answers promptly whatever the file sizes.
test('a cancel during the copy of one large file body stops it at once, with nothing staged', async (t) => {
	const dir = await mkdtemp(join(tmpdir(), 'mbz-large-body-'));
	t.teardown(() => rm(dir, {recursive: true, force: true}));
	const hash = createHash('sha1');
	for (let index = 0; index < SIZE / MB; index++) hash.update(block(index));
	const sha1 = hash.digest('hex');
	const archive = join(dir, 'large.mbz');
	await writeMbz(archive, [
		{path: 'moodle_backup.xml', type: 'file', size: 9, open: () => Readable.from([Buffer.from('<moodle/>')])},
		{path: `files/${sha1.slice(0, 2)}/${sha1}`, type: 'file', size: SIZE, open: body},
	]);
	const pool = new FilePool(join(dir, 'filedir'));
	const controller = new AbortController();
	let abortedAt = 0;
	let sawBody = false;
	const check = (): void => {
		if (controller.signal.aborted) throw new CancelledError('restore cancelled: nothing was written');
	};
	const started = Date.now();
	const staging = stageBackupBlobs(archive, pool, new Set([sha1]), () => {
		sawBody = true;
		check();
	});
	// Cancel once the copy of the body is under way.
	const timer = setInterval(() => {
		if (sawBody && Date.now() - started > 60 && abortedAt === 0) {
			abortedAt = Date.now();
			controller.abort();
		}
	}, 5);
	const error = await t.throwsAsync(staging);
	clearInterval(timer);
	const answeredIn = Date.now() - abortedAt;
	t.true(error instanceof CancelledError, `a cancel, got ${String(error)}`);
	t.true(abortedAt > 0, 'the cancel came during the copy');
	t.true(answeredIn < 250, `answered ${answeredIn} ms after the cancel`);
	t.deepEqual(pool.stagedHashes(), []);
	await pool.discardStaged();
	t.deepEqual(await readdir(join(dir, 'filedir'), {recursive: true}).catch(() => []), []);
});
