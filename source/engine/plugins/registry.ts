/**
 * The registry of activity types. Adding a type = one file in activities/ plus one line here.
 * The engine's backup and restore code asks the registry; it never names a module itself.
 * The derived functions (restoreActivity, backupActivity, restoreQuestionBank, backupQuestionBank,
 * decodeContentLinks, createLinkEncoder) are exported from ./index.js.
 */
import {assignPlugin} from './activities/assign.js';
import {bookPlugin} from './activities/book.js';
import {chatPlugin} from './activities/chat.js';
import {choicePlugin} from './activities/choice.js';
import {folderPlugin} from './activities/folder.js';
import {forumPlugin} from './activities/forum.js';
import {glossaryPlugin} from './activities/glossary.js';
import {labelPlugin} from './activities/label.js';
import {pagePlugin} from './activities/page.js';
import {quizPlugin} from './activities/quiz.js';
import {resourcePlugin} from './activities/resource.js';
import {urlPlugin} from './activities/url.js';
import type {ActivityPlugin} from './types.js';

const plugins: readonly ActivityPlugin[] = [
	assignPlugin,
	bookPlugin,
	chatPlugin,
	choicePlugin,
	folderPlugin,
	forumPlugin,
	glossaryPlugin,
	labelPlugin,
	pagePlugin,
	quizPlugin,
	resourcePlugin,
	urlPlugin,
];

const byName = new Map(plugins.map((plugin) => [plugin.modname, plugin]));

/** The description of an activity type, or undefined when the type is not supported (lesson, wiki, workshop, ...). */
export function getActivityPlugin(modname: string): ActivityPlugin | undefined {
	return byName.get(modname);
}

/** Every supported activity type, in Moodle's plugin-list (alphabetical) order. */
export function listActivityPlugins(): readonly ActivityPlugin[] {
	return plugins;
}

export function isActivitySupported(modname: string): boolean {
	return byName.has(modname);
}
