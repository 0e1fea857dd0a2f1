import test from 'ava';
import {PassThrough} from 'node:stream';
import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {XmlError} from '../../../source/engine/errors.js';
import {readXmlFile, readXmlRecords, type XmlRecord} from '../../../source/engine/xml/read-xml-records.js';
import {XmlWriter} from '../../../source/engine/xml/xml-writer.js';
import {tempDir} from '../../helpers/fixtures.js';

async function* chunks(text: string, size = 7): AsyncGenerator<Buffer> {
	const buffer = Buffer.from(text, 'utf8');
	for (let offset = 0; offset < buffer.length; offset += size) yield buffer.subarray(offset, offset + size);
}

async function collect(text: string, paths: string[], size?: number): Promise<XmlRecord[]> {
	const records: XmlRecord[] = [];
	for await (const record of readXmlRecords(chunks(text, size), {file: 'b.mbz', entry: 'x.xml', paths})) records.push(record);
	return records;
}

const FORUM = `<?xml version="1.0" encoding="UTF-8"?>
<activity id="3" moduleid="445" modulename="forum" contextid="1530">
  <forum id="3">
    <type>general</type>
    <name>Forum &amp; débat</name>
    <intro><![CDATA[<p>Hello</p>]]></intro>
    <introformat>1</introformat>
    <assessed>$@NULL@$</assessed>
    <tags>
    </tags>
    <discussions>
      <discussion id="7">
        <name>Bienvenue</name>
        <posts>
          <post id="20">
            <subject>Hi</subject>
            <message></message>
          </post>
          <post id="21">
            <subject>Re: Hi</subject>
          </post>
        </posts>
        <timemodified>123</timemodified>
      </discussion>
    </discussions>
  </forum>
</activity>`;

const PATHS = ['/activity', '/activity/forum', '/activity/forum/discussions/discussion', '/activity/forum/discussions/discussion/posts/post'];

test('records carry attributes, leaf data, nulls, entities and CDATA; parents come before children', async (t) => {
	const records = await collect(FORUM, PATHS);
	t.deepEqual(
		records.map((record) => `${record.name}:${record.attrs.id}`),
		['activity:3', 'forum:3', 'discussion:7', 'post:20', 'post:21'],
	);
	const forum = records[1]!;
	t.is(forum.path, '/activity/forum');
	t.is(forum.line, 3);
	t.deepEqual(forum.data, {type: 'general', name: 'Forum & débat', intro: '<p>Hello</p>', introformat: '1', assessed: null});
	t.deepEqual(records[0]!.attrs, {id: '3', moduleid: '445', modulename: 'forum', contextid: '1530'});
	t.deepEqual(records[3]!.data, {subject: 'Hi', message: ''});
	t.false('message' in records[4]!.data, 'a missing optional element is simply absent');
	// The discussion is reported when its first post opens: leaves after the posts are not part of it.
	t.deepEqual(records[2]!.data, {name: 'Bienvenue'});
});

test('an element is reported when it closes if no registered descendant opens', async (t) => {
	const records = await collect(FORUM, ['/activity/forum/discussions/discussion']);
	t.is(records.length, 1);
	t.deepEqual(records[0]!.data, {name: 'Bienvenue', timemodified: '123'});
});

test('multi-byte characters split across chunks are decoded intact', async (t) => {
	const records = await collect('<r><x><n>Élodie – Gaëlle</n></x></r>', ['/r/x'], 1);
	t.is(records[0]!.data.n, 'Élodie – Gaëlle');
});

test('malformed XML is an XmlError naming the file, entry and line', async (t) => {
	const error = await t.throwsAsync(collect('<?xml version="1.0"?>\n<a>\n  <b>x</c>\n</a>', ['/a']), {instanceOf: XmlError});
	t.is(error?.line, 3);
	t.regex(error!.message, /^b\.mbz: x\.xml line 3: /);
});

test('a truncated document and an empty one are errors', async (t) => {
	await t.throwsAsync(collect('<a><b>x</b>', ['/a']), {instanceOf: XmlError});
	await t.throwsAsync(collect('', ['/a']), {instanceOf: XmlError, message: /empty document/});
});

test('round trip: what XmlWriter writes, readXmlFile reads back', async (t) => {
	const dir = await tempDir(t);
	const file = join(dir, 'groups.xml');
	const out = new PassThrough();
	const parts: Buffer[] = [];
	out.on('data', (chunk: Buffer) => parts.push(chunk));
	const writer = new XmlWriter(out);
	writer.startTag('groups');
	for (let id = 1; id <= 3; id++) {
		writer.startTag('group', {id});
		writer.fullTag('name', `Groupe ${id} & <co>`);
		writer.fullTag('description', null);
		writer.fullTag('picture', 0);
		writer.startTag('group_members');
		writer.endTag('group_members');
		writer.endTag('group');
	}
	writer.endTag('groups');
	await writer.end();
	await writeFile(file, Buffer.concat(parts));
	const records: XmlRecord[] = [];
	for await (const record of readXmlFile(file, {file: 'x.mbz', entry: 'groups.xml', paths: ['/groups/group']})) records.push(record);
	t.deepEqual(
		records.map((record) => [record.attrs.id, record.data]),
		[1, 2, 3].map((id) => [String(id), {name: `Groupe ${id} & <co>`, description: null, picture: '0'}]),
	);
});
