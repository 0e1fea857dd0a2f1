/** Escapes text for an XML element body or a double-quoted attribute value. */
export function escapeXml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `<name a="v">text</name>`, or `<name a="v"/>` without text. */
export function element(name: string, attrs: Record<string, string | undefined>, text?: string): string {
	const attributes = Object.entries(attrs)
		.filter((entry): entry is [string, string] => entry[1] !== undefined)
		.map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
		.join('');
	return text === undefined ? `<${name}${attributes}/>` : `<${name}${attributes}>${escapeXml(text)}</${name}>`;
}
