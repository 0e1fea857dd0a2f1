/** mod_page: one HTML page with embedded files. */
import {standardLinks} from '../common-elements.js';
import type {ActivityPlugin} from '../types.js';

export const pagePlugin: ActivityPlugin = {
	modname: 'page',
	version: 2022112800,
	root: {
		name: 'page',
		table: 'page',
		fields: ['name', 'intro', 'introformat', 'content', 'contentformat', 'legacyfiles', 'legacyfileslast', 'display', 'displayoptions', 'revision', 'timemodified'],
		files: [
			{component: 'mod_page', filearea: 'intro', itemid: 0},
			{component: 'mod_page', filearea: 'content', itemid: 0},
		],
	},
	links: standardLinks('page'),
	decodeContents: [{table: 'page', fields: ['intro', 'content'], itemname: 'page'}],
};
