import {buildRow} from '../../../source/engine/restore/table-rows.js';
import test from 'ava';
import {UsageError} from '../../../source/engine/errors.js';
import {openRestore, type RestorePlan} from '../../../source/engine/restore/restore-plan.js';
import type {RestoreDestination} from '../../../source/engine/restore/types.js';
import {count, courseCounts, fixture, restore, tempSite, withPlan} from './restore-helpers.js';

test('merge into an existing course: sections matched by number, activities appended, names kept', async (t) => {
	const {site, dispose} = await tempSite();
	try {
		// GEN_XS: 2 sections, 5 activities, its own manual enrolments (2 users).
		const first = await restore(site, fixture('gen_XS_users.mbz'), {target: 'new', categoryId: 1});
		const sectionOne = await site.db.get<{sequence: string}>('SELECT sequence FROM {course_sections} WHERE course = ? AND section = 1', [first.courseId]);
		const merged = await restore(site, fixture('rich101_users.mbz'), {target: 'merge', courseId: first.courseId});
		t.is(merged.courseId, first.courseId);
		// Both backups come from the same site: its admin maps to the admin_<hash> account made the first time.
		t.true(merged.usersMapped.some((user) => user.username === 'admin'));
		const counts = await courseCounts(site, first.courseId);
		t.like(counts, {sections: 7, groups: 3, groupings: 2, posts: 12, discussions: 5, questions: 4});
		t.is(await count(site, '{course_modules} WHERE course = ?', [first.courseId]), 22);
		t.is(await count(site, "{enrol} WHERE courseid = ? AND enrol = 'manual'", [first.courseId]), 1);
		const sequence = await site.db.get<{sequence: string}>('SELECT sequence FROM {course_sections} WHERE course = ? AND section = 1', [first.courseId]);
		t.is(sequence!.sequence.split(',').length, sectionOne!.sequence.split(',').length + 3);
		const course = await site.db.get<{shortname: string}>('SELECT shortname FROM {course} WHERE id = ?', [first.courseId]);
		t.is(course!.shortname, 'GEN_XS');
	} finally {
		await dispose();
	}
});

test('replace: the course keeps its id, its old contents go, the backup comes in', async (t) => {
	const {site, dispose} = await tempSite();
	try {
		const first = await restore(site, fixture('rich101_users.mbz'), {target: 'new', categoryId: 1});
		const replaced = await restore(site, fixture('rich101_users.mbz'), {target: 'replace', courseId: first.courseId});
		t.is(replaced.courseId, first.courseId);
		t.like(await courseCounts(site, first.courseId), {
			sections: 7, groups: 3, groupMembers: 9, groupings: 2, enrolMethods: {guest: 0, manual: 10, self: 0},
			courseRoleAssignments: 11, posts: 10, discussions: 4, gradeItems: 5, grades: 40, questions: 4, files: 13, events: 2, blocks: 1,
		});
		t.is(await count(site, '{course_modules} WHERE course = ?', [first.courseId]), 17);
		t.is(await count(site, '{course} WHERE shortname LIKE ?', ['RICH101%']), 1);
	} finally {
		await dispose();
	}
});

