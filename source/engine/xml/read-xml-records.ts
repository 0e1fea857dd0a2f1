import {createReadStream} from 'node:fs';
import {XmlError} from '../errors.js';
import {XmlScanError, XmlScanner} from './scan-xml.js';

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
	const stack: Frame[] = [];
	/** Child paths by parent path and name: built once per distinct element instead of once per element. */
	const childPaths = new Map<string, Map<string, string>>();
	let ready: XmlRecord[] = [];

	const emit = (frame: Frame): void => {
		frame.emitted = true;
		ready.push({path: frame.path, name: frame.name, attrs: frame.attrs, data: frame.data, line: frame.line});
	};
	const pathOf = (parentPath: string, name: string): string => {
		let children = childPaths.get(parentPath);
		if (!children) childPaths.set(parentPath, children = new Map());
		let path = children.get(name);
		if (path === undefined) children.set(name, path = `${parentPath}/${name}`);
		return path;
	};

	const scanner = new XmlScanner({
		open(name, attrs, line) {
			const parent = stack.at(-1);
			if (parent) parent.hasChildren = true;
			const path = pathOf(parent ? parent.path : '', name);
			const registered = wanted.has(path);
			if (registered) {
				for (const ancestor of stack) if (ancestor.registered && !ancestor.emitted) emit(ancestor);
			}
			stack.push({path, name, attrs, data: {}, line, registered, emitted: false, hasChildren: false, text: ''});
		},
		text(text) {
			const frame = stack.at(-1);
			if (frame && !frame.hasChildren) frame.text += text;
		},
		close() {
			const frame = stack.pop();
			if (!frame) return;
			const parent = stack.at(-1);
			// An empty nested element (`<tags>\n    </tags>`, Moodle's writer indents its close tag) is no leaf value.
			const emptyWrapper = frame.text.length === 2 * stack.length + 1 && frame.text === `\n${'  '.repeat(stack.length)}`;
			if (!frame.hasChildren && !frame.registered && !emptyWrapper && parent?.registered && !parent.emitted) {
				parent.data[frame.name] = frame.text === XML_NULL ? null : frame.text;
			}
			if (frame.registered && !frame.emitted) emit(frame);
		},
	});

	const failure = (error: unknown): XmlError => {
		if (error instanceof XmlScanError) return new XmlError(options.file, options.entry, error.message, error.line);
		throw error;
	};

	try {
		for await (const chunk of input) {
			scanner.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
			if (ready.length > 0) {
				const batch = ready;
				ready = [];
				yield* batch;
			}
		}
		scanner.end();
	} catch (error) {
		// Records completed before the error are still handed out, as a streaming reader would have.
		const batch = ready;
		ready = [];
		yield* batch;
		throw failure(error);
	}
	yield* ready;
}

/** Same as readXmlRecords, from a file on disk (e.g. an entry extracted from a backup). */
export async function* readXmlFile(path: string, options: XmlReadOptions): AsyncGenerator<XmlRecord> {
	yield* readXmlRecords(createReadStream(path, {highWaterMark: 1 << 16}), options);
}
