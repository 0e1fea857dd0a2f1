/** mod_choice: options (content) and the answers users picked (user data). */
import {standardLinks} from '../common-elements.js';
import type {ActivityPlugin} from '../types.js';

export const choicePlugin: ActivityPlugin = {
	modname: 'choice',
	version: 2022112800,
	root: {
		name: 'choice',
		table: 'choice',
		dates: ['timeopen', 'timeclose'],
		fields: ['name', 'intro', 'introformat', 'publish', 'showresults', 'display', 'allowupdate', 'allowmultiple', 'showunanswered', 'limitanswers', 'timeopen', 'timeclose', 'timemodified', 'completionsubmit', 'showpreview', 'includeinactive', 'showavailable'],
		files: [{component: 'mod_choice', filearea: 'intro', itemid: 0}],
		children: [
			{
				name: 'option',
				wrapper: 'options',
				table: 'choice_options',
				itemname: 'choice_option',
				link: {column: 'choiceid'},
				fields: ['text', 'maxanswers', 'timemodified'],
			},
			{
				name: 'answer',
				wrapper: 'answers',
				table: 'choice_answers',
				itemname: 'choice_answer',
				link: {column: 'choiceid'},
				fields: ['userid', 'optionid', 'timemodified'],
				foreignKeys: {userid: 'user', optionid: {item: 'choice_option'}},
				userData: true,
			},
		],
	},
	links: standardLinks('choice'),
	decodeContents: [{table: 'choice', fields: ['intro'], itemname: 'choice'}],
};
