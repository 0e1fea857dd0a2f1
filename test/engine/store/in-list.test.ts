import test from 'ava';
import {forEachChunk, IN_LIST_SIZE, placeholders} from '../../../source/engine/store/in-list.js';

test('forEachChunk hands out every value once, in order, in lists of at most IN_LIST_SIZE with their placeholders', async t => {
	const values = Array.from({length: IN_LIST_SIZE * 2 + 1}, (_, index) => index);
	const seen: number[] = [];
	const sizes: number[] = [];
	await forEachChunk(values, async (chunk, list) => {
		t.is(list, placeholders(chunk.length));
		sizes.push(chunk.length);
		seen.push(...chunk);
	});
	t.deepEqual(sizes, [IN_LIST_SIZE, IN_LIST_SIZE, 1]);
	t.deepEqual(seen, values);
	t.is(placeholders(3), '?, ?, ?');
	let calls = 0;
	await forEachChunk([], async () => void calls++);
	t.is(calls, 0, 'no statement for no values');
});
