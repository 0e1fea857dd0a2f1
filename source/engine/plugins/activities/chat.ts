/** mod_chat: chat room settings; its messages are user data (`message` column exported as `message_text`). */
import {standardLinks} from '../common-elements.js';
import type {ActivityPlugin} from '../types.js';

export const chatPlugin: ActivityPlugin = {
	modname: 'chat',
	version: 2022112800,
	root: {
		name: 'chat',
		table: 'chat',
		dates: ['chattime'],
		fields: ['name', 'intro', 'introformat', 'keepdays', 'studentlogs', 'chattime', 'schedule', 'timemodified'],
		files: [{component: 'mod_chat', filearea: 'intro', itemid: 0}],
		children: [
			{
				name: 'message',
				wrapper: 'messages',
				table: 'chat_messages',
				itemname: 'chat_message',
				link: {column: 'chatid'},
				fields: ['userid', 'groupid', {xml: 'system', column: 'issystem'}, {xml: 'message_text', column: 'message'}, 'timestamp'],
				foreignKeys: {userid: 'user', groupid: 'group'},
				userData: true,
			},
		],
	},
	links: standardLinks('chat'),
	decodeContents: [{table: 'chat', fields: ['intro'], itemname: 'chat'}],
};
