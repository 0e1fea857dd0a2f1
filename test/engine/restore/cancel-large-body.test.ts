import {createHash} from 'node:crypto';
import {mkdtemp, readdir, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import test from 'ava';
import {writeMbz} from '../../../source/engine/archive/write-mbz.js';
import {CancelledError} from '../../../source/engine/errors.js';
import {readRestoreArchive} from '../../../source/engine/restore/backup-archive.js';
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

// A cancel while one large file body is being copied into the restore's staging area (the archive pass that opens
// a restore) stops the copy there, instead of waiting for the whole body: Ctrl-C answers promptly whatever the file sizes.
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
	const staging = pool.openStaging();
	const controller = new AbortController();
	let abortedAt = 0;
	/** Bytes of the body copied so far (its partial file in the staging area). */
	const copied = async (): Promise<number> => {
		const names = await readdir(staging.dir).catch(() => [] as string[]);
		const part = names.find((name) => name.startsWith('.part-'));
		return part ? (await stat(join(staging.dir, part)).catch(() => ({size: 0}))).size : 0;
	};
	const reading = readRestoreArchive(archive, join(dir, 'xml'), staging, controller.signal);
	// Cancel once the copy of the body is under way (some of it written, far from all).
	let polling = true;
	const poll = (async () => {
		while (polling && abortedAt === 0) {
			const bytes = await copied();
			if (bytes >= 8 * MB) {
				t.true(bytes < SIZE / 2, `cancelled with ${bytes} bytes copied`);
				abortedAt = Date.now();
				controller.abort();
			}
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
	})();
	const error = await t.throwsAsync(reading);
	const answeredIn = Date.now() - abortedAt;
	polling = false;
	await poll;
	t.true(error instanceof CancelledError, `a cancel, got ${String(error)}`);
	t.true(abortedAt > 0, 'the cancel came during the copy');
	t.log(`answered ${answeredIn} ms after the cancel`);
	t.true(answeredIn < 250, `answered ${answeredIn} ms after the cancel`);
	t.deepEqual(staging.hashes(), [], 'nothing staged');
	await staging.discard();
	t.deepEqual(await readdir(join(dir, 'filedir'), {recursive: true}).catch(() => []), []);
});
