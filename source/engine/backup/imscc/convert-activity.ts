import type {Cartridge, CartridgeItem} from './cartridge.js';
import {cartridgeFileName} from './cartridge.js';
import type {Moodle2Activity, Moodle2File} from './read-moodle2.js';
import {rewritePluginfileLinks} from './rewrite-links.js';
import {escapeXml} from './xml-text.js';

export const CONVERTED_MODULES = ['forum', 'page', 'resource', 'url', 'label', 'folder'] as const;

/** Files of one area of an activity, directories left out. */
function areaFiles(files: readonly Moodle2File[], activity: Moodle2Activity, component: string, filearea: string): Moodle2File[] {
	return files.filter(file => file.contextId === activity.contextId && file.component === component && file.filearea === filearea && file.filename !== '.');
}

const text = (value: string | null | undefined) => value ?? '';

/** Activity types a Common Cartridge holds (here and in convert-quiz): the others are left out of it. */
export const CARTRIDGE_ACTIVITY_TYPES: ReadonlySet<string> = new Set(['forum', 'page', 'resource', 'url', 'label', 'folder', 'quiz']);

/**
 * Converts one activity (cc_converter_<mod>): adds its resource(s) and answers its organization item,
 * or undefined when the type has no Common Cartridge equivalent.
 */
export function convertActivity(activity: Moodle2Activity, files: readonly Moodle2File[], cartridge: Cartridge): CartridgeItem | undefined {
	const base = `i_m${activity.cmid}`;
	const itemId = `I_M${activity.cmid}`;
	const resourceId = `${itemId}_R`;
	const title = text(activity.data['name']) || activity.title;
	switch (activity.modname) {
		case 'forum': {
			const intro = rewritePluginfileLinks(text(activity.data['intro']), areaFiles(files, activity, 'mod_forum', 'intro'), cartridge, '$IMS-CC-FILEBASE$../');
			const location = `${base}/discussion.xml`;
			cartridge.addText(location, [
				'<?xml version="1.0" encoding="UTF-8"?>',
				'<topic xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imsdt_v1p1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
					+ ' xsi:schemaLocation="http://www.imsglobal.org/xsd/imsccv1p1/imsdt_v1p1 http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imsdt_v1p1.xsd">',
				`  <title>${escapeXml(title)}</title>`,
				`  <text texttype="text/html">${escapeXml(intro.html)}</text>`,
				'</topic>',
				'',
			].join('\n'));
			cartridge.addResource({identifier: resourceId, type: 'imsdt_xmlv1p1', files: [location], dependencies: intro.dependencies});
			return {identifier: itemId, title, identifierref: resourceId, children: []};
		}
		case 'page': {
			const content = rewritePluginfileLinks(text(activity.data['content']), areaFiles(files, activity, 'mod_page', 'content'), cartridge, '../');
			const location = `${base}/${cartridgeFileName(title).replace(/[^\p{L}\p{N}_.-]/gu, '') || 'page'}.html`;
			cartridge.addText(location, [
				'<!DOCTYPE html>',
				'<html>',
				'<head>',
				'<meta http-equiv="Content-type" content="text/html; charset=UTF-8"/>',
				`<title>${escapeXml(title)}</title>`,
				'</head>',
				`<body>${content.html}</body>`,
				'</html>',
				'',
			].join('\n'));
			cartridge.addResource({identifier: resourceId, type: 'webcontent', href: location, files: [location], dependencies: content.dependencies});
			return {identifier: itemId, title, identifierref: resourceId, children: []};
		}
		case 'resource': {
			const contents = areaFiles(files, activity, 'mod_resource', 'content');
			if (contents.length === 0) return {identifier: itemId, title, children: []};
			// The main file is the one with sortorder 1 (Moodle's resource_set_mainfile), else the first.
			const main = contents.find(file => file.sortorder === 1) ?? contents[0]!;
			const ordered = [main, ...contents.filter(file => file !== main)];
			const locations = ordered.map(file => cartridge.placeFile(file));
			cartridge.addResource({
				identifier: resourceId, type: 'webcontent', href: locations[0], files: locations, dependencies: [],
				...(activity.visible ? {} : {instructorOnly: true}),
			});
			return {identifier: itemId, title, identifierref: resourceId, children: []};
		}
		case 'url': {
			const location = `${base}/weblink.xml`;
			cartridge.addText(location, [
				'<?xml version="1.0" encoding="UTF-8"?>',
				'<webLink xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
					+ ' xsi:schemaLocation="http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1 http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imswl_v1p1.xsd">',
				`  <title>${escapeXml(title)}</title>`,
				// Moodle reads the target from /activity/forum/display, which a url never has: always _self (spec §9).
				`  <url href="${escapeXml(text(activity.data['externalurl']))}" target="_self"/>`,
				'</webLink>',
				'',
			].join('\n'));
			cartridge.addResource({identifier: resourceId, type: 'imswl_xmlv1p1', files: [location], dependencies: []});
			return {identifier: itemId, title, identifierref: resourceId, children: []};
		}
		case 'label':
			return {identifier: itemId, title, children: []};
		case 'folder':
			for (const file of areaFiles(files, activity, 'mod_folder', 'content')) cartridge.addFile(file);
			return {identifier: itemId, title, children: []};
		default:
			return undefined;
	}
}
