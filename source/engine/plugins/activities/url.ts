/** mod_url: a link to an external address (externalurl is link-encoded and decoded like any text). */
import {standardLinks} from '../common-elements.js';
import type {ActivityPlugin} from '../types.js';

export const urlPlugin: ActivityPlugin = {
	modname: 'url',
	version: 2022112800,
	root: {
		name: 'url',
		table: 'url',
		fields: ['name', 'intro', 'introformat', 'externalurl', 'display', 'displayoptions', 'parameters', 'timemodified'],
		files: [{component: 'mod_url', filearea: 'intro', itemid: 0}],
	},
	links: [...standardLinks('url'), {name: 'URLVIEWBYU', path: '/mod/url/view.php?u=$1', mappings: ['url']}],
	decodeContents: [{table: 'url', fields: ['intro', 'externalurl'], itemname: 'url'}],
};
