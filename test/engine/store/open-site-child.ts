// Runs initSite/openSite in a separate process (the read-only test runs it as an unprivileged user)
// and prints the outcome as JSON.
import {initSite, openSite} from '../../../source/engine/store/site.js';

const [action, location] = process.argv.slice(2) as ['init' | 'open', string];
try {
	const site = action === 'init' ? await initSite(location) : await openSite(location);
	await site.close();
	process.stdout.write(JSON.stringify({ok: true}));
} catch (error) {
	process.stdout.write(JSON.stringify({ok: false, name: (error as Error).name, message: (error as Error).message}));
}
