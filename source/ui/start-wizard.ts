import {parseArgs} from 'node:util';
import {createElement} from 'react';
import {defaultSiteDir, openPreferences, resolveSiteLocation} from '../config.js';
import {UsageError} from '../engine/errors.js';
import {initSite, openSite, siteExists} from '../engine/store/site.js';
import {resolveLanguage, translate} from './i18n/index.js';

/** Opens the Ink wizard on the site (`--site`, MBZ_SITE, preferences, else the demo site). Returns the exit code. */
export async function startWizard(argv: string[]): Promise<number> {
	let values: {site?: string; lang?: string};
	try {
		({values} = parseArgs({args: argv, options: {site: {type: 'string'}, lang: {type: 'string'}}, strict: true, allowPositionals: false}));
	} catch (error) {
		throw new UsageError(`${error instanceof Error ? error.message : String(error)} (see mbz --help)`);
	}
	if (values.lang !== undefined && values.lang !== 'en' && values.lang !== 'fr') {
		throw new UsageError(`--lang must be en or fr, not "${values.lang}"`);
	}
	const prefs = openPreferences();
	const lang = resolveLanguage(values.lang, prefs.get('lang'));
	if (!process.stdin.isTTY) {
		// Ink needs raw mode: scripts and pipes use the commands instead.
		process.stderr.write(`mbz: ${translate(lang, 'app.noTty')}\n`);
		return 2;
	}
	const location = resolveSiteLocation(values.site, prefs);
	let site;
	if (await siteExists(location)) {
		site = await openSite(location);
	} else if (location === defaultSiteDir()) {
		site = await initSite(location, {demo: true});
	} else {
		throw new UsageError(`no site at ${location}: create one with: mbz site init --site ${location}`);
	}
	// NO_COLOR (no-color.org): Ink's colours come from chalk, which reads FORCE_COLOR when it loads; the
	// screens stay readable because marks ([x], [-], brackets, ›) carry the meaning, not colour.
	if (process.env['NO_COLOR'] && process.env['NO_COLOR'] !== '' && process.env['FORCE_COLOR'] === undefined) process.env['FORCE_COLOR'] = '0';
	// Ink draws only the final frame when CI or CONTINUOUS_INTEGRATION is set (it reads them when it loads).
	// We are on a terminal here (checked above), so a variable inherited from a build environment must not
	// leave the admin a blank screen.
	for (const name of ['CI', 'CONTINUOUS_INTEGRATION']) if (name in process.env) process.env[name] = 'false';
	let exitCode = 0;
	try {
		const {render} = await import('ink');
		const {App} = await import('../app.js');
		const instance = render(createElement(App, {site, prefs, lang, onExit: code => {
			exitCode = code;
		}}), {exitOnCtrlC: false});
		await instance.waitUntilExit();
	} finally {
		await site.close();
	}
	return exitCode;
}
