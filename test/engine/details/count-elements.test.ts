import test from 'ava';
import {countStartTags} from '../../../source/engine/details/count-elements.js';

const XML = '<?xml version="1.0" encoding="UTF-8"?>\n<users>\n  <user id="2" contextid="5">\n    <username>a</username>\n    <user_x>&lt;user id="9"&gt;</user_x>\n  </user>\n  <user>\n  </user>\n<user\n id="4"></user>\n</users>';

async function* pieces(text: string, size: number): AsyncGenerator<Buffer> {
	const data = Buffer.from(text);
	for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

test('counts start tags of one element whatever the chunking, ignoring longer names and escaped text', async (t) => {
	for (const size of [1, 2, 3, 5, 7, 64, 4096]) t.is(await countStartTags(pieces(XML, size), 'user'), 3, `chunks of ${size}`);
	t.is(await countStartTags(pieces(XML, 3), 'users'), 1);
});
