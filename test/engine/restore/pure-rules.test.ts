import test from 'ava';
import {calculateCourseNames} from '../../../source/engine/restore/course-names.js';
import {computeDateOffset, parseStartDate, shiftDate} from '../../../source/engine/restore/date-offset.js';
import {chooseEnrolmentStep, decideEnrolInstance, mergeManualEnrolment, DEFAULT_ENABLED_ENROL_PLUGINS, type BackupEnrolInstance, type EnrolRuleContext} from '../../../source/engine/restore/enrolment-rules.js';

test('course names: free names are kept', async (t) => {
	const names = await calculateCourseNames('Biology', 'BIO', async () => false);
	t.deepEqual(names, {fullname: 'Biology', shortname: 'BIO', counter: 0});
});

test('course names: a clash on the short name alone suffixes both, counting up', async (t) => {
	const taken = new Set(['BIO', 'BIO_1']);
	const names = await calculateCourseNames('Biology', 'BIO', async (full, short) => taken.has(short) || full === 'x');
	t.deepEqual(names, {fullname: 'Biology copy 2', shortname: 'BIO_2', counter: 2});
});

test('course names: long names are cut by characters to leave room for the suffix', async (t) => {
	const long = 'é'.repeat(300);
	const names = await calculateCourseNames(long, 'S', async (full) => full.length > 250 && !full.endsWith('copy 1'));
	t.is(Array.from(names.fullname).length, 254);
	t.true(names.fullname.endsWith(' copy 1'));
});

test('dates: offset is zero when either date is empty, shifting leaves empty dates alone', (t) => {
	t.is(computeDateOffset(0, 1000), 0);
	t.is(computeDateOffset(2000, 0), 0);
	const offset = computeDateOffset(1_800_000_000, 1_725_267_600);
	t.is(offset, 74_732_400);
	t.is(shiftDate('1725264000', offset), String(1725264000 + offset));
	t.is(shiftDate('0', offset), '0');
	t.is(shiftDate(null, offset), null);
	t.is(shiftDate(100, offset), 100 + offset);
});

test('dates: YYYY-MM-DD is the day at the time of day of the start it replaces (else UTC midnight), invalid days are refused', (t) => {
	t.is(parseStartDate('2024-09-02'), 1725235200);
	// The replaced start was at 08:00 UTC: the new one too, so dates move by whole days.
	t.is(parseStartDate('2025-09-01', 1725264000), Date.UTC(2025, 8, 1, 8) / 1000);
	t.is(parseStartDate('2024-02-30'), undefined);
	t.is(parseStartDate('1725235200'), 1725235200);
	t.is(parseStartDate('tomorrow'), undefined);
});

test('enrolment step follows restore_course_task::build()', (t) => {
	t.is(chooseEnrolmentStep(true, 'withusers', 'merge'), 'with-users');
	t.is(chooseEnrolmentStep(false, 'always', 'merge'), 'instances-only');
	t.is(chooseEnrolmentStep(false, 'withusers', 'merge'), 'none');
	t.is(chooseEnrolmentStep(false, 'withusers', 'new'), 'site-defaults');
	t.is(chooseEnrolmentStep(false, 'never', 'replace'), 'site-defaults');
});

function instance(enrol: string, fields: Record<string, string | null> = {}, userids: number[] = []): BackupEnrolInstance {
	return {
		id: 10, enrol, status: 0, name: enrol === 'cohort' ? 'Cohort sync Promotion 2024' : null, roleid: 5, fields: {roleid: '5', ...fields},
		userEnrolments: userids.map((userid, index) => ({id: index + 1, userid, status: 0, timestart: 0, timeend: 0, timemodified: 0, modifierid: 2})),
	};
}

function context(overrides: Partial<EnrolRuleContext> = {}): EnrolRuleContext {
	return {
		sameSite: false, target: 'new', mode: 'withusers', manualRescue: false, enabledPlugins: DEFAULT_ENABLED_ENROL_PLUGINS,
		existing: [], mapRole: (id) => id, cohortExists: () => false, courseExists: () => false, ...overrides,
	};
}

test('cohort from another site is dropped, naming the method and its users', (t) => {
	const decision = decideEnrolInstance(instance('cohort', {customint1: '5'}, [1073, 1074]), context());
	t.is(decision.action, 'drop');
	if (decision.action !== 'drop') return;
	t.deepEqual(decision.lostUserIds, [1073, 1074]);
	t.regex(decision.warning.text, /Cohort sync Promotion 2024/);
	t.regex(decision.warning.text, /cohort id 5/);
});

test('cohort that does not exist here is rescued as manual enrolments when asked', (t) => {
	const decision = decideEnrolInstance(instance('cohort', {customint1: '5'}, [1073]), context({manualRescue: true, sameSite: true}));
	t.is(decision.action, 'manual');
	if (decision.action === 'manual') t.is(decision.why, 'rescued');
});

test('cohort on the same site with the cohort present is recreated, users from the live cohort', (t) => {
	const decision = decideEnrolInstance(instance('cohort', {customint1: '5'}, [1073]), context({sameSite: true, cohortExists: (id) => id === 5}));
	t.like(decision, {action: 'create', restoreUsers: false, roleid: 5});
});

test('self enrolment with a cohort restriction is blocked (-1) on another site, reused when merging', (t) => {
	const created = decideEnrolInstance(instance('self', {customint5: '7'}), context());
	t.is(created.action === 'create' ? created.fields['customint5'] : 'x', '-1');
	const reused = decideEnrolInstance(instance('self'), context({target: 'merge', existing: [{id: 99, enrol: 'self', status: 0, roleid: 5, customint1: null}]}));
	t.deepEqual(reused, {action: 'reuse', instanceId: 99, restoreUsers: true});
});

test('guest is added only when the course has none; meta from another site is dropped; unknown plugins are dropped', (t) => {
	t.like(decideEnrolInstance(instance('guest'), context({existing: [{id: 3, enrol: 'guest', status: 1, roleid: 0, customint1: null}]})), {action: 'guest', createFields: undefined});
	t.is(decideEnrolInstance(instance('meta', {customint1: '4'}), context()).action, 'drop');
	t.is(decideEnrolInstance(instance('meta', {customint1: '4'}), context({sameSite: true, courseExists: () => true})).action, 'create');
	t.is(decideEnrolInstance(instance('paypal'), context()).action, 'drop');
});

test('enrolments=never converts every method to manual', (t) => {
	for (const plugin of ['self', 'cohort', 'paypal']) t.like(decideEnrolInstance(instance(plugin), context({mode: 'never'})), {action: 'manual', why: 'converted'});
});

test('manual merge widens an active enrolment and never shortens it', (t) => {
	t.deepEqual(mergeManualEnrolment({status: 0, timestart: 100, timeend: 0}, {status: 0, timestart: 50, timeend: 500}, 0, 0), {status: 0, timestart: 50, timeend: 0});
	t.deepEqual(mergeManualEnrolment(undefined, {status: 0, timestart: 5, timeend: 0}, 1, 0), {status: 1, timestart: 5, timeend: 0});
	t.deepEqual(mergeManualEnrolment({status: 0, timestart: 100, timeend: 0}, {status: 1, timestart: 5, timeend: 9}, 0, 0), {status: 0, timestart: 100, timeend: 0});
});
