import path from 'node:path';
import type {Moodle2Course, Moodle2File} from './read-moodle2.js';
import {element, escapeXml} from './xml-text.js';

/** One entry of the package: generated text, or a file body from the moodle2 `files/` pool. */
export type CartridgeEntry = {path: string; text: string} | {path: string; source: string};

export type CartridgeResource = {
	identifier: string;
	type: string;
	href?: string;
	files: string[];
	dependencies: string[];
	instructorOnly?: boolean;
};

export type CartridgeItem = {identifier: string; title?: string; identifierref?: string; children: CartridgeItem[]};

/** Lower-case, spaces to underscores: the names files get inside the cartridge. */
export function cartridgeFileName(name: string): string {
	return name.toLowerCase().replace(/ /g, '_');
}

/**
 * A Common Cartridge 1.1 package being built: the organization tree, the resources and the entries to zip.
 * Identifiers are derived from backup ids, so the same backup gives the same manifest.
 */
export class Cartridge {
	readonly items: CartridgeItem[] = [];
	readonly resources: CartridgeResource[] = [];
	readonly entries: CartridgeEntry[] = [];
	private readonly fileResources = new Map<number, string>();
	private readonly placed = new Set<number>();

	constructor(private readonly root: string) {}

	addText(location: string, text: string): void {
		this.entries.push({path: location, text});
	}

	addResource(resource: CartridgeResource): void {
		this.resources.push(resource);
	}

	/** Copies one backup file into the package (once), answering its location. */
	placeFile(file: Moodle2File): string {
		const location = `i_f${file.id}/${cartridgeFileName(file.filename)}`;
		if (!this.placed.has(file.id)) {
			this.placed.add(file.id);
			this.entries.push({path: location, source: path.join(this.root, 'files', file.contenthash.slice(0, 2), file.contenthash)});
		}
		return location;
	}

	/** The webcontent resource of one backup file (added once), answering its identifier and its location. */
	addFile(file: Moodle2File): {identifier: string; location: string} {
		const location = this.placeFile(file);
		let identifier = this.fileResources.get(file.id);
		if (!identifier) {
			identifier = `I_F${file.id}_R`;
			this.fileResources.set(file.id, identifier);
			this.resources.push({identifier, type: 'webcontent', href: location, files: [location], dependencies: []});
		}
		return {identifier, location};
	}

	manifest(course: Moodle2Course): string {
		const lines: string[] = [
			'<?xml version="1.0" encoding="UTF-8"?>',
			'<!--Moodle 2 Common Cartridge generator-->',
			'<manifest xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"'
				+ ' xmlns:lomimscc="http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"'
				+ ' xmlns:lom="http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource"'
				+ ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
				+ ` identifier="M_C${course.id}"`
				+ ' xsi:schemaLocation="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1 http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd'
				+ ' http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd'
				+ ' http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lomresource_v1p0.xsd">',
			'  <metadata>',
			'    <schema>IMS Common Cartridge</schema>',
			'    <schemaversion>1.1.0</schemaversion>',
			'    <lomimscc:lom>',
			'      <lomimscc:general>',
			`        <lomimscc:title><lomimscc:string${course.lang ? ` language="${escapeXml(course.lang)}"` : ''}>${escapeXml(course.fullname)}</lomimscc:string></lomimscc:title>`,
			...(course.lang ? [`        <lomimscc:language>${escapeXml(course.lang)}</lomimscc:language>`] : []),
			`        <lomimscc:description><lomimscc:string>${escapeXml(course.summary)}</lomimscc:string></lomimscc:description>`,
			`        <lomimscc:identifier><lomimscc:catalog>category</lomimscc:catalog><lomimscc:entry>${escapeXml(course.categoryName)}</lomimscc:entry></lomimscc:identifier>`,
			'      </lomimscc:general>',
			'    </lomimscc:lom>',
			'  </metadata>',
			'  <organizations>',
			`    <organization identifier="O_C${course.id}" structure="rooted-hierarchy">`,
			'      <item identifier="root">',
		];
		const writeItem = (item: CartridgeItem, depth: number) => {
			const indent = '  '.repeat(depth);
			const open = `${indent}<item identifier="${escapeXml(item.identifier)}"${item.identifierref ? ` identifierref="${escapeXml(item.identifierref)}"` : ''}>`;
			const title = item.title === undefined ? '' : element('title', {}, item.title);
			if (item.children.length === 0) {
				lines.push(`${open}${title}</item>`);
				return;
			}
			lines.push(`${open}${title}`);
			for (const child of item.children) writeItem(child, depth + 1);
			lines.push(`${indent}</item>`);
		};
		for (const item of this.items) writeItem(item, 4);
		lines.push('      </item>', '    </organization>', '  </organizations>', '  <resources>');
		for (const resource of this.resources) {
			lines.push(`    ${element('resource', {identifier: resource.identifier, type: resource.type, href: resource.href}).replace(/\/>$/, '>')}`);
			if (resource.instructorOnly) {
				lines.push('      <metadata><lom:lom><lom:educational><lom:intendedEndUserRole><lom:source>IMSGLC_CC_Rolesv1p1</lom:source>'
					+ '<lom:value>Instructor</lom:value></lom:intendedEndUserRole></lom:educational></lom:lom></metadata>');
			}
			for (const file of resource.files) lines.push(`      ${element('file', {href: file})}`);
			for (const dependency of resource.dependencies) lines.push(`      ${element('dependency', {identifierref: dependency})}`);
			lines.push('    </resource>');
		}
		lines.push('  </resources>', '</manifest>', '');
		return lines.join('\n');
	}
}
