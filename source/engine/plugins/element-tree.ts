/** Walking a description's element tree: XML paths, the element that owns each path, and the rows' columns. */
import type {ActivitySettings, ChildSpec, ElementSpec, FieldSpec, GroupSpec} from './types.js';

export function isGroup(spec: ChildSpec): spec is GroupSpec {
	return 'group' in spec;
}

export function fieldXmlName(field: FieldSpec): string {
	return typeof field === 'string' ? field : field.xml;
}

export function fieldColumn(field: FieldSpec): string {
	return typeof field === 'string' ? field : field.column;
}

export function itemnameOf(spec: ElementSpec): string {
	return spec.itemname ?? spec.table;
}

/** Whether an element's rows take part, given user info and the root settings. */
export function isIncluded(spec: ElementSpec, userinfo: boolean, settings: ActivitySettings): boolean {
	if (spec.notModelled) return false;
	if (spec.userData && !userinfo) return false;
	if (spec.setting && settings[spec.setting] === false) return false;
	return true;
}

export type PathEntry = {path: string; spec: ElementSpec; parent: ElementSpec | undefined};

/** Every row-holding element under `basePath` with its absolute XML path and parent element (undefined = the document). */
export function elementPaths(children: readonly ChildSpec[], basePath: string, include: (spec: ElementSpec) => boolean, parent?: ElementSpec): PathEntry[] {
	const result: PathEntry[] = [];
	for (const child of children) {
		if (isGroup(child)) {
			result.push(...elementPaths(child.children, `${basePath}/${child.group}`, include, parent));
			continue;
		}
		if (!include(child)) continue;
		const path = `${basePath}${child.wrapper ? `/${child.wrapper}` : ''}/${child.name}`;
		result.push({path, spec: child, parent});
		if (child.children) result.push(...elementPaths(child.children, path, include, child));
	}
	return result;
}

/** Every element of a tree (groups flattened), depth first. */
export function allElements(children: readonly ChildSpec[]): ElementSpec[] {
	const result: ElementSpec[] = [];
	for (const child of children) {
		if (isGroup(child)) result.push(...allElements(child.children));
		else {
			result.push(child);
			if (child.children) result.push(...allElements(child.children));
		}
	}
	return result;
}
