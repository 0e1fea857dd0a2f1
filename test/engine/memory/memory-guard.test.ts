import test from 'ava';
import {collectOldRowsPeriodically, collectWhenHeapGrows} from '../../../source/engine/memory-guard.js';

test.serial('collectOldRowsPeriodically frees garbage of the old generation', async t => {
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

/** Rows that live long enough to be promoted, then dropped: garbage only a full collection frees. */
async function promotedGarbage(rows: number): Promise<void> {
	let kept: Array<{text: string}> = [];
	for (let index = 0; index < rows; index++) kept.push({text: `row ${index} ${'x'.repeat(64)}`});
	await new Promise(resolve => setTimeout(resolve, 10));
	kept = [];
}

test.serial('collectWhenHeapGrows keeps the heap within its margin of the live size, and does not collect within it', async t => {
	const used = () => process.memoryUsage().heapUsed;
	// Garbage made a little at a time, as a restore makes it: past an 8 MB margin it is collected as it comes.
	let stop = collectWhenHeapGrows(8, 5);
	const start = used();
	let highest = start;
	for (let round = 0; round < 8; round++) {
		await promotedGarbage(60_000);
		await new Promise(resolve => setTimeout(resolve, 25));
		highest = Math.max(highest, used());
	}
	stop();
	t.true(highest - start < 16 * 1024 * 1024, `the heap grew by ${Math.round((highest - start) / 1048576)} MB`);
	// A margin larger than the garbage: nothing is collected.
	stop = collectWhenHeapGrows(512, 5);
	await promotedGarbage(300_000);
	const before = used();
	await new Promise(resolve => setTimeout(resolve, 80));
	stop();
	t.true(before - used() < 10 * 1024 * 1024, 'nothing collected within the margin');
});
