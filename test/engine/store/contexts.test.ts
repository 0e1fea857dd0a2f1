import type {ExecutionContext} from 'ava';
import {StoreError} from '../../../source/engine/errors.js';
import {CONTEXT_LEVEL, contextBranch, contextIdFor, createContext, createContexts, getContext} from '../../../source/engine/store/contexts.js';
import {forEachSiteAdapter, initTestSite, type TestSiteLocation} from '../../helpers/site-adapters.js';

async function freshSite(t: ExecutionContext, location: TestSiteLocation) {
	const site = await initTestSite(location);
	t.teardown(() => site.close());
	return site;
}

forEachSiteAdapter('a fresh site has Moodle\'s system, site course, category and user contexts', async (t, location) => {
	const site = await freshSite(t, location);
	const system = await getContext(site.db, 1);
	t.like(system, {contextlevel: CONTEXT_LEVEL.SYSTEM, instanceid: 0, path: '/1', depth: 1});
	const siteCourse = await contextIdFor(site.db, CONTEXT_LEVEL.COURSE, 1);
	t.like(await getContext(site.db, siteCourse!), {path: `/1/${siteCourse}`, depth: 2});
	const category = await contextIdFor(site.db, CONTEXT_LEVEL.COURSECAT, 1);
	t.like(await getContext(site.db, category!), {path: `/1/${category}`, depth: 2});
	for (const userid of [1, 2]) {
		const id = await contextIdFor(site.db, CONTEXT_LEVEL.USER, userid);
		t.like(await getContext(site.db, id!), {path: `/1/${id}`, depth: 2});
	}
});

forEachSiteAdapter('paths and depths follow the parent chain: category > subcategory > course > module > block', async (t, location) => {
	const site = await freshSite(t, location);
	const category = await createContext(site.db, CONTEXT_LEVEL.COURSECAT, 50, 1);
	const subcategory = await createContext(site.db, CONTEXT_LEVEL.COURSECAT, 51, category);
	const course = await createContext(site.db, CONTEXT_LEVEL.COURSE, 60, subcategory);
	const modules = await createContexts(site.db, CONTEXT_LEVEL.MODULE, [70, 71, 72], course);
	const block = await createContext(site.db, CONTEXT_LEVEL.BLOCK, 80, modules[1]!);
	t.like(await getContext(site.db, category), {path: `/1/${category}`, depth: 2});
	t.like(await getContext(site.db, subcategory), {path: `/1/${category}/${subcategory}`, depth: 3});
	t.like(await getContext(site.db, course), {path: `/1/${category}/${subcategory}/${course}`, depth: 4});
	for (const [index, id] of modules.entries()) {
		t.like(await getContext(site.db, id), {contextlevel: 70, instanceid: 70 + index, path: `/1/${category}/${subcategory}/${course}/${id}`, depth: 5});
	}
	t.like(await getContext(site.db, block), {path: `/1/${category}/${subcategory}/${course}/${modules[1]}/${block}`, depth: 6});
	t.is(await contextIdFor(site.db, CONTEXT_LEVEL.MODULE, 71), modules[1]);
	t.is(await contextIdFor(site.db, CONTEXT_LEVEL.MODULE, 99), undefined);
	const branch = await contextBranch(site.db, course);
	t.deepEqual(branch.map(context => context.id), [course, ...modules, block]);
});

forEachSiteAdapter('a context needs an existing parent, and (level, instance) is unique', async (t, location) => {
	const site = await freshSite(t, location);
	await t.throwsAsync(createContext(site.db, CONTEXT_LEVEL.COURSE, 5, 9999), {instanceOf: StoreError, message: /context 9999 does not exist/});
	await t.throwsAsync(createContext(site.db, CONTEXT_LEVEL.COURSE, 7, null), {instanceOf: StoreError});
	await createContext(site.db, CONTEXT_LEVEL.COURSE, 5, 1);
	await t.throwsAsync(createContext(site.db, CONTEXT_LEVEL.COURSE, 5, 1), {instanceOf: StoreError, message: /unique/i});
});
