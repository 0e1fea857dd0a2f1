import {open} from 'node:fs/promises';
import type {Writable} from 'node:stream';

/**
 * Feeds a file into a writable through two reused buffers, then ends it. fs.createReadStream hands out a
 * fresh buffer per read, and dead ones pile up (tens of MB) before V8 collects them; here a buffer is
 * refilled only once the writable has finished with it (its write callback), so reading costs no garbage.
 */
export async function pumpFile(file: string, target: Writable, chunkSize: number, onRead?: (bytesRead: number) => void): Promise<void> {
	const handle = await open(file, 'r');
	try {
		const buffers = [Buffer.allocUnsafeSlow(chunkSize), Buffer.allocUnsafeSlow(chunkSize)];
		// A failing writable (corrupt gzip data) may never call back the write in flight: stop on its error too.
		const broken = new Promise<never>((_resolve, reject) => {
			target.once('error', reject);
			target.once('close', () => reject(new Error('the stream closed before the whole file was read')));
		});
		broken.catch(() => undefined);
		let pending: Promise<void> = Promise.resolve();
		let total = 0;
		for (let index = 0; ; index ^= 1) {
			const buffer = buffers[index]!;
			const {bytesRead} = await handle.read(buffer, 0, chunkSize, null);
			await Promise.race([pending, broken]); // the other buffer is being consumed meanwhile; this one was freed two rounds ago
			if (bytesRead === 0) break;
			total += bytesRead;
			onRead?.(total);
			pending = new Promise<void>((resolve, reject) => {
				target.write(buffer.subarray(0, bytesRead), (error) => (error ? reject(error) : resolve()));
			});
			pending.catch(() => undefined); // observed at the next await; never an unhandled rejection meanwhile
		}
		target.end();
	} finally {
		await handle.close();
	}
}
