import {createReadStream} from 'node:fs';
import {StringDecoder} from 'node:string_decoder';
import sax from 'sax';
import {XmlError} from '../errors.js';

/** Moodle writes SQL NULL as this literal text (spec §1.3 rule 5). */
export const XML_NULL = '$@NULL@$';

export type XmlRecord = {
	/** Absolute element path, e.g. '/activity/forum/discussions/discussion'. */
	path: string;
	name: string;
	attrs: Record<string, string>;
	/** Direct leaf children: name -> text (null for `$@NULL@$`). Missing optional elements are absent. */
	data: Record<string, string | null>;
	/** 1-based line where the element opens. */
	line: number;
};

export type XmlReadOptions = {
	/** Archive (or directory) named in error messages. */
	file: string;
	/** Entry inside the archive named in error messages. */
	entry: string;
	/** Absolute paths of the elements to report. */
	paths: readonly string[];
};

type Frame = {
	path: string;
	name: string;
	attrs: Record<string, string>;
	data: Record<string, string | null>;
	line: number;
	registered: boolean;
	emitted: boolean;
	hasChildren: boolean;
	text: string;
};

/**
 * Streams the records of one backup XML document. Like Moodle's restore_path_element, a registered element
 * is reported when it closes, or as soon as its first registered descendant opens, so parents always come
 * before their children; its data then holds the leaves seen up to that point.
 */
export async function* readXmlRecords(input: AsyncIterable<Buffer | string>, options: XmlReadOptions): AsyncGenerator<XmlRecord> {
	const wanted = new Set(options.paths);
	const parser = sax.parser(true, {trim: false, normalize: false, position: true});
	const stack: Frame[] = [];
	let ready: XmlRecord[] = [];
	let failure: XmlError | undefined;
	let sawRoot = false;

	const fail = (message: string): void => {
		if (failure) return;
		failure = new XmlError(options.file, options.entry, message, parser.line + 1);
	};

	const emit = (frame: Frame): void => {
		frame.emitted = true;
		ready.push({path: frame.path, name: frame.name, attrs: frame.attrs, data: frame.data, line: frame.line});
	};

	parser.onerror = (error: Error) => {
		fail(error.message.split('\n')[0] ?? 'malformed XML');
	};
	parser.onopentag = (tag) => {
		const parent = stack.at(-1);
		if (parent) parent.hasChildren = true;
		else if (sawRoot) fail('more than one root element');
		sawRoot = true;
		const path = `${parent ? parent.path : ''}/${tag.name}`;
		const registered = wanted.has(path);
		if (registered) {
			for (const ancestor of stack) if (ancestor.registered && !ancestor.emitted) emit(ancestor);
		}
		stack.push({
			path,
			name: tag.name,
			attrs: tag.attributes as Record<string, string>,
			data: {},
			line: parser.line + 1,
			registered,
			emitted: false,
			hasChildren: false,
			text: '',
		});
	};
	const onText = (text: string): void => {
		const frame = stack.at(-1);
		if (frame && !frame.hasChildren) frame.text += text;
	};
	parser.ontext = onText;
	parser.oncdata = onText;
	parser.onclosetag = () => {
		const frame = stack.pop();
		if (!frame) return;
		const parent = stack.at(-1);
		// An empty nested element (`<tags>\n    </tags>`, Moodle's writer indents its close tag) is no leaf value.
		const emptyWrapper = frame.text.length === 2 * stack.length + 1 && frame.text === `\n${'  '.repeat(stack.length)}`;
		if (!frame.hasChildren && !frame.registered && !emptyWrapper && parent?.registered && !parent.emitted) {
			parent.data[frame.name] = frame.text === XML_NULL ? null : frame.text;
		}
		if (frame.registered && !frame.emitted) emit(frame);
	};

	const decoder = new StringDecoder('utf8');
	const write = (text: string): void => {
		if (failure || text === '') return;
		try {
			parser.write(text);
		} catch (error) {
			fail(error instanceof Error ? (error.message.split('\n')[0] ?? 'malformed XML') : String(error));
		}
	};

	for await (const chunk of input) {
		write(typeof chunk === 'string' ? chunk : decoder.write(chunk));
		if (ready.length > 0) {
			const batch = ready;
			ready = [];
			yield* batch;
		}
		if (failure) throw failure;
	}
	write(decoder.end());
	if (!failure) {
		try {
			parser.close();
		} catch (error) {
			fail(error instanceof Error ? (error.message.split('\n')[0] ?? 'malformed XML') : String(error));
		}
	}
	if (!failure && !sawRoot) fail('no root element (empty document)');
	if (!failure && stack.length > 0) fail(`unclosed element <${stack.at(-1)!.name}>`);
	yield* ready;
	ready = [];
	if (failure) throw failure;
}

/** Same as readXmlRecords, from a file on disk (e.g. an entry extracted from a backup). */
export async function* readXmlFile(path: string, options: XmlReadOptions): AsyncGenerator<XmlRecord> {
	yield* readXmlRecords(createReadStream(path, {highWaterMark: 1 << 20}), options);
}
