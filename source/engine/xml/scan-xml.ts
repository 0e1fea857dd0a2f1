/**
 * A streaming XML tokenizer for backup documents.
 *
 * Why not sax: parsing is most of a restore's CPU, and sax builds every text node one character at a time
 * (~50 MB/s here, with much garbage). Backup XML is a narrow dialect — a prolog, elements, id attributes, text,
 * entities, at most CDATA and comments — so this scanner decodes each chunk once and jumps from '<' to '>' with
 * indexOf; the names and texts it hands out are slices of the chunk, not copies. It still checks what makes a
 * document well formed: names, quoting, entity references, matching end tags, one root, nothing left open.
 */

export class XmlScanError extends Error {
	constructor(message: string, readonly line: number) {
		super(message);
	}
}

export type XmlTokenHandler = {
	/** An element opens; `line` is the 1-based line of its '<'. A self-closing element is followed by close(). */
	open(name: string, attrs: Record<string, string>, line: number): void;
	/** Character data of the current element (entity-decoded; CDATA as is). May come in several calls. */
	text(text: string): void;
	close(name: string): void;
};

const LT = 0x3c;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const EQUALS = 0x3d;
const NAME = /^[A-Za-z_:\u0080-\uFFFF][-A-Za-z0-9_:.\u00B7\u0080-\uFFFF]*$/u;
const NAMED: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'"};
/** What elements without attributes (nearly all of them) share instead of an object each. */
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({}) as Record<string, string>;

