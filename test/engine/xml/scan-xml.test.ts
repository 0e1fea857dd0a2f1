import test from 'ava';
import sax from 'sax';
import {readArchive} from '../../../source/engine/archive/read-archive.js';
import {XmlScanError, XmlScanner} from '../../../source/engine/xml/scan-xml.js';
import {fixturePath} from '../../helpers/fixtures.js';

/** Tokens as one comparable list: open with attributes, text runs merged, close. */
function scanTokens(document: Buffer, chunkSize = document.length): string[] {
	const tokens: string[] = [];
	let text = '';
	const flush = () => {
		if (text !== '') tokens.push(`#${text}`);
		text = '';
	};
	const scanner = new XmlScanner({
		open(name, attrs, line) {
			flush();
			tokens.push(`<${name} ${JSON.stringify(attrs)} @${line}`);
		},
		text(value) {
			text += value;
		},
		close(name) {
			flush();
			tokens.push(`</${name}`);
		},
	});
	for (let offset = 0; offset < document.length; offset += chunkSize) scanner.write(document.subarray(offset, offset + chunkSize));
	scanner.end();
	return tokens;
}

/** The same list from sax, the reference parser (strict mode). */
function saxTokens(document: Buffer): string[] {
	const tokens: string[] = [];
	let text = '';
	const parser = sax.parser(true, {trim: false, normalize: false, position: true});
	const flush = () => {
		if (text !== '') tokens.push(`#${text}`);
		text = '';
	};
	parser.onopentag = (tag) => {
		flush();
		tokens.push(`<${tag.name} ${JSON.stringify(tag.attributes)} @${parser.line + 1}`);
	};
	parser.ontext = (value) => {
		if (tokens.length > 0) text += value; // sax also reports whitespace before the root
	};
	parser.oncdata = (value) => {
		text += value;
	};
	parser.onclosetag = (name) => {
		flush();
		tokens.push(`</${name}`);
	};
	parser.write(document.toString('utf8')).close();
	// Text after the root (whitespace) is not part of any element.
	while (tokens.at(-1)?.startsWith('#')) tokens.pop();
	return tokens;
}

test('every XML entry of every real Moodle backup gives the same tokens as sax, in one chunk and in odd chunks', async (t) => {
	let entries = 0;
	for (const name of ['rich101_users.mbz', 'rich101_users_anon.mbz', 'rich101_users_zipformat.mbz', 'gen_S_users.mbz', 'rich101_activity_quiz_users.mbz']) {
		await readArchive(fixturePath(name), async (entry) => {
			if (entry.type !== 'file' || !entry.path.endsWith('.xml')) return;
			const parts: Buffer[] = [];
			for await (const chunk of entry.content) parts.push(chunk as Buffer);
			const document = Buffer.concat(parts);
			const expected = saxTokens(document);
			t.deepEqual(scanTokens(document), expected, `${name}: ${entry.path}`);
			// Chunk sizes that split names, entities, multi-byte characters and markup at every kind of place.
			t.deepEqual(scanTokens(document, 997), expected, `${name}: ${entry.path} in 997-byte chunks`);
			entries++;
		});
	}
	t.true(entries > 300, `${entries} entries compared`);
});

test('one-byte chunks: entities, CDATA, comments, a BOM, attributes with > and quotes, non-ASCII text', (t) => {
	const document = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(
		'<?xml version="1.0" encoding="UTF-8"?>\n<!-- a comment -->\n<a x=\'1 > 0\' y="&quot;q&quot; &amp; &#233;">\n'
		+ '  <b>Élodie &lt;3 &#x2603;</b><c/><d><![CDATA[<raw> & ]]]></d>\n  <!-- inside -->\n</a>\n', 'utf8')]);
	const expected = [
		'<a {"x":"1 > 0","y":"\\"q\\" & é"} @3', '#\n  ', '<b {} @4', '#Élodie <3 ☃', '</b', '<c {} @4', '</c', '<d {} @4', '#<raw> & ]', '</d', '#\n  \n', '</a',
	];
	t.deepEqual(scanTokens(document), expected);
	t.deepEqual(scanTokens(document, 1), expected);
});

function scanError(text: string): XmlScanError {
	try {
		scanTokens(Buffer.from(text, 'utf8'), 3);
	} catch (error) {
		if (error instanceof XmlScanError) return error;
		throw error;
	}
	throw new Error(`no error for ${text}`);
}

test('what makes a document malformed is an error with the line it is on', (t) => {
	const cases: Array<[string, RegExp, number]> = [
		['<a>\n<b>x</c>\n</a>', /end tag <\/c> does not match <b>/, 2],
		['<a>\n<b>', /unclosed element <b>/, 2],
		['<a>\n<b', /unexpected end of document inside markup/, 2],
		['', /empty document/, 1],
		['  \n ', /empty document/, 2],
		['<a></a>\n<b></b>', /more than one root element/, 2],
		['<a></a>\ntext', /text after the root element/, 2],
		['x<a></a>', /text before the root element/, 1],
		['<a>\n\n&nbsp;</a>', /invalid entity reference "&nbsp;"/, 3],
		['<a>fish & chips</a>', /invalid entity reference "&"/, 1],
		['<a>&amp</a>', /invalid entity reference "&amp"/, 1],
		['<a>&#0;</a>', /invalid character reference/, 1],
		['<a x=1></a>', /attribute x of <a> is not quoted/, 1],
		['<a x="1"y="2"></a>', /malformed attribute in <a>/, 1],
		['<a x="1" x="2"></a>', /attribute x repeated in <a>/, 1],
		['<a x="<"></a>', /"<" in attribute x of <a>/, 1],
		['<a>\n<1b></1b></a>', /invalid element name "1b"/, 2],
		['<a><!x></a>', /malformed markup after "<!"/, 1],
		['</a>', /unexpected end tag <\/a>/, 1],
	];
	for (const [text, message, line] of cases) {
		const error = scanError(text);
		t.regex(error.message, message, text);
		t.is(error.line, line, `${text}: line`);
	}
});

test('a long text split over many chunks comes out whole, and is only decoded once complete', (t) => {
	const value = 'é&amp;'.repeat(200_000);
	const tokens = scanTokens(Buffer.from(`<a><b>${value}</b></a>`, 'utf8'), 4096);
	t.is(tokens[2], `#${'é&'.repeat(200_000)}`);
});
