import test from 'ava';
import {BACKUP_STATUS, backupsToDelete, decideCourse, DEFAULT_AUTOMATED_SETTINGS, type CourseBackupState} from '../../../source/engine/areas/index.js';

const now = 1_800_000_000;
const day = 86_400;
const course = {id: 2, shortname: 'C', visible: true, lastChange: now - 10 * day};
const succeeded: CourseBackupState = {laststarttime: now - 5 * day, lastendtime: now - 5 * day + 30, laststatus: BACKUP_STATUS.OK, nextstarttime: 0};
const settings = DEFAULT_AUTOMATED_SETTINGS;

test('defaults: visible only, skip unmodified, keep 2', t => {
	t.deepEqual(settings, {activeOnly: true, skipUnmodified: true, skipModifiedDays: 0, keep: 2});
});

const cases: Array<[string, Parameters<typeof decideCourse>, string]> = [
	['never backed up', [course, undefined, settings, now], 'backup'],
	['not yet run row', [course, {...succeeded, laststatus: BACKUP_STATUS.NOTYETRUN, laststarttime: 0, lastendtime: 0}, settings, now], 'backup'],
	['hidden', [{...course, visible: false}, undefined, settings, now], 'skip:hidden'],
	['hidden, but hidden courses allowed', [{...course, visible: false}, undefined, {...settings, activeOnly: false}, now], 'backup'],
	['hidden with --all', [{...course, visible: false}, succeeded, settings, now, {all: true}], 'backup'],
	['unmodified since the last backup', [course, succeeded, settings, now], 'skip:unmodifiedSinceLastBackup'],
	['unmodified, --all', [course, succeeded, settings, now, {all: true}], 'backup'],
	['modified after the last backup started', [{...course, lastChange: now - 2 * day}, succeeded, settings, now], 'backup'],
	['unmodified but the rule is off', [course, succeeded, {...settings, skipUnmodified: false}, now], 'backup'],
	['unmodified but the last backup failed', [course, {...succeeded, laststatus: BACKUP_STATUS.ERROR}, settings, now], 'backup'],
	['unmodified but the last backup never finished', [course, {...succeeded, laststatus: BACKUP_STATUS.UNFINISHED}, settings, now], 'backup'],
	['unmodified, last backup had warnings', [course, {...succeeded, laststatus: BACKUP_STATUS.WARNING}, settings, now], 'skip:unmodifiedSinceLastBackup'],
	['unmodified, last run skipped it', [course, {...succeeded, laststatus: BACKUP_STATUS.SKIPPED}, settings, now], 'skip:unmodifiedSinceLastBackup'],
	['not modified for 7 days (rule: 7)', [{...course, lastChange: now - 8 * day}, {...succeeded, laststarttime: now - 9 * day}, {...settings, skipUnmodified: false, skipModifiedDays: 7}, now], 'skip:unmodifiedForDays'],
	['modified 3 days ago (rule: 7)', [{...course, lastChange: now - 3 * day}, succeeded, {...settings, skipUnmodified: false, skipModifiedDays: 7}, now], 'backup'],
];
for (const [title, args, expected] of cases) {
	test(`selection: ${title}`, t => {
		const decision = decideCourse(...args);
		t.is(decision.action === 'skip' ? `skip:${decision.reason}` : decision.action, expected);
	});
}

const files = [
	{id: 1, timemodified: now - 30 * day},
	{id: 2, timemodified: now - 20 * day},
	{id: 3, timemodified: now - 10 * day},
	{id: 4, timemodified: now - 1 * day},
];
const ids = (list: Array<{id: number}>) => list.map(file => file.id).sort((a, b) => a - b);

test('retention: keep the newest N', t => {
	t.deepEqual(ids(backupsToDelete(files, {keep: 2})), [1, 2]);
	t.deepEqual(ids(backupsToDelete(files, {keep: 1})), [1, 2, 3]);
	t.deepEqual(ids(backupsToDelete(files, {keep: 4})), []);
	t.deepEqual(ids(backupsToDelete(files, {keep: 10})), []);
	t.deepEqual(ids(backupsToDelete(files, {keep: 0})), [], '0 = keep all');
	t.deepEqual(backupsToDelete([], {keep: 2}), []);
});

test('retention: by age, never below the minimum', t => {
	t.deepEqual(ids(backupsToDelete(files, {keep: 10, deleteDays: 15, now})), [1, 2]);
	t.deepEqual(ids(backupsToDelete(files, {keep: 1, deleteDays: 15, now})), [1, 2, 3]);
	t.deepEqual(ids(backupsToDelete(files, {keep: 10, deleteDays: 15, minKept: 3, now})), [1]);
	t.deepEqual(ids(backupsToDelete(files, {keep: 0, deleteDays: 15, now})), [1, 2], 'keep all young ones');
});

test('retention: same timestamps are all considered, the newest id wins ties', t => {
	const same = [{id: 7, timemodified: now}, {id: 8, timemodified: now}, {id: 9, timemodified: now}];
	t.deepEqual(ids(backupsToDelete(same, {keep: 2})), [7]);
});
