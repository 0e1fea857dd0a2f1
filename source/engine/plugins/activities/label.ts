/** mod_label: a text shown on the course page. No user data, no links of its own. */
import type {ActivityPlugin} from '../types.js';

export const labelPlugin: ActivityPlugin = {
	modname: 'label',
	version: 2022112800,
	root: {
		name: 'label',
		table: 'label',
		fields: ['name', 'intro', 'introformat', 'timemodified'],
		files: [{component: 'mod_label', filearea: 'intro', itemid: 0}],
	},
	decodeContents: [{table: 'label', fields: ['intro'], itemname: 'label'}],
};
