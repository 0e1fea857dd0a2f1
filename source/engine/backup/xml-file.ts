import fs from 'node:fs';
import path from 'node:path';
import {XmlWriter} from '../xml/xml-writer.js';
import type {Row, SqlValue} from '../store/db.js';

/** Writes one XML entry of the backup under `root`, streamed through Moodle's serialiser. */
export async function writeXmlFile(
	root: string,
	relativePath: string,
	encodeText: ((text: string) => string) | undefined,
	build: (writer: XmlWriter) => Promise<void> | void,
): Promise<void> {
	const file = path.join(root, relativePath);
	await fs.promises.mkdir(path.dirname(file), {recursive: true});
	const out = fs.createWriteStream(file);
	const failed = new Promise<never>((_resolve, reject) => out.once('error', reject));
	failed.catch(() => undefined);
	const writer = new XmlWriter(out, encodeText ? {encodeText} : undefined);
	try {
		await Promise.race([Promise.resolve(build(writer)), failed]);
		await Promise.race([writer.end(), failed]);
	} catch (error) {
		out.destroy();
		throw error;
	}
}

/** A database value as Moodle's XML text: bigint and buffers become strings, null stays null. */
export function xmlValue(value: SqlValue | undefined): string | number | null | undefined {
	if (value === undefined || value === null) return value;
	if (typeof value === 'bigint') return value.toString();
	if (Buffer.isBuffer(value)) return value.toString('utf8');
	return value;
}

/** Fixed-decimal columns as PostgreSQL returns them to Moodle (`20.00000`), whatever the store kept. */
export function decimalText(value: SqlValue | undefined, decimals: number): string | null | undefined {
	if (value === undefined || value === null) return value;
	const number = typeof value === 'number' ? value : Number(xmlValue(value));
	if (!Number.isFinite(number)) return String(xmlValue(value));
	return number.toFixed(decimals);
}

export type FieldSpec = string | {name: string; column?: string; decimals?: number; value?: (row: Row) => SqlValue | undefined};

/**
 * Leaf elements in Moodle's declared order. A column the row does not have is omitted (spec §1.3 rule 4),
 * exactly like Moodle does for columns missing on the source site.
 */
export function writeFields(writer: XmlWriter, row: Row, fields: readonly FieldSpec[]): void {
	for (const field of fields) {
		if (typeof field === 'string') {
			if (field in row) writer.fullTag(field, xmlValue(row[field]));
			continue;
		}
		const raw = field.value ? field.value(row) : row[field.column ?? field.name];
		if (raw === undefined && !field.value && !((field.column ?? field.name) in row)) continue;
		if (raw === undefined) continue;
		writer.fullTag(field.name, field.decimals === undefined ? xmlValue(raw) : decimalText(raw, field.decimals));
	}
}

/** A record element `<name id="..">fields</name>`. */
export function writeRecord(writer: XmlWriter, name: string, row: Row, fields: readonly FieldSpec[], attrs?: Record<string, string | number | null>): void {
	writer.startTag(name, attrs ?? {id: xmlValue(row['id']) as number});
	writeFields(writer, row, fields);
	writer.endTag(name);
}

/** An empty wrapper: Moodle always writes `<wrapper>\n</wrapper>`. */
export function emptyElement(writer: XmlWriter, name: string): void {
	writer.startTag(name);
	writer.endTag(name);
}

export function numberOf(value: SqlValue | undefined): number {
	if (value === null || value === undefined) return 0;
	return typeof value === 'number' ? value : Number(xmlValue(value));
}
