import v8 from 'node:v8';
import vm from 'node:vm';

/** V8's gc(): with no options a full collection; {type: 'major'} is read as a young-generation one by this V8. */
type Collect = (options?: {type: 'minor'; execution: 'sync' | 'async'}) => void;

let collect: Collect | null | undefined;
let youngGenerationCapped = false;

/**
 * Parsing XML makes much short-lived garbage, and V8 answers by growing its young generation (up to 3 x 16 MB),
 * which the process then keeps. Not growing it costs no measurable time here and saves ~30 MB of peak RSS.
 */
function keepYoungGenerationSmall(): void {
	if (youngGenerationCapped) return;
	youngGenerationCapped = true;
	try {
		v8.setFlagsFromString('--semi-space-growth-factor=1');
	} catch {
		// an engine without this flag keeps its default sizing
	}
}

/** V8's gc(), made available without the --expose-gc command-line flag; null if this V8 refuses. */
function collector(): Collect | null {
	if (collect !== undefined) return collect;
	try {
		const exposed = (globalThis as {gc?: Collect}).gc;
		if (typeof exposed === 'function') return (collect = exposed);
		v8.setFlagsFromString('--expose-gc');
		collect = vm.runInNewContext('gc') as Collect;
	} catch {
		collect = null;
	}
	return collect;
}

/**
 * Keeps a long streaming pass within bounded memory. Every chunk that gunzip and the file reader hand out is
 * a fresh buffer that dies young, but V8 only collects them once about 64 MB of such memory has piled up,
 * which dominates the peak RSS of a pass over a large archive. A young-generation scavenge every few
 * milliseconds frees them as they die, for a negligible cost (survivors are few). Returns the stop function.
 */
export function guardStreamingMemory(intervalMs = 5): () => void {
	keepYoungGenerationSmall();
	const gc = collector();
	if (!gc) return () => undefined;
	const timer = setInterval(() => gc({type: 'minor', execution: 'sync'}), intervalMs);
	timer.unref();
	return () => clearInterval(timer);
}

/**
 * While a backup writes its XML, the rows it has read pile up in V8's old generation (tens of MB over a
 * large course) long before V8 decides to collect them. A full collection every few hundred milliseconds keeps
 * the heap at its live size, for about 1% of the time. Returns the stop function.
 */
export function collectOldRowsPeriodically(intervalMs = 250): () => void {
	const gc = collector();
	if (!gc) return () => undefined;
	const timer = setInterval(() => gc(), intervalMs);
	timer.unref();
	return () => clearInterval(timer);
}

/**
 * A full collection each time the heap has grown `growthMb` past what the last one left, checked every `checkMs`:
 * the heap stays within that margin of its live size whatever the rate of garbage, and a quiet phase costs no
 * collection at all. Returns the stop function.
 */
export function collectWhenHeapGrows(growthMb: number, checkMs = 50): () => void {
	const gc = collector();
	if (!gc) return () => undefined;
	const used = (): number => v8.getHeapStatistics().used_heap_size;
	let baseline = used();
	const timer = setInterval(() => {
		const now = used();
		// V8's own collections lower the mark too.
		if (now < baseline) baseline = now;
		if (now - baseline < growthMb * 1048576) return;
		gc();
		baseline = used();
	}, checkMs);
	timer.unref();
	return () => clearInterval(timer);
}