test('replace with the keep options ticked in the settings (as the wizard does): the course keeps its enrolments and groups', async (t) => {
	const {site, dispose} = await tempSite();
	try {
		const first = await restore(site, fixture('rich101_users.mbz'), {target: 'new', categoryId: 1});
		// An enrolment and a group the backup does not have: kept only if the options are honoured.
		const enrol = await site.db.get<{id: number}>("SELECT id FROM {enrol} WHERE courseid = ? AND enrol = 'manual'", [first.courseId]);
		const admin = await site.db.get<{id: number}>("SELECT id FROM {user} WHERE username = 'admin'");
		await site.db.insert('user_enrolments', buildRow('user_enrolments', {enrolid: enrol!.id, userid: admin!.id, status: 0, timestart: 0, timeend: 0, modifierid: 2, timecreated: 1, timemodified: 1}));
		await site.db.insert('groups', buildRow('groups', {courseid: first.courseId, name: 'Kept here', description: '', timecreated: 1, timemodified: 1}));
		await restore(site, fixture('rich101_users.mbz'), {target: 'replace', courseId: first.courseId}, (plan) => {
			plan.settings.set('keep_roles_and_enrolments', true);
			plan.settings.set('keep_groups_and_groupings', true);
		});
		t.is(await count(site, '{user_enrolments} WHERE enrolid = ? AND userid = ?', [enrol!.id, admin!.id]), 1, 'the admin\'s enrolment is kept');
		t.is(await count(site, "{groups} WHERE courseid = ? AND name = 'Kept here'", [first.courseId]), 1, 'the course\'s own group is kept');
		// And without them, both go.
		await restore(site, fixture('rich101_users.mbz'), {target: 'replace', courseId: first.courseId});
		t.is(await count(site, '{user_enrolments} WHERE userid = ? AND enrolid IN (SELECT id FROM {enrol} WHERE courseid = ?)', [admin!.id, first.courseId]), 0);
		t.is(await count(site, "{groups} WHERE courseid = ? AND name = 'Kept here'", [first.courseId]), 0);
	} finally {
		await dispose();
	}
});

test('replace keeping groups and enrolments: the existing ones are reused, not duplicated', async (t) => {
	const {site, dispose} = await tempSite();
	try {
		const first = await restore(site, fixture('rich101_users.mbz'), {target: 'new', categoryId: 1});
		const groupIds = (await site.db.all<{id: number}>('SELECT id FROM {groups} WHERE courseid = ? ORDER BY id', [first.courseId])).map((row) => Number(row.id));
		await restore(site, fixture('rich101_users.mbz'), {target: 'replace', courseId: first.courseId, keepGroupsAndGroupings: true, keepRolesAndEnrolments: true});
		const after = (await site.db.all<{id: number}>('SELECT id FROM {groups} WHERE courseid = ? ORDER BY id', [first.courseId])).map((row) => Number(row.id));
		t.deepEqual(after, groupIds);
		t.like(await courseCounts(site, first.courseId), {enrolMethods: {guest: 0, manual: 10, self: 0}, courseRoleAssignments: 11, groupMembers: 9});
		t.is(await count(site, '{course_modules} WHERE course = ?', [first.courseId]), 17);
	} finally {
		await dispose();
	}
});

test('an activity backup merges into an existing course or becomes a new course', async (t) => {
	const {site, dispose} = await tempSite();
	try {
		const course = await restore(site, fixture('rich101_users.mbz'), {target: 'new', categoryId: 1});
		const merged = await restore(site, fixture('rich101_activity_forum_users.mbz'), {target: 'merge', courseId: course.courseId});
		t.is(merged.courseId, course.courseId);
		t.like(await courseCounts(site, course.courseId), {modules: {forum: 3}, posts: 19, discussions: 7});
		// The backup's module.xml puts the forum in section number 3: it joins the course's section 3, at its end.
		const placed = await site.db.get<{id: number; section: number; sequence: string}>(
			'SELECT cm.id, s.section, s.sequence FROM {course_modules} cm JOIN {course_sections} s ON s.id = cm.section WHERE cm.course = ? ORDER BY cm.id DESC', [course.courseId]);
		t.is(Number(placed!.section), 3);
		t.true(placed!.sequence.split(',').at(-1) === String(placed!.id));
		const alone = await restore(site, fixture('rich101_activity_forum_users.mbz'), {target: 'new', categoryId: 1});
		t.not(alone.courseId, course.courseId);
		// files.xml also lists the course's 3 badge images; badges come back only from course backups.
		t.like(await courseCounts(site, alone.courseId), {modules: {forum: 1}, posts: 9, discussions: 3, files: 1});
	} finally {
		await dispose();
	}
});

