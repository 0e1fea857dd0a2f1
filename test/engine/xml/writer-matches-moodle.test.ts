import test from 'ava';
import {PassThrough, Readable} from 'node:stream';
import {readArchive} from '../../../source/engine/archive/read-archive.js';
import {readXmlRecords} from '../../../source/engine/xml/read-xml-records.js';
import {XmlWriter} from '../../../source/engine/xml/xml-writer.js';
import {fixturePath} from '../../helpers/fixtures.js';

async function entryText(name: string, path: string): Promise<string> {
	let text: string | undefined;
	await readArchive(fixturePath(name), async (entry) => {
		if (entry.path !== path) return;
		const chunks: Buffer[] = [];
		for await (const chunk of entry.content) chunks.push(chunk as Buffer);
		text = Buffer.concat(chunks).toString('utf8');
	});
	if (text === undefined) throw new Error(`${path} not in ${name}`);
	return text;
}

/** Reads a flat document (root, then records of leaves) and writes it again with XmlWriter. */
async function rewrite(xml: string, root: string, child?: string): Promise<string> {
	const out = new PassThrough();
	const parts: Buffer[] = [];
	out.on('data', (chunk: Buffer) => parts.push(chunk));
	const writer = new XmlWriter(out);
	const paths = child ? [`/${root}`, `/${root}/${child}`] : [`/${root}`];
	let depth = 0;
	for await (const record of readXmlRecords(Readable.from([xml]), {file: 'fixture', entry: root, paths})) {
		if (record.path === `/${root}/${child}` && depth === 2) writer.endTag(child!);
		if (record.path === `/${root}` || depth === 0) depth = 1;
		else depth = 2;
		writer.startTag(record.name, Object.keys(record.attrs).length > 0 ? record.attrs : undefined);
		for (const [name, value] of Object.entries(record.data)) writer.fullTag(name, value);
		if (!child) writer.endTag(root);
	}
	if (child) {
		if (depth === 2) writer.endTag(child);
		writer.endTag(root);
	}
	await writer.end();
	return Buffer.concat(parts).toString('utf8');
}

test('section.xml written again is byte for byte what Moodle wrote (escaped HTML, nulls)', async (t) => {
	const original = await entryText('rich101_users.mbz', 'sections/section_143/section.xml');
	t.is(await rewrite(original, 'section'), original);
});

test('files.xml written again is byte for byte what Moodle wrote (nested records, non-ASCII names)', async (t) => {
	const original = await entryText('rich101_users.mbz', 'files.xml');
	t.true(original.includes('$@NULL@$'));
	t.is(await rewrite(original, 'files', 'file'), original);
});
