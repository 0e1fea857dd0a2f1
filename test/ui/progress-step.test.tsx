import test from 'ava';
import {ProgressStep} from '../../source/ui/backup/progress-step.js';
import {ProcessStep} from '../../source/ui/restore/process-step.js';
import {renderScreen} from './helpers.js';
import {tempServices} from './temp-site.js';

test.serial('Process: progress with the item; the first Ctrl-C cancels and says the restore is rolled back, a second offers to quit', async t => {
	const services = await tempServices(t);
	let ctrlC: (() => void) | undefined;
	let cancels = 0;
	const ui = await renderScreen(<ProcessStep progress={{stage: 'activities', item: 'forum_445', done: 3, total: 12, startedAt: Date.now() - 3000}} cancelling={false} onCancel={() => cancels++} />, services, {
		shell: {setCtrlCHandler: handler => {
			ctrlC = handler;
		}},
	});
	t.regex(ui.frame(), /Restoring…/);
	t.regex(ui.frame(), /25% 3\/12/);
	t.regex(ui.frame(), /Activities: forum_445/);
	t.regex(ui.frame(), /about \d+ s left/);
	t.deepEqual(ui.footer(), ['Ctrl-C cancel']);
	ctrlC!();
	t.is(cancels, 1);
	ctrlC!();
	t.is(cancels, 1);
	t.is(ui.quitRequests(), 1);
	ui.unmount();
	const cancelling = await renderScreen(<ProcessStep cancelling onCancel={() => undefined} />, services);
	t.regex(cancelling.frame(), /Cancelling: the restore is being rolled back…/);
	cancelling.unmount();
});

test.serial('the backup progress shows its own title and cancel message', async t => {
	const services = await tempServices(t);
	const ui = await renderScreen(<ProgressStep title="Backing up…" progress={{stage: 'files', item: 'files.xml', done: 5, total: 5, startedAt: 0}} cancelling cancellingText="The backup was cancelled; nothing was written." onCancel={() => undefined} />, services);
	t.regex(ui.frame(), /Backing up…/);
	t.regex(ui.frame(), /100% 5\/5/);
	t.regex(ui.frame(), /done/);
	t.regex(ui.frame(), /The backup was cancelled; nothing was written\./);
	ui.unmount();
});

test.serial('the stage is said in the interface\'s language', async t => {
	const services = await tempServices(t);
	const ui = await renderScreen(<ProcessStep progress={{stage: 'gradebook', item: '', done: 0, total: 1, startedAt: Date.now()}} cancelling={false} onCancel={() => undefined} />, services, {lang: 'fr'});
	t.regex(ui.frame(), /^Carnet de notes$/m, 'a stage without an item is said alone, without a dangling colon');
	ui.unmount();
	const withItem = await renderScreen(<ProcessStep progress={{stage: 'sections', item: 'Introduction', done: 0, total: 1, startedAt: Date.now()}} cancelling={false} onCancel={() => undefined} />, services, {lang: 'fr'});
	t.regex(withItem.frame(), /^Sections : Introduction$/m);
	withItem.unmount();
	const unknown = await renderScreen(<ProcessStep progress={{stage: 'blogs', item: 'x', done: 0, total: 1, startedAt: Date.now()}} cancelling={false} onCancel={() => undefined} />, services);
	t.regex(unknown.frame(), /blogs: x/);
	unknown.unmount();
});