function isSpace(code: number): boolean {
	return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

export class XmlScanner {
	/** Streaming UTF-8 (a character split between chunks waits for the next): twice as fast as StringDecoder here. */
	private readonly decoder = new TextDecoder('utf-8');
	/** Text not yet consumed: an incomplete markup token at the end of the last chunk. */
	private pending = '';
	/** The current text node, in pieces (it may span chunks). */
	private textParts: string[] = [];
	private line = 1;
	private readonly open: string[] = [];
	private sawRoot = false;
	private rootClosed = false;
	private started = false;
	/** Element names already checked (a document repeats a few dozen names millions of times). */
	private readonly validNames = new Set<string>();

	constructor(private readonly handler: XmlTokenHandler) {}

	/** Parses what `chunk` completes; an unfinished token waits for the next chunk. */
	write(chunk: Buffer | string): void {
		let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, {stream: true});
		if (!this.started && text !== '') {
			this.started = true;
			if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
		}
		if (this.pending !== '') {
			text = this.pending + text;
			this.pending = '';
		}
		this.scan(text);
	}

	/** The document ended: anything unfinished is an error. */
	end(): void {
		const rest = this.decoder.decode();
		if (rest !== '') this.write(rest);
		if (this.pending !== '') throw new XmlScanError('unexpected end of document inside markup', this.line);
		this.flushText();
		if (!this.sawRoot) throw new XmlScanError('no root element (empty document)', this.line);
		if (this.open.length > 0) throw new XmlScanError(`unclosed element <${this.open.at(-1)}>`, this.line);
	}

	private scan(text: string): void {
		let position = 0;
		const end = text.length;
		// Lines are counted by jumping from newline to newline, each one found once.
		let newline = text.indexOf('\n');
		const countTo = (to: number): void => {
			while (newline !== -1 && newline < to) {
				this.line++;
				newline = text.indexOf('\n', newline + 1);
			}
		};
		while (position < end) {
			const lt = text.indexOf('<', position);
			if (lt === -1) {
				this.textParts.push(text.slice(position));
				countTo(end);
				return;
			}
			if (lt > position) this.textParts.push(text.slice(position, lt));
			countTo(lt);
			const next = lt + 1 < end ? text.charCodeAt(lt + 1) : -1;
			let after: number;
			if (next === -1) after = -1;
			else if (next === SLASH) after = this.closeTag(text, lt);
			else if (next === QUESTION) after = this.skipUntil(text, lt, '?>', 'processing instruction');
			else if (next === BANG) after = this.bang(text, lt);
			else after = this.openTag(text, lt);
			if (after === -1) {
				// Incomplete: kept for the next chunk (the text before it is already taken, its lines counted).
				this.pending = text.slice(lt);
				return;
			}
			countTo(after);
			position = after;
		}
	}

	/** Hands out the text collected since the last markup (whitespace only, outside the root). */
	private flushText(): void {
		const parts = this.textParts;
		if (parts.length === 0) return;
		const raw = parts.length === 1 ? parts[0]! : parts.join('');
		this.textParts = [];
		if (this.open.length === 0) {
			for (let index = 0; index < raw.length; index++) {
				if (!isSpace(raw.charCodeAt(index))) throw new XmlScanError(this.rootClosed ? 'text after the root element' : 'text before the root element', this.line);
			}
			return;
		}
		this.handler.text(raw.indexOf('&') === -1 ? raw : this.decodeEntities(raw));
	}

	/** Replaces entity and character references; anything else after '&' is an error, as XML says. */
	private decodeEntities(text: string): string {
		let result = '';
		let position = 0;
		for (let amp = text.indexOf('&'); amp !== -1; amp = text.indexOf('&', position)) {
			const semicolon = text.indexOf(';', amp + 1);
			const name = semicolon === -1 || semicolon - amp > 10 ? '' : text.slice(amp + 1, semicolon);
			let value = NAMED[name];
			if (value === undefined && name.charCodeAt(0) === 0x23) {
				const hex = name.charCodeAt(1) === 0x78;
				const digits = name.slice(hex ? 2 : 1);
				const code = (hex ? /^[0-9A-Fa-f]{1,6}$/u : /^[0-9]{1,7}$/u).test(digits) ? Number.parseInt(digits, hex ? 16 : 10) : -1;
				if (code === 0 || code > 0x10ffff) throw new XmlScanError(`invalid character reference "&${name};"`, this.line);
				if (code > 0) value = String.fromCodePoint(code);
			}
			if (value === undefined) {
				const reference = /^&[^\s;&<]{0,10};?/u.exec(text.slice(amp))![0];
				throw new XmlScanError(`invalid entity reference "${reference}"`, this.line);
			}
			result += text.slice(position, amp) + value;
			position = semicolon + 1;
		}
		return result + text.slice(position);
	}

	/** `</name>`; returns the index after it, or -1 when it is not complete yet. */
	private closeTag(text: string, lt: number): number {
		const gt = text.indexOf('>', lt + 2);
		if (gt === -1) return -1;
		this.flushText();
		let name = text.slice(lt + 2, gt);
		if (isSpace(name.charCodeAt(name.length - 1))) name = name.trimEnd();
		const expected = this.open.pop();
		if (expected === undefined) throw new XmlScanError(`unexpected end tag </${name}>`, this.line);
		if (name !== expected) throw new XmlScanError(`end tag </${name}> does not match <${expected}>`, this.line);
		if (this.open.length === 0) this.rootClosed = true;
		this.handler.close(expected);
		return gt + 1;
	}

	/** `<!-- -->`, `<![CDATA[ ]]>` or a `<!DOCTYPE>` without internal subset. */
	private bang(text: string, lt: number): number {
		if (text.length < lt + 4) return -1;
		if (text.startsWith('--', lt + 2)) return this.skipUntil(text, lt, '-->', 'comment');
		const head = text.slice(lt + 2, lt + 9);
		if (!'[CDATA['.startsWith(head) && !'DOCTYPE'.startsWith(head)) throw new XmlScanError('malformed markup after "<!"', this.line);
		// Not enough characters yet to tell CDATA from DOCTYPE; a short text at the very end is reported by end().
		if (head.length < 7) return -1;
		if (head === '[CDATA[') {
			const close = text.indexOf(']]>', lt + 9);
			if (close === -1) return -1;
			if (this.open.length === 0) throw new XmlScanError('CDATA outside the root element', this.line);
			this.flushText();
			this.handler.text(text.slice(lt + 9, close));
			return close + 3;
		}
		const gt = text.indexOf('>', lt + 9);
		if (gt === -1) return -1;
		if (text.slice(lt, gt).includes('[')) throw new XmlScanError('DOCTYPE with an internal subset is not supported', this.line);
		return gt + 1;
	}

	private skipUntil(text: string, lt: number, terminator: string, what: string): number {
		const close = text.indexOf(terminator, lt + 2);
		if (close === -1) return -1;
		if (what === 'processing instruction' && this.sawRoot && this.open.length === 0 && !this.rootClosed) {
			throw new XmlScanError('misplaced processing instruction', this.line);
		}
		return close + terminator.length;
	}

	/** `<name attr="value" ...>` or `<name/>`; returns the index after it, or -1 when incomplete. */
	private openTag(text: string, lt: number): number {
		// '>' may appear inside a quoted attribute value: the tag ends at the first '>' outside quotes.
		let quote = 0;
		let index = lt + 1;
		let gt: number;
		let nameEnd = -1;
		for (;;) {
			gt = text.indexOf('>', index);
			if (gt === -1) return -1;
			for (; index < gt; index++) {
				const code = text.charCodeAt(index);
				if (quote !== 0) {
					if (code === quote) quote = 0;
				} else if (code === QUOTE || code === APOSTROPHE) {
					quote = code;
				} else if (nameEnd === -1 && isSpace(code)) {
					nameEnd = index;
				}
			}
			if (quote === 0) break;
			index = gt + 1;
		}
		this.flushText();
		if (this.rootClosed) throw new XmlScanError('more than one root element', this.line);
		const selfClosing = text.charCodeAt(gt - 1) === SLASH;
		const innerEnd = selfClosing ? gt - 1 : gt;
		const name = text.slice(lt + 1, nameEnd === -1 || nameEnd > innerEnd ? innerEnd : nameEnd);
		if (!this.validNames.has(name)) {
			if (!NAME.test(name)) throw new XmlScanError(`invalid element name "${name.slice(0, 40)}"`, this.line);
			this.validNames.add(name);
		}
		const attrs = nameEnd !== -1 && nameEnd < innerEnd ? this.attributes(text.slice(nameEnd, innerEnd), name) : NO_ATTRIBUTES;
		this.sawRoot = true;
		this.open.push(name);
		this.handler.open(name, attrs, this.line);
		if (selfClosing) {
			this.open.pop();
			if (this.open.length === 0) this.rootClosed = true;
			this.handler.close(name);
		}
		return gt + 1;
	}

	private attributes(inner: string, element: string): Record<string, string> {
		const attrs: Record<string, string> = {};
		let index = 0;
		const length = inner.length;
		for (;;) {
			while (index < length && isSpace(inner.charCodeAt(index))) index++;
			if (index >= length) return attrs;
			const nameStart = index;
			while (index < length && inner.charCodeAt(index) !== EQUALS && !isSpace(inner.charCodeAt(index))) index++;
			const name = inner.slice(nameStart, index);
			while (index < length && isSpace(inner.charCodeAt(index))) index++;
			if (!NAME.test(name) || inner.charCodeAt(index) !== EQUALS) throw new XmlScanError(`malformed attribute in <${element}>`, this.line);
			index++;
			while (index < length && isSpace(inner.charCodeAt(index))) index++;
			const quote = inner.charCodeAt(index);
			if (quote !== QUOTE && quote !== APOSTROPHE) throw new XmlScanError(`attribute ${name} of <${element}> is not quoted`, this.line);
			const close = inner.indexOf(String.fromCharCode(quote), index + 1);
			if (close === -1) throw new XmlScanError(`attribute ${name} of <${element}> is not closed`, this.line);
			const raw = inner.slice(index + 1, close);
			if (raw.includes('<')) throw new XmlScanError(`"<" in attribute ${name} of <${element}>`, this.line);
			if (name in attrs) throw new XmlScanError(`attribute ${name} repeated in <${element}>`, this.line);
			attrs[name] = raw.includes('&') ? this.decodeEntities(raw) : raw;
			index = close + 1;
			if (index < length && !isSpace(inner.charCodeAt(index))) throw new XmlScanError(`malformed attribute in <${element}>`, this.line);
		}
	}
}
