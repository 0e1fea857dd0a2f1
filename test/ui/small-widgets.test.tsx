import test from 'ava';
import {KeyHelp} from '../../source/ui/widgets/key-help/key-help.js';
import {estimateRemaining, formatDuration, ProgressBar} from '../../source/ui/widgets/progress-bar/progress-bar.js';
import {StepBar, stepBarParts} from '../../source/ui/widgets/step-bar/step-bar.js';
import {renderUi} from './helpers.js';

const STEPS = ['Confirm', 'Destination', 'Settings', 'Schema', 'Review', 'Process', 'Complete'];

test.serial('the step bar marks the current step with brackets and keeps every number', async t => {
	const ui = await renderUi(<StepBar labels={STEPS} current={2} width={120} />);
	t.is(ui.frame(), '1. Confirm ► 2. Destination ► [3. Settings] ► 4. Schema ► 5. Review ► 6. Process ► 7. Complete');
	ui.unmount();
	const narrow = stepBarParts(STEPS, 1, 60).map(part => part.text).join(' ► ');
	t.is(narrow, '1 ► [2. Destination] ► 3 ► 4 ► 5 ► 6 ► 7');
});

test.serial('the progress bar shows done/total, the item and the time left', async t => {
	const ui = await renderUi(<ProgressBar done={25} total={100} item="forum_445" stage="activities" startedAt={0} now={10_000} width={60} />);
	t.regex(ui.frame(), /\[#{10}-{30}\] 25% 25\/100/);
	t.regex(ui.frame(), /activities: forum_445/);
	t.regex(ui.frame(), /about 30 s left/);
	ui.unmount();
	t.is(estimateRemaining(0, 10, 1000), undefined);
	t.is(formatDuration(125), '2 min 05 s');
});

test.serial('the key help lists the keys of the screen, in French too', async t => {
	const ui = await renderUi(<KeyHelp keys={['↑↓ déplacer', 'Entrée choisir', 'q quitter']} />, 'fr');
	t.regex(ui.frame(), /↑↓ déplacer · Entrée choisir · q quitter/);
	ui.unmount();
});
