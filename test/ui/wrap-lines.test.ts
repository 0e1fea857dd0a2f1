import test from 'ava';
import {wrapLines} from '../../source/ui/widgets/text-view/text-view.js';

const texts = (lines: Array<{text: string}>) => lines.map(line => line.text);

test('long lines are split at spaces, continuation lines indented two more', t => {
	t.deepEqual(texts(wrapLines([{text: '  Course: one two three four five'}], 16)), ['  Course: one', '    two three', '    four five']);
	t.deepEqual(texts(wrapLines([{text: ''}, {text: 'short'}], 16)), ['', 'short']);
});

test('a word longer than the line (a 100-character short name) is cut where the line ends, and wrapping ends', t => {
	const shortName = 'A'.repeat(101);
	const lines = wrapLines([{text: `  Course: Rich fixture course (${shortName}), starts 2024-09-02`}], 80);
	t.true(lines.every(line => line.text.length <= 80));
	t.is(lines.map(line => line.text.trim()).join('').replaceAll(' ', '').length, `Course:Richfixturecourse(${shortName}),starts2024-09-02`.length, 'nothing lost');
	// So narrow that an indented continuation would leave no room: still ends.
	const narrow = wrapLines([{text: `      ${shortName}`}], 6);
	t.true(narrow.every(line => line.text.length <= 6));
	t.true(narrow.length < 40);
});

test('French spacing stays with its word: no line starts with ":" or "»", none ends with "«"', t => {
	const lines = wrapLines([{text: '  Utilisateurs à créer : 15 · à associer à des comptes existants : 0 · compte « admin_8f7cb045b959173e61d77ca71a6901a7 »'}], 40);
	for (const line of lines) {
		t.notRegex(line.text.trim(), /^[:;!?»]/u, line.text);
		t.notRegex(line.text, /«$/u, line.text);
	}
	t.true(lines.every(line => line.text.length <= 40));
});
