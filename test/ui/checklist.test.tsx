import test from 'ava';
import {useReducer} from 'react';
import {Checklist, type ChecklistItem} from '../../source/ui/widgets/checklist/checklist.js';
import {KEY, renderUi} from './helpers.js';

/** A tiny settings model: anonymize needs users, as in Moodle. */
function Harness({log}: {log: string[]}) {
	const [values, set] = useReducer((state: Record<string, boolean>, name: string) => ({...state, [name]: !state[name]}), {users: true, anonymize: false, files: true});
	const items: ChecklistItem[] = [
		{id: 'users', label: 'Include enrolled users', kind: 'bool', on: values['users']},
		{id: 'anonymize', label: 'Anonymize user information', kind: 'bool', on: values['users'] && values['anonymize'], locked: !values['users'], ...(!values['users'] ? {reason: 'needs: Include enrolled users'} : {})},
		{id: 'files', label: 'Include files', kind: 'bool', on: values['files']},
	];
	return <Checklist items={items} height={10} onToggle={id => { log.push(id); set(id); }} onSubmit={() => log.push('submit')} />;
}

test.serial('Space toggles; a locked item is marked [-], dimmed with its reason, and cannot be toggled', async t => {
	const log: string[] = [];
	const ui = await renderUi(<Harness log={log} />);
	t.regex(ui.frame(), /› \[x\] Include enrolled users/);
	t.regex(ui.frame(), /\[ \] Anonymize user information/);
	await ui.press(KEY.space);
	t.regex(ui.frame(), /› \[ \] Include enrolled users/);
	t.regex(ui.frame(), /\[-\] Anonymize user information \(needs: Include enrolled users\)/);
	await ui.press(KEY.down, KEY.space);
	t.deepEqual(log, ['users']);
	await ui.press(KEY.down, KEY.space, KEY.enter);
	t.regex(ui.frame(), /› \[ \] Include files/);
	t.deepEqual(log, ['users', 'files', 'submit']);
	ui.unmount();
});

test.serial('choices cycle with Space and arrows; long lists scroll', async t => {
	const cycles: string[] = [];
	const items: ChecklistItem[] = Array.from({length: 12}, (_, index) => ({id: `s${index}`, label: `Setting ${index}`, kind: 'bool' as const, on: true}));
	items.push({id: 'enrolments', label: 'Include enrolment methods', kind: 'choice', value: 'withusers', options: [{value: 'never', label: 'No'}, {value: 'withusers', label: 'Yes, but only if users are included'}]});
	const ui = await renderUi(<Checklist items={items} height={5} onToggle={() => undefined} onCycle={(id, direction) => cycles.push(`${id}${direction}`)} />);
	t.regex(ui.frame(), /8 more/);
	t.notRegex(ui.frame(), /enrolment/);
	await ui.press(...Array.from({length: 12}, () => KEY.down));
	t.regex(ui.frame(), /› \[>\] Include enrolment methods: < Yes, but only if users are included >/);
	t.notRegex(ui.frame(), /Setting 0/);
	await ui.press(KEY.space, KEY.left);
	t.deepEqual(cycles, ['enrolments1', 'enrolments-1']);
	ui.unmount();
});
