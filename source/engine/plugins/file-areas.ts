import {isGroup} from './element-tree.js';
import {getActivityPlugin} from './registry.js';
import type {ChildSpec} from './types.js';

/**
 * The file areas ("component/filearea") an activity type restores only with user data: those of its user-data
 * elements and their children (a forum post's attachments, an assignment's submission files).
 */
export function userDataFileAreas(modname: string): Set<string> {
	const areas = new Set<string>();
	const plugin = getActivityPlugin(modname);
	if (!plugin) return areas;
	const walk = (children: readonly ChildSpec[], userData: boolean): void => {
		for (const child of children) {
			if (isGroup(child)) {
				walk(child.children, userData);
				continue;
			}
			const own = userData || child.userData === true;
			if (own) for (const area of child.files ?? []) areas.add(`${area.component}/${area.filearea}`);
			if (child.children) walk(child.children, own);
		}
	};
	walk([plugin.root], false);
	return areas;
}
