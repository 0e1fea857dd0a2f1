/**
 * mod_glossary: entries (user data) with their aliases and ratings, categories (content) and the links between
 * entries and categories (user data, since they point at entries).
 */
import {ratingsElement, standardLinks, tagsElement} from '../common-elements.js';
import type {ActivityPlugin} from '../types.js';

export const glossaryPlugin: ActivityPlugin = {
	modname: 'glossary',
	version: 2022112800,
	root: {
		name: 'glossary',
		table: 'glossary',
		dates: ['assesstimestart', 'assesstimefinish'],
		fields: ['name', 'intro', 'introformat', 'allowduplicatedentries', 'displayformat', 'mainglossary', 'showspecial', 'showalphabet', 'showall', 'allowcomments', 'allowprintview', 'usedynalink', 'defaultapproval', 'globalglossary', 'entbypage', 'editalways', 'rsstype', 'rssarticles', 'assessed', 'assesstimestart', 'assesstimefinish', 'scale', 'timecreated', 'timemodified', 'completionentries'],
		foreignKeys: {scale: 'scale'},
		files: [{component: 'mod_glossary', filearea: 'intro', itemid: 0}],
		children: [
			{
				name: 'entry',
				wrapper: 'entries',
				table: 'glossary_entries',
				itemname: 'glossary_entry',
				link: {column: 'glossaryid'},
				fields: ['userid', 'concept', 'definition', 'definitionformat', 'definitiontrust', 'attachment', 'timecreated', 'timemodified', 'teacherentry', 'sourceglossaryid', 'usedynalink', 'casesensitive', 'fullmatch', 'approved'],
				foreignKeys: {userid: 'user', sourceglossaryid: {item: 'glossary'}},
				userData: true,
				files: [
					{component: 'mod_glossary', filearea: 'entry', itemid: 'id'},
					{component: 'mod_glossary', filearea: 'attachment', itemid: 'id'},
				],
				children: [
					{
						name: 'alias',
						wrapper: 'aliases',
						table: 'glossary_alias',
						itemname: 'glossary_alias',
						link: {column: 'entryid'},
						fields: [{xml: 'alias_text', column: 'alias'}],
						userData: true,
					},
					ratingsElement('mod_glossary', 'entry'),
				],
			},
			tagsElement('entriestags', {component: 'mod_glossary', itemtype: 'glossary_entries', item: 'glossary_entry', userData: true}),
			{
				name: 'category',
				wrapper: 'categories',
				table: 'glossary_categories',
				itemname: 'glossary_category',
				link: {column: 'glossaryid'},
				fields: ['name', 'usedynalink'],
				children: [
					{
						name: 'category_entry',
						wrapper: 'category_entries',
						table: 'glossary_entries_categories',
						itemname: 'glossary_entry_category',
						link: {column: 'categoryid'},
						fields: ['entryid'],
						foreignKeys: {entryid: {item: 'glossary_entry'}},
						userData: true,
					},
				],
			},
		],
	},
	links: [
		...standardLinks('glossary'),
		{name: 'GLOSSARYSHOWENTRY', path: '/mod/glossary/showentry.php?courseid=$1&eid=$2', mappings: ['course', 'glossary_entry']},
	],
	decodeContents: [
		{table: 'glossary', fields: ['intro'], itemname: 'glossary'},
		{table: 'glossary_entries', fields: ['definition'], itemname: 'glossary_entry'},
		{table: 'glossary_categories', fields: ['name'], itemname: 'glossary_category'},
	],
};