test('an activity backup cannot replace a course; unknown courses and categories are refused', async (t) => {
	const {site, dispose} = await tempSite();
	try {
		const plan = await openRestore(site, fixture('rich101_activity_quiz_users.mbz'));
		try {
			t.is(plan.info.type, 'activity');
			await t.throwsAsync(plan.setDestination({target: 'replace', courseId: 1}), {instanceOf: UsageError});
			await t.throwsAsync(plan.setDestination({target: 'merge', courseId: 9999}), {instanceOf: UsageError, message: /course 9999/});
			await t.throwsAsync(plan.setDestination({target: 'new', categoryId: 9999}), {instanceOf: UsageError, message: /category 9999/});
			await t.throwsAsync(plan.review(), {instanceOf: UsageError, message: /destination/});
		} finally {
			await plan.close();
		}
	} finally {
		await dispose();
	}
});

test('excluded sections and activities, and activities without their user data', async (t) => {
	const {site, dispose} = await tempSite();
	try {
		const result = await restore(site, fixture('rich101_users.mbz'), {target: 'new', categoryId: 1}, async (plan) => {
			const numbers = await plan.sectionNumbers();
			plan.settings.set(`section_${numbers.get(6)!}_included`, false);
			plan.settings.set('glossary_450_included', false);
			plan.settings.set('forum_445_userinfo', false);
		});
		const counts = await courseCounts(site, result.courseId);
		t.like(counts, {sections: 6, posts: 1, discussions: 1});
		t.is(await count(site, '{course_modules} WHERE course = ?', [result.courseId]), 15);
	} finally {
		await dispose();
	}
});

test('the quiz activity backup as a new course: questions, attempts and grades come with it', async (t) => {
	const {site, dispose} = await tempSite();
	try {
		const result = await restore(site, fixture('rich101_activity_quiz_users.mbz'), {target: 'new', categoryId: 1});
		t.like(await courseCounts(site, result.courseId), {modules: {quiz: 1}, questions: 4, questionCategories: 2});
		t.is(await count(site, '{quiz_attempts} a JOIN {quiz} q ON q.id = a.quiz WHERE q.course = ?', [result.courseId]), 3);
		t.is(result.usersCreated.length, 8);
	} finally {
		await dispose();
	}
});

test('a section backup made by this tool restores into another course, merged by section number', async (t) => {
	const {site, dir, dispose} = await tempSite();
	try {
		const {planBackup} = await import('../../../source/engine/backup/plan-backup.js');
		const {runBackup} = await import('../../../source/engine/backup/run-backup.js');
		const source = await restore(site, fixture('rich101_users.mbz'), {target: 'new', categoryId: 1});
		const section = await site.db.get<{id: number}>('SELECT id FROM {course_sections} WHERE course = ? AND section = 3', [source.courseId]);
		const {plan} = await planBackup(site.db, 'section', Number(section!.id));
		const backup = await restore(site, fixture('gen_XS_users.mbz'), {target: 'new', categoryId: 1});
		const made = await runBackup(site, {type: 'section', id: Number(section!.id), settings: plan, destination: {dir}});
		const merged = await restore(site, made.path!, {target: 'merge', courseId: backup.courseId});
		t.is(merged.courseId, backup.courseId);
		const third = await site.db.get<{name: string; sequence: string}>('SELECT name, sequence FROM {course_sections} WHERE course = ? AND section = 3', [backup.courseId]);
		t.is(third?.name, 'Discussion');
		t.is(third!.sequence.split(',').filter(Boolean).length, 3);
		t.like(await courseCounts(site, backup.courseId), {modules: {forum: 2}});
	} finally {
		await dispose();
	}
});

