/**
 * Normalises a backup XML file for comparison: one line per element (path, then text), ids and id-valued fields
 * replaced by '#', numbers compared by value (Moodle writes 85.00000 where SQLite gives 85). Timestamps are kept:
 * a restore preserves them.
 */
import fs from 'node:fs/promises';
import sax from 'sax';

const ID_FIELDS = new Set(['userid', 'parent', 'firstpost', 'usermodified', 'discussion', 'itemid', 'entryid', 'optionid', 'assignment', 'submission', 'grade_id', 'questionbankentryid', 'usingcontextid', 'quizid', 'uniqueid', 'questionid', 'categoryid', 'iteminstance', 'grader', 'gradeid', 'contextid', 'instance', 'courseid', 'sectionid', 'id', 'questioncategoryid', 'ownerid', 'createdby', 'modifiedby', 'trueanswer', 'falseanswer', 'answer', 'contextinstanceid', 'modifierid', 'allocatedmarker', 'groupid', 'privatereplyto', 'discussionid', 'postid', 'groupingid', 'feedback_comments/grade', 'submission_file/submission']);

export async function normaliseXml(file: string, options: {skip?: readonly string[]} = {}): Promise<string[]> {
	const text = await fs.readFile(file, 'utf8');
	const parser = sax.parser(true, {trim: false});
	const lines: string[] = [];
	const stack: string[] = [];
	let buffer = '';
	let skipDepth = 0;
	parser.onopentag = node => {
		stack.push(node.name);
		if (skipDepth > 0 || options.skip?.includes(node.name)) {
			skipDepth++;
			return;
		}
		buffer = '';
		const attrs = Object.entries(node.attributes)
			.filter(([name]) => !['id', 'moduleid', 'contextid', 'version'].includes(name))
			.map(([name, value]) => `${name}=${String(value)}`)
			.join(' ');
		lines.push(`${stack.join('/')}${attrs ? ` [${attrs}]` : ''}`);
	};
	parser.ontext = value => {
		buffer += value;
	};
	parser.onclosetag = name => {
		const path = stack.join('/');
		stack.pop();
		if (skipDepth > 0) {
			skipDepth--;
			if (skipDepth > 0 || !options.skip?.includes(name)) return;
			return;
		}
		const value = buffer.trim() === '' && buffer.includes('\n') ? '' : buffer;
		buffer = '';
		if (value === '') return;
		// Ids inside availability JSON change with the restore like any other id.
		let shown = name === 'availability' ? value.replace(/"(id|cm)":\d+/g, '"$1":#') : value;
		if ((ID_FIELDS.has(name) || ID_FIELDS.has(path.split('/').slice(-2).join('/'))) && /^-?\d+$/.test(value)) shown = '#';
		else if (/^-?\d+(\.\d+)?$/.test(value)) shown = String(Number(value));
		lines.push(`${path} = ${shown}`);
	};
	parser.write(text).close();
	return lines;
}
