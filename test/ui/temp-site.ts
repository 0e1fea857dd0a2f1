import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {ExecutionContext} from 'ava';
import {openPreferences, type PreferenceStore} from '../../source/config.js';
import {initSite, type Site} from '../../source/engine/store/site.js';

/** A fresh site (optionally the demo courses) and preferences in a temporary directory, removed after the test. */
export async function tempServices(t: ExecutionContext, options: {demo?: boolean} = {}): Promise<{site: Site; prefs: PreferenceStore; dir: string}> {
	const dir = await mkdtemp(join(tmpdir(), 'mbz-ui-'));
	const site = await initSite(join(dir, 'site'), options.demo ? {demo: true} : {});
	t.teardown(async () => {
		await site.close();
		await rm(dir, {recursive: true, force: true});
	});
	return {site, prefs: openPreferences(join(dir, 'config')), dir};
}
