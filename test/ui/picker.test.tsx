import test from 'ava';
import {Picker} from '../../source/ui/widgets/picker/picker.js';
import {KEY, renderUi} from './helpers.js';

const ITEMS = Array.from({length: 30}, (_, index) => ({value: String(index + 1), label: `Course ${index + 1}`, hint: index === 11 ? 'RICH101' : `C${index + 1}`}));

test.serial('typing filters, arrows move, Enter selects the highlighted item', async t => {
	const chosen: string[] = [];
	const ui = await renderUi(<Picker items={ITEMS} height={5} onSelect={value => chosen.push(value)} />);
	t.regex(ui.frame(), /› Course 1\b/);
	t.regex(ui.frame(), /25 more/);
	await ui.press('rich');
	t.regex(ui.frame(), /Filter: rich/);
	t.regex(ui.frame(), /› Course 12 RICH101/);
	t.notRegex(ui.frame(), /Course 2\b/);
	await ui.press(KEY.enter);
	t.deepEqual(chosen, ['12']);
	ui.unmount();
});

test.serial('a burst of keys with Enter ("abc\\r") is handled key by key, and the list scrolls', async t => {
	const chosen: string[] = [];
	const ui = await renderUi(<Picker items={ITEMS} height={4} onSelect={value => chosen.push(value)} />);
	await ui.press(`${KEY.down}${KEY.down}${KEY.down}${KEY.down}${KEY.down}`);
	t.regex(ui.frame(), /› Course 6/);
	t.notRegex(ui.frame(), /Course 1\b/);
	await ui.press('course 3\r');
	t.deepEqual(chosen, ['3']);
	ui.unmount();
});

test.serial('Esc clears the filter first, then is passed to the screen', async t => {
	const unhandled: string[] = [];
	const ui = await renderUi(<Picker items={ITEMS} height={5} onSelect={() => undefined} onUnhandled={stroke => unhandled.push(stroke.kind === 'key' ? stroke.name : stroke.char)} />);
	await ui.press('zz');
	t.regex(ui.frame(), /Nothing matches/);
	await ui.press(KEY.escape);
	t.regex(ui.frame(), /› Course 1\b/);
	t.deepEqual(unhandled, []);
	await ui.press(KEY.escape);
	t.deepEqual(unhandled, ['escape']);
	ui.unmount();
});
