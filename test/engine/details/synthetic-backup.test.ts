import test from 'ava';
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {generateSyntheticBackup} from '../../../bench/synthetic-backup.js';
import {readBackupDetails} from '../../../source/engine/details/read-backup-details.js';
import {tempDir} from '../../helpers/fixtures.js';

const run = promisify(execFile);

test('the benchmark\'s synthetic backup is a valid .mbz whose details match what was generated', async (t) => {
	const dir = await tempDir(t);
	const made = await generateSyntheticBackup({dir, users: 30, sections: 3, forums: 4, postsPerForum: 6, pages: 5, smallFiles: 7, largeFiles: 1, largeFileMB: 1});
	const details = await readBackupDetails(made.file);
	t.is(details.type, 'course');
	t.is(details.counts.users, made.expected.users);
	t.is(details.counts.userEnrolments, made.expected.userEnrolments);
	t.is(details.counts.files, made.expected.files);
	t.is(details.counts.fileBytes, made.expected.fileBytes);
	t.is(details.counts.blobs, 8);
	t.deepEqual(details.counts.activitiesByType, {forum: 4, page: 5});
	t.deepEqual(details.sections.map((section) => section.number), [0, 1, 2]);
	t.is(details.sections.flatMap((section) => section.activities).length, 9);
	t.deepEqual(details.counts.enrolMethods, {manual: 1, guest: 1, self: 1});
	t.is(made.expected.posts, 24);
	t.is(made.expected.discussions, 8);
	// The system tar agrees, with moodle_backup.xml after the files like a real backup.
	const {stdout} = await run('tar', ['-tzf', made.file]);
	const names = stdout.trim().split('\n');
	t.is(names[0], '.ARCHIVE_INDEX');
	t.is(names.length, made.entries);
	t.true(names.indexOf('moodle_backup.xml') > names.findIndex((name) => name.startsWith('files/')));
});
