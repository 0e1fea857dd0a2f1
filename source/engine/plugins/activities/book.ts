/** mod_book: chapters (course content, not user data), each with its own file area. */
import {standardLinks, tagsElement} from '../common-elements.js';
import type {ActivityPlugin} from '../types.js';

export const bookPlugin: ActivityPlugin = {
	modname: 'book',
	version: 2022112800,
	root: {
		name: 'book',
		table: 'book',
		fields: ['name', 'intro', 'introformat', 'numbering', 'navstyle', 'customtitles', 'timecreated', 'timemodified'],
		files: [{component: 'mod_book', filearea: 'intro', itemid: 0}],
		children: [
			{
				name: 'chapter',
				wrapper: 'chapters',
				table: 'book_chapters',
				itemname: 'book_chapter',
				link: {column: 'bookid'},
				fields: ['pagenum', 'subchapter', 'title', 'content', 'contentformat', 'hidden', 'timemodified', 'importsrc'],
				files: [{component: 'mod_book', filearea: 'chapter', itemid: 'id'}],
			},
			tagsElement('chaptertags', {component: 'mod_book', itemtype: 'book_chapters', item: 'book_chapter'}),
		],
	},
	links: [
		...standardLinks('book'),
		{name: 'BOOKVIEWBYB', path: '/mod/book/view.php?b=$1', mappings: ['book']},
		{name: 'BOOKVIEWBYBCH', path: '/mod/book/view.php?b=$1&amp;chapterid=$2', mappings: ['book', 'book_chapter']},
		{name: 'BOOKVIEWBYIDCH', path: '/mod/book/view.php?id=$1&amp;chapterid=$2', mappings: ['course_module', 'book_chapter']},
	],
	decodeContents: [
		{table: 'book', fields: ['intro'], itemname: 'book'},
		{table: 'book_chapters', fields: ['content'], itemname: 'book_chapter'},
	],
};
