import test from 'ava';
import {useState} from 'react';
import {Text} from 'ink';
import {applyKey, TextField, visibleWindow} from '../../source/ui/widgets/text-field/text-field.js';
import {KEY, renderUi} from './helpers.js';

const char = (c: string) => ({kind: 'char' as const, char: c});
const key = (name: 'backspace' | 'left' | 'right' | 'home' | 'end' | 'clearLine' | 'space' | 'delete') => ({kind: 'key' as const, name});

test('applyKey: typing inserts at the cursor; Backspace, ←→, Home/End and Ctrl-U edit by characters', t => {
	let edit = {value: 'Géo', cursor: 3};
	edit = applyKey(edit, char('!'));
	t.deepEqual(edit, {value: 'Géo!', cursor: 4});
	edit = applyKey(applyKey(edit, key('left')), key('left'));
	edit = applyKey(edit, key('backspace'));
	t.deepEqual(edit, {value: 'Go!', cursor: 1});
	edit = applyKey(applyKey(edit, key('home')), key('space'));
	t.deepEqual(edit, {value: ' Go!', cursor: 1});
	edit = applyKey(edit, key('end'));
	t.is(edit.cursor, 4);
	t.deepEqual(applyKey({value: '', cursor: 0}, key('backspace')), {value: '', cursor: 0});
	t.deepEqual(applyKey(edit, key('clearLine')), {value: '', cursor: 0});
	t.deepEqual(applyKey({value: 'ab', cursor: 0}, key('delete')), {value: 'b', cursor: 0});
});

test('visibleWindow: a value longer than its line scrolls to keep the cursor in view, "…" where text is hidden', t => {
	t.deepEqual(visibleWindow('short', 5, 20), {before: 'short', atCursor: ' ', after: ''});
	const long = 'abcdefghijklmnopqrstuvwxyz';
	const atEnd = visibleWindow(long, long.length, 10);
	t.is(`${atEnd.before}${atEnd.atCursor}${atEnd.after}`.length, 10);
	t.true(atEnd.before.startsWith('…'));
	t.true(atEnd.before.endsWith('xyz'));
	const atStart = visibleWindow(long, 0, 10);
	t.is(atStart.atCursor, 'a');
	t.true(atStart.after.endsWith('…'));
	t.is(`${atStart.before}${atStart.atCursor}${atStart.after}`.length, 10);
});

function Field({initial, onValue, onSubmit}: {initial: string; onValue(value: string): void; onSubmit?(value: string): void}) {
	const [value, setValue] = useState(initial);
	return (
		<>
			<TextField value={value} onChange={next => {
				setValue(next);
				onValue(next);
			}} {...(onSubmit ? {onSubmit} : {})} />
			<Text>[{value}]</Text>
		</>
	);
}

test.serial('backspaces arriving in one read (a held key over SSH) delete, and nothing invisible is stored', async t => {
	let latest = '';
	let submitted = '';
	const ui = await renderUi(<Field initial="course-XS.mbz" onValue={value => {
		latest = value;
	}} onSubmit={value => {
		submitted = value;
	}} />);
	await ui.press(KEY.backspace.repeat(4));
	t.is(latest, 'course-XS');
	await ui.press('.zip\r');
	t.is(latest, 'course-XS.zip');
	t.is(submitted, 'course-XS.zip', 'Enter in the same read submits what was typed before it');
	t.regex(ui.frame(), /\[course-XS\.zip\]/);
	t.false(/[\u0000-\u001f\u007f]/.test(latest));
	// Ctrl-U clears the line, as in a shell.
	await ui.press('\u0015');
	t.is(latest, '');
	ui.unmount();
});
