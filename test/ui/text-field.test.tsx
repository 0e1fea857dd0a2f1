import test from 'ava';
import {useState} from 'react';
import {Text} from 'ink';
import {cleanTyped, TextField} from '../../source/ui/widgets/text-field/text-field.js';
import {KEY, renderUi} from './helpers.js';

test('cleanTyped: each backspace deletes the character before it; other control characters are dropped', t => {
	t.is(cleanTyped('report.mbz\u007f\u007f\u007fzip'), 'report.zip');
	t.is(cleanTyped('ab\u007f\u007f\u007f'), '');
	t.is(cleanTyped('a\u0001b\tc\u001bd'), 'abcd');
	t.is(cleanTyped('Géographie – été'), 'Géographie – été');
});

function Field({initial, onValue}: {initial: string; onValue(value: string): void}) {
	const [value, setValue] = useState(initial);
	return (
		<>
			<TextField value={value} onChange={next => {
				setValue(next);
				onValue(next);
			}} />
			<Text>[{value}]</Text>
		</>
	);
}

test('backspaces arriving in one read (a held key over SSH) delete, and nothing invisible is stored', async t => {
	let latest = '';
	const ui = await renderUi(<Field initial="course-XS.mbz" onValue={value => {
		latest = value;
	}} />);
	await ui.press(KEY.backspace.repeat(4));
	t.is(latest, 'course-XS');
	await ui.press('.zip');
	t.is(latest, 'course-XS.zip');
	t.regex(ui.frame(), /\[course-XS\.zip\]/);
	t.false(/[\u0000-\u001f\u007f]/.test(latest));
	ui.unmount();
});
