/** mod_folder: a tree of files (files.xml carries the sub-folder paths). */
import {standardLinks} from '../common-elements.js';
import type {ActivityPlugin} from '../types.js';

export const folderPlugin: ActivityPlugin = {
	modname: 'folder',
	version: 2022112800,
	root: {
		name: 'folder',
		table: 'folder',
		fields: ['name', 'intro', 'introformat', 'revision', 'timemodified', 'display', 'showexpanded', 'showdownloadfolder', 'forcedownload'],
		files: [
			{component: 'mod_folder', filearea: 'intro', itemid: 0},
			{component: 'mod_folder', filearea: 'content', itemid: 0},
		],
	},
	links: standardLinks('folder'),
	decodeContents: [{table: 'folder', fields: ['intro'], itemname: 'folder'}],
};
