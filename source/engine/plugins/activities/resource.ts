/** mod_resource: one uploaded file (the main file has sortorder 1 in files.xml). */
import {standardLinks} from '../common-elements.js';
import type {ActivityPlugin} from '../types.js';

export const resourcePlugin: ActivityPlugin = {
	modname: 'resource',
	version: 2022112800,
	root: {
		name: 'resource',
		table: 'resource',
		fields: ['name', 'intro', 'introformat', 'tobemigrated', 'legacyfiles', 'legacyfileslast', 'display', 'displayoptions', 'filterfiles', 'revision', 'timemodified'],
		files: [
			{component: 'mod_resource', filearea: 'intro', itemid: 0},
			{component: 'mod_resource', filearea: 'content', itemid: 0},
		],
	},
	links: standardLinks('resource'),
	decodeContents: [{table: 'resource', fields: ['intro'], itemname: 'resource'}],
};
