import test from 'ava';
import {courseCounts, fixture, restore, tempSite} from './restore-helpers.js';

// fixtures/MANIFEST.md, generator courses: sections, cms (assign / forum / page / resource), user enrolments
// (admin + students), role assignments, discussions / posts, grade items (course + mod), files.
const GENERATED = [
	{name: 'gen_XS_users.mbz', sections: 2, modules: {assign: 1, forum: 1, page: 1, resource: 2}, enrolled: 2, discussions: 1, posts: 2, gradeItems: 2, files: 4},
	{name: 'gen_S_users.mbz', sections: 11, modules: {assign: 10, forum: 1, page: 50, resource: 3}, enrolled: 101, discussions: 10, posts: 20, gradeItems: 11, files: 69},
	{name: 'gen_M_smallfiles_users.mbz', sections: 101, modules: {assign: 100, forum: 1, page: 200, resource: 6}, enrolled: 1001, discussions: 100, posts: 500, gradeItems: 101, files: 139},
];

for (const expected of GENERATED) {
	test(`${expected.name} restores with the manifest's counts`, async (t) => {
		const {site, dispose} = await tempSite();
		try {
			const result = await restore(site, fixture(expected.name), {target: 'new', categoryId: 1});
			t.like(await courseCounts(site, result.courseId), {
				sections: expected.sections, modules: expected.modules, enrolMethods: {manual: expected.enrolled},
				courseRoleAssignments: expected.enrolled, discussions: expected.discussions, posts: expected.posts,
				gradeItems: expected.gradeItems, grades: 0, files: expected.files,
			});
			// The backup's admin (enrolled as teacher there) becomes admin_<hash> here; the students are created.
			t.is(result.usersCreated.length, expected.enrolled);
		} finally {
			await dispose();
		}
	});
}
