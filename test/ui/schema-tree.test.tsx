import test from 'ava';
import {useReducer} from 'react';
import {SchemaTree, type TreeSection} from '../../source/ui/widgets/schema-tree/schema-tree.js';
import {KEY, renderUi} from './helpers.js';

const SECTIONS: TreeSection[] = [
	{key: 's1', label: 'General', included: 'section_1_included', userData: 'section_1_userinfo', activities: [
		{key: 'a1', modname: 'forum', label: 'Announcements', included: 'forum_1_included', userData: 'forum_1_userinfo'},
		{key: 'a2', modname: 'page', label: 'Syllabus', included: 'page_2_included', userData: 'page_2_userinfo'},
	]},
	{key: 's2', label: 'Discussion', included: 'section_2_included', userData: 'section_2_userinfo', activities: [
		{key: 'a3', modname: 'forum', label: 'Debate', included: 'forum_3_included', userData: 'forum_3_userinfo'},
		{key: 'a4', modname: 'quiz', label: 'Quiz', included: 'quiz_4_included', userData: 'quiz_4_userinfo'},
	]},
];

/** Activities are locked while their section is excluded, as in Moodle. */
function Harness({values}: {values: Record<string, boolean>}) {
	const [, rerender] = useReducer((count: number) => count + 1, 0);
	const sectionOf = (name: string) => SECTIONS.find(section => section.activities.some(activity => activity.included === name || activity.userData === name));
	const setting = (name: string) => {
		const section = sectionOf(name);
		const locked = section ? values[section.included!] === false : false;
		return {on: !locked && values[name] !== false, locked};
	};
	return <SchemaTree sections={SECTIONS} height={10} setting={setting} onSet={(name, value) => { values[name] = value; rerender(); }} />;
}

test.serial('Space includes, u toggles user data, locked activities follow their section', async t => {
	const values: Record<string, boolean> = {};
	const ui = await renderUi(<Harness values={values} />);
	t.regex(ui.frame(), /› \[x\] General\s+\[x\] user data/);
	await ui.press(KEY.down, KEY.space);
	t.regex(ui.frame(), /› {5}\[ \] Announcements \(forum\)/);
	await ui.press('u');
	t.is(values['forum_1_userinfo'], false);
	await ui.press(KEY.up, KEY.space);
	t.regex(ui.frame(), /\[-\] Syllabus \(page\)/);
	await ui.press(KEY.down, KEY.down, KEY.space);
	t.false('page_2_included' in values, 'a locked activity is not changed');
	ui.unmount();
});

test.serial('a selects all, n none, t toggles every activity of one type, / filters', async t => {
	const values: Record<string, boolean> = {};
	const ui = await renderUi(<Harness values={values} />);
	await ui.press('n');
	t.is(values['section_1_included'], false);
	t.is(values['section_2_included'], false);
	await ui.press('a');
	t.true(values['section_1_included']);
	await ui.press(KEY.down, 't');
	t.is(values['forum_1_included'], false);
	t.is(values['forum_3_included'], false);
	t.false('quiz_4_included' in values);
	await ui.press('/', 'quiz', KEY.enter);
	t.regex(ui.frame(), /Filter: quiz/);
	t.regex(ui.frame(), /Quiz \(quiz\)/);
	t.notRegex(ui.frame(), /Announcements/);
	await ui.press(KEY.down, KEY.space);
	t.is(values['quiz_4_included'], false);
	await ui.press(KEY.escape);
	t.regex(ui.frame(), /Announcements/);
	ui.unmount();
});

test.serial('a row locked out says why beside its type (a quiz without the question bank)', async t => {
	const setting = (name: string) => (name === 'quiz_4_included'
		? {on: false, locked: true, reason: 'needs: Include question bank'}
		: {on: true, locked: false});
	const ui = await renderUi(<SchemaTree sections={SECTIONS} height={10} setting={setting} onSet={() => undefined} />);
	t.regex(ui.frame(), /\[-\] Quiz \(quiz\) \(needs: Include question bank\)/);
	t.regex(ui.frame(), /\[x\] Debate \(forum\)\s+\[x\] user data/, 'rows not locked carry no reason');
	ui.unmount();
});

test.serial('Home and End go to the first and the last row', async t => {
	const ui = await renderUi(<Harness values={{}} />);
	await ui.press('\u001b[F');
	t.regex(ui.frame(), /› {5}\[x\] Quiz \(quiz\)/);
	await ui.press('\u001b[H');
	t.regex(ui.frame(), /› \[x\] General/);
	ui.unmount();
});
