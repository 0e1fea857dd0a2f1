/** Values per `IN (...)` list: far below every database's parameter limit, and still few statements. */
export const IN_LIST_SIZE = 500;

/** `?, ?, ?`: the placeholders of a list of `count` values. */
export function placeholders(count: number): string {
	return Array.from({length: count}, () => '?').join(', ');
}

/** Runs `work` on the slices of `values` one `IN (...)` list takes, in order, each with its placeholders. */
export async function forEachChunk<T>(values: readonly T[], work: (chunk: T[], list: string) => Promise<unknown>): Promise<void> {
	for (let start = 0; start < values.length; start += IN_LIST_SIZE) {
		const chunk = values.slice(start, start + IN_LIST_SIZE);
		await work(chunk, placeholders(chunk.length));
	}
}
