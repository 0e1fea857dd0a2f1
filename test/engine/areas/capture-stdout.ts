/** Runs `work` while capturing what it writes to process.stdout. */
export async function captureStdout<T>(work: () => Promise<T>): Promise<{result: T; output: string}> {
	const chunks: string[] = [];
	const original = process.stdout.write.bind(process.stdout);
	process.stdout.write = ((chunk: string | Uint8Array) => {
		chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
		return true;
	}) as typeof process.stdout.write;
	try {
		const result = await work();
		return {result, output: chunks.join('')};
	} finally {
		process.stdout.write = original;
	}
}