test('the review announces the enrolment methods, user enrolments and files the restore then writes', async (t) => {
	const {site, dispose} = await tempSite();
	try {
		const scenarios: Array<{file: string; destination: (courseId: number) => RestoreDestination; configure?: (plan: RestorePlan) => void}> = [
			// No users: a new course gets Moodle's default methods (manual; guest and self disabled).
			{file: 'rich101_nousers.mbz', destination: () => ({target: 'new', categoryId: 1})},
			{file: 'rich101_users.mbz', destination: () => ({target: 'new', categoryId: 1})},
			// Every method converted to manual: one manual method, a user of two methods enrolled once.
			{file: 'rich101_users.mbz', destination: () => ({target: 'new', categoryId: 1}), configure: (plan) => plan.settings.set('enrolments', 'never')},
			// Merged into a course that has its methods already: nothing added, the users enrolled into them.
			{file: 'rich101_users.mbz', destination: (courseId) => ({target: 'merge', courseId}), configure: (plan) => plan.settings.set('manual_enrolments', true)},
			// Files: an activity left out takes its files along; another without user data keeps only its own.
			{file: 'rich101_users.mbz', destination: () => ({target: 'new', categoryId: 1}), configure: (plan) => {
				const forum = plan.info.activities.find((activity) => activity.modulename === 'forum' && activity.title !== 'Announcements')!;
				plan.settings.set(`forum_${forum.cmid}_included`, false);
				const assign = plan.info.activities.find((activity) => activity.modulename === 'assign')!;
				plan.settings.set(`assign_${assign.cmid}_userinfo`, false);
			}},
			// Activity backups list the course's badge images in files.xml: they do not come with the activity.
			{file: 'rich101_activity_forum_users.mbz', destination: (courseId) => ({target: 'merge', courseId})},
			{file: 'rich101_activity_quiz_users.mbz', destination: (courseId) => ({target: 'merge', courseId})},
		];
		let courseId = 0;
		for (const scenario of scenarios) {
			await withPlan(site, fixture(scenario.file), async (plan) => {
				await plan.setDestination(scenario.destination(courseId));
				scenario.configure?.(plan);
				const review = await plan.review();
				const result = await plan.execute();
				courseId ||= result.courseId;
				const label = `${scenario.file} ${JSON.stringify(scenario.destination(courseId))}`;
				t.is(review.counts['enrolMethods'] ?? 0, result.counts['enrolMethods'] ?? 0, `${label}: methods`);
				t.is(review.counts['userEnrolments'] ?? 0, result.counts['userEnrolments'] ?? 0, `${label}: user enrolments`);
				t.is(review.counts['files'] ?? 0, result.counts['files'] ?? 0, `${label}: files`);
				if (review.destination.target === 'merge' && review.type === 'course') {
					// The course has its manual and guest methods: the backup's go into them, said as kept.
					t.is(review.enrolments.find((entry) => entry.method === 'manual')?.outcome, 'reused');
					t.is(review.enrolments.find((entry) => entry.method === 'guest')?.outcome, 'reused');
				}
			});
		}
	} finally {
		await dispose();
	}
});

test('merge into a course whose gradebook is only its course category: the backup\'s gradebook comes in over it; once the course has categories of its own, it is kept', async (t) => {
	const {site, dispose} = await tempSite();
	try {
		const first = await restore(site, fixture('gen_XS_users.mbz'), {target: 'new', categoryId: 1});
		t.is(await count(site, '{grade_categories} WHERE courseid = ?', [first.courseId]), 1, 'the generated course has its course category only');
		const top = await site.db.get<{id: number}>('SELECT id FROM {grade_categories} WHERE courseid = ? AND parent IS NULL', [first.courseId]);
		await withPlan(site, fixture('rich101_users.mbz'), async (plan) => {
			await plan.setDestination({target: 'merge', courseId: first.courseId});
			t.false((await plan.review()).warnings.some((warning) => warning.code === 'gradebookKept'));
			await plan.execute();
		});
		const manual = await site.db.get<{id: number; categoryid: number}>("SELECT id, categoryid FROM {grade_items} WHERE courseid = ? AND itemtype = 'manual'", [first.courseId]);
		t.truthy(manual, 'the backup\'s manual item is restored');
		t.true(await count(site, '{grade_grades} WHERE itemid = ?', [manual!.id]) > 0, 'with its grades');
		t.is(await count(site, "{grade_items} WHERE courseid = ? AND itemtype = 'course'", [first.courseId]), 1, 'one course item');
		t.is(await count(site, '{grade_categories} WHERE courseid = ? AND parent IS NULL', [first.courseId]), 1, 'one course category');
		const newTop = await site.db.get<{id: number; path: string}>('SELECT id, path FROM {grade_categories} WHERE courseid = ? AND parent IS NULL', [first.courseId]);
		t.is(Number(newTop!.id), Number(top!.id), 'the course category is the one the course had');
		t.is(newTop!.path, `/${top!.id}/`);
		const categories = await count(site, '{grade_categories} WHERE courseid = ?', [first.courseId]);
		t.true(categories > 1);
		await withPlan(site, fixture('rich101_users.mbz'), async (plan) => {
			await plan.setDestination({target: 'merge', courseId: first.courseId});
			t.true((await plan.review()).warnings.some((warning) => warning.code === 'gradebookKept'));
			await plan.execute();
		});
		t.is(await count(site, '{grade_categories} WHERE courseid = ?', [first.courseId]), categories, 'the second merge adds no category');
		t.is(await count(site, "{grade_items} WHERE courseid = ? AND itemtype = 'manual'", [first.courseId]), 1);
	} finally {
		await dispose();
	}
});

