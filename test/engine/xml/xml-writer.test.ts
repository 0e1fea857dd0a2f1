import test from 'ava';
import {PassThrough, Writable} from 'node:stream';
import {XmlWriter} from '../../../source/engine/xml/xml-writer.js';

async function render(build: (writer: XmlWriter) => void, options?: {encodeText?: (text: string) => string}): Promise<string> {
	const out = new PassThrough();
	const chunks: Buffer[] = [];
	out.on('data', (chunk: Buffer) => chunks.push(chunk));
	const writer = new XmlWriter(out, options);
	build(writer);
	await writer.end();
	return Buffer.concat(chunks).toString('utf8');
}

test('writes Moodle\'s prologue, two-space indentation and no newline after the root', async (t) => {
	const xml = await render((w) => {
		w.startTag('moodle_backup');
		w.startTag('information');
		w.fullTag('name', 'backup.mbz');
		w.endTag('information');
		w.endTag('moodle_backup');
	});
	t.is(xml, '<?xml version="1.0" encoding="UTF-8"?>\n<moodle_backup>\n  <information>\n    <name>backup.mbz</name>\n  </information>\n</moodle_backup>');
});

test('null, booleans, numbers, empty strings and omitted values', async (t) => {
	const xml = await render((w) => {
		w.startTag('r');
		w.fullTag('a', null);
		w.fullTag('b', true);
		w.fullTag('c', false);
		w.fullTag('d', 42);
		w.fullTag('e', '');
		w.fullTag('f', undefined);
		w.endTag('r');
	});
	t.is(xml, '<?xml version="1.0" encoding="UTF-8"?>\n<r>\n  <a>$@NULL@$</a>\n  <b>1</b>\n  <c></c>\n  <d>42</d>\n  <e></e>\n</r>');
});

test('empty nested elements are open and close tags on separate lines, never self-closed', async (t) => {
	const xml = await render((w) => {
		w.startTag('inforef');
		w.endTag('inforef');
	});
	t.is(xml, '<?xml version="1.0" encoding="UTF-8"?>\n<inforef>\n</inforef>');
	const nested = await render((w) => {
		w.startTag('course', {id: 9});
		w.startTag('tags');
		w.endTag('tags');
		w.endTag('course');
	});
	t.is(nested, '<?xml version="1.0" encoding="UTF-8"?>\n<course id="9">\n  <tags>\n  </tags>\n</course>');
	t.false(nested.includes('/>'));
});

test('escapes & < > in text, also quotes in attributes; strips control characters; normalises line ends', async (t) => {
	const xml = await render((w) => {
		w.startTag('r', {name: 'a "b" & <c>', empty: null});
		w.fullTag('text', 'Histoire & "Géo" <b>\r\nline\rtwo\x01\x7f\tend');
		w.endTag('r');
	});
	t.is(
		xml,
		'<?xml version="1.0" encoding="UTF-8"?>\n<r name="a &quot;b&quot; &amp; &lt;c&gt;" empty="">\n  <text>Histoire &amp; "Géo" &lt;b&gt;\nline\ntwo\tend</text>\n</r>',
	);
});

test('the content-link encoder sees only non-numeric texts of 32 bytes or more', async (t) => {
	const seen: string[] = [];
	const encodeText = (text: string): string => {
		seen.push(text);
		return text.replace('http://site', '$@SITE@$');
	};
	const long = 'see http://site/course/view.php?id=9 now';
	const xml = await render((w) => {
		w.startTag('r');
		w.fullTag('short', 'http://site/x');
		w.fullTag('long', long);
		w.fullTag('numeric', '12345678901234567890123456789012345');
		w.fullTag('number', 12345678901234567890123456789012345);
		w.endTag('r');
	}, {encodeText});
	t.deepEqual(seen, [long]);
	t.true(xml.includes('<long>see $@SITE@$/course/view.php?id=9 now</long>'));
	t.true(xml.includes('<short>http://site/x</short>'));
});

test('refuses to close an element that is not open', async (t) => {
	const writer = new XmlWriter(new PassThrough());
	writer.startTag('a');
	t.throws(() => writer.endTag('b'), {message: /closing <b>/});
});

test('flush() waits for a slow stream to drain (backpressure)', async (t) => {
	let written = 0;
	const slow = new Writable({
		highWaterMark: 1024,
		write(chunk: Buffer, _encoding, callback) {
			written += chunk.length;
			setTimeout(callback, 1);
		},
	});
	const writer = new XmlWriter(slow);
	writer.startTag('r');
	for (let index = 0; index < 3000; index++) {
		writer.fullTag('v', 'x'.repeat(100));
		if (index % 500 === 0) await writer.flush();
	}
	writer.endTag('r');
	await writer.end();
	t.true(written > 300_000);
});
