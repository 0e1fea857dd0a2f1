import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {CancelledError} from '../../../source/engine/errors.js';
import {planBackup} from '../../../source/engine/backup/plan-backup.js';
import {runBackup} from '../../../source/engine/backup/run-backup.js';
import {freshSite, tempDir} from './archive-contents.js';
import {seedCourse} from './seed-course.js';

// Each ava file runs in its own process: a private TMPDIR shows exactly what a backup leaves behind.
const privateTmp = await tempDir('mbz-backup-cleanup-');
process.env['TMPDIR'] = privateTmp;

function leftovers(): string[] {
	return fs.readdirSync(privateTmp).filter(name => name.startsWith('mbz-backup-') && !name.startsWith('mbz-backup-test-'));
}

test.serial('a failure in the middle of a backup leaves no temporary directory and no archive', async t => {
	const {site, dir} = await freshSite(t);
	const seeded = await seedCourse(site);
	const {plan} = await planBackup(site.db, 'course', seeded.courseId);
	const out = path.join(dir, 'out');
	let sawTemp = false;
	const error = await t.throwsAsync(runBackup(site, {
		type: 'course', id: seeded.courseId, settings: plan, destination: {dir: out},
		onProgress(progress) {
			if (progress.stage === 'final') {
				sawTemp = leftovers().length > 0;
				throw new Error('injected failure');
			}
		},
	}));
	t.is(error?.message, 'injected failure');
	t.true(sawTemp, 'the XML was being built in a temporary directory');
	t.deepEqual(leftovers(), []);
	t.deepEqual(fs.existsSync(out) ? fs.readdirSync(out) : [], []);
});

test.serial('an aborted backup throws CancelledError and leaves nothing behind, even while packing', async t => {
	const {site, dir} = await freshSite(t);
	const seeded = await seedCourse(site);
	const {plan} = await planBackup(site.db, 'course', seeded.courseId);
	for (const abortAt of ['section', 'archive']) {
		const controller = new AbortController();
		const out = path.join(dir, `out-${abortAt}`);
		await t.throwsAsync(runBackup(site, {
			type: 'course', id: seeded.courseId, settings: plan, destination: {dir: out}, signal: controller.signal,
			onProgress(progress) {
				// In the archive stage, abort once the packer is a few files in.
				if (progress.stage === abortAt && (abortAt !== 'archive' || (progress.done >= 3 && progress.item.includes('/')))) controller.abort();
			},
		}), {instanceOf: CancelledError});
		t.deepEqual(leftovers(), [], `nothing left after an abort at ${abortAt}`);
		t.deepEqual(fs.existsSync(out) ? fs.readdirSync(out) : [], [], `no archive after an abort at ${abortAt}`);
	}
});

test.serial('an area backup is stored in the file pool and its packed file removed', async t => {
	const {site, dir} = await freshSite(t);
	const seeded = await seedCourse(site);
	const {plan} = await planBackup(site.db, 'course', seeded.courseId, {root: {users: false}});
	const result = await runBackup(site, {type: 'course', id: seeded.courseId, settings: plan, destination: {area: 'user'}});
	t.truthy(result.areaFileId);
	const row = await site.db.get<{component: string; filearea: string; filename: string; filesize: number}>('SELECT component, filearea, filename, filesize FROM {files} WHERE id = ?', [result.areaFileId!]);
	t.like(row, {component: 'user', filearea: 'backup', filename: result.filename});
	t.is(Number(row!.filesize), result.bytes);
	t.deepEqual(leftovers(), []);
});
