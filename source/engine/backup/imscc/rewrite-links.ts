import type {Cartridge} from './cartridge.js';
import type {Moodle2File} from './read-moodle2.js';

const PLUGINFILE = /@@PLUGINFILE@@(\/[^"'\s<>)]*)/g;

function decode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/**
 * Rewrites `@@PLUGINFILE@@/path/name` links of one file area to the files' places in the cartridge
 * (`prefix` + location) and answers the identifiers of the file resources the text depends on.
 * A link to a file not in the backup keeps only its name, so no Moodle placeholder is left behind.
 */
export function rewritePluginfileLinks(html: string, areaFiles: readonly Moodle2File[], cartridge: Cartridge, prefix: string): {html: string; dependencies: string[]} {
	const dependencies = new Set<string>();
	const rewritten = html.replace(PLUGINFILE, (_match, link: string) => {
		const wanted = decode(link.split('?')[0]!);
		const file = areaFiles.find(candidate => `${candidate.filepath}${candidate.filename}` === wanted);
		if (!file) return `${prefix}${wanted.replace(/^\//, '')}`;
		const added = cartridge.addFile(file);
		dependencies.add(added.identifier);
		return `${prefix}${added.location}`;
	});
	return {html: rewritten, dependencies: [...dependencies]};
}
