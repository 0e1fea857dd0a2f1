import fs from 'node:fs';
import path from 'node:path';
import {readXmlFile, type XmlRecord} from '../../xml/read-xml-records.js';

/** What the Common Cartridge export needs from a finished moodle2 backup directory. */
export type Moodle2Course = {
	id: number;
	fullname: string;
	shortname: string;
	summary: string;
	lang: string;
	categoryName: string;
};

export type Moodle2Section = {id: number; title: string; sequence: number[]};

export type Moodle2Activity = {
	cmid: number;
	modname: string;
	sectionId: number;
	title: string;
	directory: string;
	contextId: number;
	indent: number;
	visible: boolean;
	/** The direct leaf children of `/activity/<modname>` (name, intro, content, externalurl, ...). */
	data: Record<string, string | null>;
};

export type Moodle2File = {
	id: number;
	contenthash: string;
	contextId: number;
	component: string;
	filearea: string;
	itemid: number;
	filepath: string;
	filename: string;
	sortorder: number;
};

export type Moodle2Backup = {
	root: string;
	course: Moodle2Course;
	sections: Moodle2Section[];
	activities: Map<number, Moodle2Activity>;
	files: Moodle2File[];
};

async function collect(file: string, root: string, paths: readonly string[]): Promise<XmlRecord[]> {
	const records: XmlRecord[] = [];
	const entry = path.relative(root, file);
	for await (const record of readXmlFile(file, {file: entry, entry, paths})) records.push(record);
	return records;
}

const text = (value: string | null | undefined) => value ?? '';

/** Reads moodle_backup.xml, course.xml, the included sections and activities, and files.xml of a moodle2 directory. */
export async function readMoodle2Backup(root: string): Promise<Moodle2Backup> {
	const main = await collect(path.join(root, 'moodle_backup.xml'), root, [
		'/moodle_backup/information/contents/sections/section',
		'/moodle_backup/information/contents/activities/activity',
	]);
	const courseRecords = await collect(path.join(root, 'course', 'course.xml'), root, ['/course', '/course/category']);
	const courseRecord = courseRecords.find(record => record.name === 'course');
	const category = courseRecords.find(record => record.name === 'category');
	const course: Moodle2Course = {
		id: Number(courseRecord?.attrs['id'] ?? 0),
		fullname: text(courseRecord?.data['fullname']),
		shortname: text(courseRecord?.data['shortname']),
		summary: text(courseRecord?.data['summary']),
		lang: text(courseRecord?.data['lang']),
		categoryName: text(category?.data['name']),
	};

	const sections: Moodle2Section[] = [];
	for (const record of main.filter(item => item.name === 'section')) {
		const [section] = await collect(path.join(root, text(record.data['directory']), 'section.xml'), root, ['/section']);
		const sequence = text(section?.data['sequence']).split(',').filter(id => id !== '').map(Number);
		sections.push({id: Number(record.data['sectionid']), title: text(record.data['title']), sequence});
	}

	const activities = new Map<number, Moodle2Activity>();
	for (const record of main.filter(item => item.name === 'activity')) {
		const modname = text(record.data['modulename']);
		const directory = text(record.data['directory']);
		const [module] = await collect(path.join(root, directory, 'module.xml'), root, ['/module']);
		const moduleRecords = await collect(path.join(root, directory, `${modname}.xml`), root, ['/activity', `/activity/${modname}`]);
		const activityRecord = moduleRecords.find(item => item.path === '/activity');
		const instance = moduleRecords.find(item => item.path === `/activity/${modname}`);
		const cmid = Number(record.data['moduleid']);
		activities.set(cmid, {
			cmid, modname, directory,
			sectionId: Number(record.data['sectionid']),
			title: text(record.data['title']),
			contextId: Number(activityRecord?.attrs['contextid'] ?? 0),
			indent: Number(module?.data['indent'] ?? 0) || 0,
			visible: module?.data['visible'] !== '0',
			data: instance?.data ?? {},
		});
	}

	const files: Moodle2File[] = [];
	const filesXml = path.join(root, 'files.xml');
	if (fs.existsSync(filesXml)) {
		for (const record of await collect(filesXml, root, ['/files/file'])) {
			files.push({
				id: Number(record.attrs['id']),
				contenthash: text(record.data['contenthash']),
				contextId: Number(record.data['contextid']),
				component: text(record.data['component']),
				filearea: text(record.data['filearea']),
				itemid: Number(record.data['itemid']),
				filepath: text(record.data['filepath']) || '/',
				filename: text(record.data['filename']),
				sortorder: Number(record.data['sortorder'] ?? 0),
			});
		}
	}
	return {root, course, sections, activities, files};
}
