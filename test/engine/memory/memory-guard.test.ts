import test from 'ava';
import {collectOldRowsPeriodically} from '../../../source/engine/memory-guard.js';

test('collectOldRowsPeriodically frees garbage of the old generation', async t => {
	// Rows that lived long enough to be promoted, then dropped: only a full collection frees them.
	let rows: Array<{text: string}> = [];
	for (let index = 0; index < 300_000; index++) rows.push({text: `row ${index} ${'x'.repeat(64)}`});
	await new Promise(resolve => setTimeout(resolve, 10));
	rows = [];
	const before = process.memoryUsage().heapUsed;
	const stop = collectOldRowsPeriodically(10);
	await new Promise(resolve => setTimeout(resolve, 80));
	stop();
	const after = process.memoryUsage().heapUsed;
	t.true(before - after > 20 * 1024 * 1024, `heap went from ${Math.round(before / 1048576)} MB to ${Math.round(after / 1048576)} MB`);
});