test('an activity left out: the course gradebook is not restored (said on the review), the kept activities\' grade items hang under a course category', async (t) => {
	const {site, dispose} = await tempSite();
	try {
		await withPlan(site, fixture('rich101_users.mbz'), async (plan) => {
			await plan.setDestination({target: 'new', categoryId: 1});
			const quiz = plan.info.activities.find((activity) => activity.modulename === 'quiz')!;
			plan.settings.set(`quiz_${quiz.cmid}_included`, false);
			const review = await plan.review();
			t.true(review.warnings.some((warning) => warning.code === 'gradebookSkippedExcluded'), 'said before anything is written');
			const result = await plan.execute();
			t.is(result.warnings.filter((warning) => warning.code === 'gradebookSkippedExcluded').length, 1, 'said once on Complete');
			const items = await site.db.all<{itemtype: string; itemmodule: string | null; categoryid: number | null}>('SELECT itemtype, itemmodule, categoryid FROM {grade_items} WHERE courseid = ? ORDER BY id', [result.courseId]);
			// No manual item (ORAL1) nor the backup's category; the course item and the assignment's item (the forum's too if graded).
			t.false(items.some((item) => item.itemtype === 'manual' || item.itemtype === 'category'));
			t.true(items.some((item) => item.itemtype === 'course'));
			t.true(items.some((item) => item.itemmodule === 'assign'));
			t.false(items.some((item) => item.itemmodule === 'quiz'));
			const top = await site.db.get<{id: number}>('SELECT id FROM {grade_categories} WHERE courseid = ? AND parent IS NULL', [result.courseId]);
			t.truthy(top);
			t.true(items.filter((item) => item.itemtype === 'mod').every((item) => Number(item.categoryid) === Number(top!.id)));
			t.is(await count(site, '{grade_categories} WHERE courseid = ?', [result.courseId]), 1);
		});
	} finally {
		await dispose();
	}
});

test('delete-then-restore says on the review what it deletes: activities, enrolments and groups unless kept, the course\'s stored backups', async (t) => {
	const {site, dispose} = await tempSite();
	try {
		const first = await restore(site, fixture('rich101_users.mbz'), {target: 'new', categoryId: 1});
		const {storeInArea} = await import('../../../source/engine/areas/backup-areas.js');
		await storeInArea(site, {area: 'course', courseId: first.courseId}, fixture('gen_XS_users.mbz'), {filename: 'kept-elsewhere.mbz'});
		await withPlan(site, fixture('rich101_users.mbz'), async (plan) => {
			await plan.setDestination({target: 'replace', courseId: first.courseId});
			const said = (await plan.review()).warnings.find((warning) => warning.code === 'replaceDeletes');
			t.is(said?.text, 'the course\'s current contents are deleted first: 17 activities, 10 user enrolment(s) of its manual and self enrolment methods, 3 group(s), and 1 backup file(s) stored in its backup areas');
			plan.settings.set('keep_roles_and_enrolments', true);
			plan.settings.set('keep_groups_and_groupings', true);
			const kept = (await plan.review()).warnings.find((warning) => warning.code === 'replaceDeletes');
			t.regex(kept!.text, /17 activities, not its enrolments \(kept\), not its groups \(kept\), and 1 backup file/);
		});
	} finally {
		await dispose();
	}
});
