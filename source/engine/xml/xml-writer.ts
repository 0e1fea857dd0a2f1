import {XML_NULL} from './read-xml-records.js';

export type XmlWriterOptions = {
	/** The content-link encoder (spec §8), applied to every non-numeric text value of 32 bytes or more. */
	encodeText?: (text: string) => string;
};

const PROLOGUE = '<?xml version="1.0" encoding="UTF-8"?>\n';
const BUFFER_LIMIT = 64 * 1024;
// Control characters Moodle's xml_safe_utf8() strips (tab, LF and CR are kept).
const CONTROL_CHARS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
// Halves of broken UTF-16 pairs: fix_utf8() drops invalid sequences.
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// PHP's is_numeric(): optional surrounding whitespace, sign, decimal or exponent form.
const NUMERIC = /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$/;

/** Moodle's xml_safe_utf8(): drop control characters, normalise line ends, replace broken surrogates. */
function safeUtf8(text: string): string {
	return text.replace(CONTROL_CHARS, '').replace(/\r\n|\r/g, '\n').replace(LONE_SURROGATES, '');
}

function escapeText(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
	return escapeText(text).replace(/"/g, '&quot;');
}

/**
 * Moodle's backup XML serialisation (xml_writer + backup_xml_transformer, spec §1.3): prologue line, two-space
 * indentation, text inline, empty nested elements as open and close tags on separate lines (never self-closed),
 * null as `$@NULL@$`, true as 1, false as empty text, no newline after the root close tag.
 */
export class XmlWriter {
	private readonly openTags: string[] = [];
	private buffer: string[] = [];
	private bufferedLength = 0;
	private lastWasText = false;
	private started = false;
	private ended = false;
	private needsDrain = false;

	constructor(private readonly out: NodeJS.WritableStream, private readonly options: XmlWriterOptions = {}) {}

	startTag(name: string, attrs?: Record<string, string | number | null>): void {
		this.begin(name, attrs);
		this.lastWasText = false;
	}

	/** One leaf element. `undefined` omits it (the source record lacks that field). */
	fullTag(name: string, value: string | number | boolean | null | undefined): void {
		if (value === undefined) return;
		this.begin(name);
		this.push(escapeText(safeUtf8(this.transform(value))));
		this.lastWasText = true;
		this.endTag(name);
	}

	endTag(name: string): void {
		const open = this.openTags.pop();
		if (open !== name) throw new Error(`XmlWriter: closing <${name}> but <${open ?? 'nothing'}> is open`);
		const indent = this.lastWasText ? '' : `\n${'  '.repeat(this.openTags.length)}`;
		this.push(`${indent}</${name}>`);
		this.lastWasText = false;
	}

	/** Hands buffered output to the stream; resolves once the stream can take more (backpressure). */
	async flush(): Promise<void> {
		this.writeBuffer();
		if (this.needsDrain) {
			await new Promise<void>((resolve, reject) => {
				const onDrain = (): void => {
					this.out.off('error', onError);
					resolve();
				};
				const onError = (error: Error): void => {
					this.out.off('drain', onDrain);
					reject(error);
				};
				this.out.once('drain', onDrain);
				this.out.once('error', onError);
			});
			this.needsDrain = false;
		}
	}

	/** Closes the document and waits until the stream has finished (and, for files, closed). */
	async end(): Promise<void> {
		if (this.ended) return;
		if (this.openTags.length > 0) throw new Error(`XmlWriter: <${this.openTags.at(-1)}> is still open`);
		this.ended = true;
		this.writeBuffer();
		const out = this.out as NodeJS.WritableStream & {closed?: boolean; fd?: unknown; destroyed?: boolean};
		const waitsForClose = 'fd' in out;
		await new Promise<void>((resolve, reject) => {
			out.once('error', reject);
			if (waitsForClose) out.once('close', () => resolve());
			out.end(() => {
				if (!waitsForClose) resolve();
			});
		});
	}

	private begin(name: string, attrs?: Record<string, string | number | null>): void {
		if (this.ended) throw new Error('XmlWriter: document already ended');
		if (!this.started) {
			this.push(PROLOGUE);
			this.started = true;
		}
		const indent = this.openTags.length > 0 ? `\n${'  '.repeat(this.openTags.length)}` : '';
		let attributes = '';
		if (attrs) {
			for (const [key, value] of Object.entries(attrs)) {
				attributes += ` ${key}="${value === null ? '' : escapeAttribute(safeUtf8(String(value)))}"`;
			}
		}
		this.push(`${indent}<${name}${attributes}>`);
		this.openTags.push(name);
	}

	private transform(value: string | number | boolean | null): string {
		if (value === null) return XML_NULL;
		if (value === true) return '1';
		if (value === false) return '';
		const text = String(value);
		if (!this.options.encodeText || typeof value === 'number') return text;
		if (NUMERIC.test(text) || Buffer.byteLength(text) < 32) return text;
		return this.options.encodeText(text);
	}

	private push(text: string): void {
		this.buffer.push(text);
		this.bufferedLength += text.length;
		if (this.bufferedLength >= BUFFER_LIMIT) this.writeBuffer();
	}

	private writeBuffer(): void {
		if (this.bufferedLength === 0 && this.buffer.length === 0) return;
		const text = this.buffer.join('');
		this.buffer = [];
		this.bufferedLength = 0;
		if (!this.out.write(text)) this.needsDrain = true;
	}
}
