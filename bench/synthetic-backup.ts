/**
 * A synthetic Moodle course backup, as large as asked: users, sections, forums full of posts, pages with
 * files and a few large binary files. Every XML document is Moodle-shaped (the layout and elements of a real
 * Moodle 4.1 backup, written by the product's own serialiser) and the archive is a real .mbz (writeMbz), so
 * the inspect, restore and backup benchmarks can all use it.
 */
import {promises as fs} from 'node:fs';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {writeMbz, type MbzEntry} from '../source/engine/archive/write-mbz.js';
import {makeBlob, type SyntheticBlob} from './synthetic/blobs.js';
import {ACTIVITY_SHAPES, leaves, ROOT_SHAPES, writeShape, XmlDocuments} from './synthetic/xml-out.js';

export type SyntheticBackupOptions = {
	/** Directory (created) that receives synthetic.mbz. */
	dir: string;
	users?: number;
	sections?: number;
	forums?: number;
	/** Posts per forum (4 per discussion). */
	postsPerForum?: number;
	pages?: number;
	/** Small files (1-64 KiB) attached to pages. */
	smallFiles?: number;
	/** Large binary files, one per page from the first. */
	largeFiles?: number;
	largeFileMB?: number;
	seed?: string;
	/** Totals, for callers that think in totals: spread over the forums, activities and large files. */
	posts?: number;
	activities?: number;
	megabytes?: number;
};

/** Turns the optional totals into the per-item parameters. */
function resolveTotals(options: SyntheticBackupOptions): SyntheticBackupOptions {
	const resolved = {...options};
	if (options.activities !== undefined && options.forums === undefined && options.pages === undefined) {
		resolved.forums = Math.max(1, Math.floor(options.activities / 2));
		resolved.pages = Math.max(1, options.activities - resolved.forums);
	}
	if (options.posts !== undefined && options.postsPerForum === undefined) {
		resolved.postsPerForum = Math.max(1, Math.ceil(options.posts / (resolved.forums ?? 1_500)));
	}
	if (options.megabytes !== undefined && options.largeFiles === undefined && options.largeFileMB === undefined) {
		resolved.largeFiles = Math.max(1, Math.ceil(options.megabytes / 110));
		resolved.largeFileMB = Math.max(1, Math.floor(options.megabytes / resolved.largeFiles));
	}
	return resolved;
}

export type SyntheticBackup = {
	file: string;
	archiveBytes: number;
	/** Sum of the entry sizes (what gzip -dc gives, less tar headers). */
	uncompressedBytes: number;
	entries: number;
	xmlEntries: number;
	xmlBytes: number;
	blobBytes: number;
	/** What inspect must report for it. */
	expected: {users: number; sections: number; forums: number; pages: number; discussions: number; posts: number; files: number; fileBytes: number; userEnrolments: number};
};

const COURSE_ID = 2;
const COURSE_CONTEXT = 20;
const SITE_HASH = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const NOW = 1_795_459_000;
const TEXT =
	'Lorem ipsum dolor sit amet, consectetuer adipiscing elit. Nulla non arcu lacinia neque faucibus fringilla. ' +
	'Vivamus porttitor turpis ac leo. Integer in velit. Histoire & géographie: <em>Élodie</em> répond à François. ';

type Activity = {modname: 'forum' | 'page'; cmid: number; instance: number; sectionId: number; sectionNumber: number; contextId: number; title: string};
type PlacedFile = {blob: SyntheticBlob; id: number; contextId: number; filename: string};

function userId(index: number): number {
	return 3 + index; // 2 is admin
}

export async function generateSyntheticBackup(options: SyntheticBackupOptions): Promise<SyntheticBackup> {
	const o = {
		users: 20_000,
		sections: 50,
		forums: 1_500,
		postsPerForum: 40,
		pages: 1_500,
		smallFiles: 2_000,
		largeFiles: 8,
		largeFileMB: 110,
		seed: 'mbz-synthetic',
		...resolveTotals(options),
	};
	await fs.mkdir(o.dir, {recursive: true});
	const xml = new XmlDocuments();

	// Sections 0..n-1 (ids 1000+n); activities dealt round-robin into them.
	const sections = Array.from({length: o.sections}, (_, number) => ({id: 1000 + number, number, sequence: [] as number[]}));
	const activities: Activity[] = [];
	const addActivity = (modname: 'forum' | 'page', instance: number): void => {
		const cmid = 10_000 + activities.length;
		const section = sections[activities.length % sections.length]!;
		section.sequence.push(cmid);
		activities.push({modname, cmid, instance, sectionId: section.id, sectionNumber: section.number, contextId: 100_000 + cmid, title: `${modname === 'forum' ? 'Forum' : 'Page'} ${instance}`});
	};
	for (let index = 1; index <= Math.max(o.forums, o.pages); index++) {
		if (index <= o.forums) addActivity('forum', index);
		if (index <= o.pages) addActivity('page', index);
	}
	const pages = activities.filter((activity) => activity.modname === 'page');

	// File bodies: large ones first (one per page), then small ones spread over the pages.
	const files: PlacedFile[] = [];
	let fileId = 1;
	for (let index = 0; index < o.largeFiles && pages.length > 0; index++) {
		const blob = makeBlob(o.seed, index, o.largeFileMB * 1024 * 1024 + index);
		files.push({blob, id: fileId++, contextId: pages[index % pages.length]!.contextId, filename: `lecture-video-${index + 1}.bin`});
	}
	for (let index = 0; index < o.smallFiles && pages.length > 0; index++) {
		const size = 1024 + ((index * 7919) % (63 * 1024));
		const blob = makeBlob(o.seed, o.largeFiles + index, size);
		files.push({blob, id: fileId++, contextId: pages[(index + o.largeFiles) % pages.length]!.contextId, filename: `handout-${index + 1}.pdf`});
	}

	let posts = 0;
	let discussions = 0;
	for (const activity of activities) {
		const dir = `activities/${activity.modname}_${activity.cmid}`;
		await writeModuleXml(xml, dir, activity);
		if (activity.modname === 'forum') {
			const written = await writeForumXml(xml, dir, activity, o.postsPerForum, o.users);
			posts += written.posts;
			discussions += written.discussions;
		} else {
			await writePageXml(xml, dir, activity);
		}
		for (const [name, shape] of Object.entries(ACTIVITY_SHAPES)) await xml.write(`${dir}/${name}`, (writer) => writeShape(writer, shape));
		const own = files.filter((file) => file.contextId === activity.contextId);
		await xml.write(`${dir}/inforef.xml`, (writer) => {
			writer.startTag('inforef');
			if (own.length > 0) {
				writer.startTag('fileref');
				for (const file of own) {
					writer.startTag('file');
					writer.fullTag('id', file.id);
					writer.endTag('file');
				}
				writer.endTag('fileref');
			}
			writer.endTag('inforef');
		});
	}
	for (const section of sections) {
		await xml.write(`sections/section_${section.id}/section.xml`, (writer) => {
			writer.startTag('section', {id: section.id});
			leaves(writer, {number: section.number, name: section.number === 0 ? null : `Topic ${section.number}`, summary: `<p>${TEXT}</p>`, summaryformat: 1, sequence: section.sequence.join(','), visible: 1, availabilityjson: null, timemodified: NOW});
			writer.endTag('section');
		});
		await xml.write(`sections/section_${section.id}/inforef.xml`, (writer) => writeShape(writer, 'inforef'));
	}
	await writeCourseXml(xml, o.users);
	for (const [path, shape] of Object.entries(ROOT_SHAPES)) await xml.write(path, (writer) => writeShape(writer, shape));
	await writeUsersXml(xml, o.users);
	await writeFilesXml(xml, files);
	await writeRolesXml(xml);
	await writeManifest(xml, sections, activities);
	xml.documents.set('moodle_backup.log', Buffer.alloc(0));

	const entries = archiveEntries(xml.documents, files);
	const file = join(o.dir, 'synthetic.mbz');
	const {bytes} = await writeMbz(file, entries);
	const xmlEntries = entries.filter((entry) => entry.type === 'file' && entry.path.endsWith('.xml')).length;
	const blobBytes = files.reduce((sum, placed) => sum + placed.blob.size, 0);
	const uncompressedBytes = entries.reduce((sum, entry) => sum + entry.size, 0);
	return {
		file,
		archiveBytes: bytes,
		uncompressedBytes,
		entries: entries.length + 1,
		xmlEntries,
		xmlBytes: uncompressedBytes - blobBytes,
		blobBytes,
		expected: {
			users: o.users + 1,
			sections: o.sections,
			forums: o.forums,
			pages: o.pages,
			discussions,
			posts,
			files: files.length,
			fileBytes: blobBytes,
			userEnrolments: o.users + 1,
		},
	};
}

/** Moodle's entry order: top-level items by name, each directory followed by its contents; blobs deduplicated. */
function archiveEntries(documents: Map<string, Buffer>, files: PlacedFile[]): MbzEntry[] {
	type Node = {children: Map<string, Node>; data?: Buffer; blob?: SyntheticBlob};
	const tree: Node = {children: new Map()};
	const place = (path: string, leaf: Omit<Node, 'children'>): void => {
		const parts = path.split('/');
		let node = tree;
		for (const part of parts.slice(0, -1)) {
			if (!node.children.has(part)) node.children.set(part, {children: new Map()});
			node = node.children.get(part)!;
		}
		node.children.set(parts.at(-1)!, {children: new Map(), ...leaf});
	};
	for (const [path, data] of documents) place(path, {data});
	for (const file of files) place(`files/${file.blob.sha1.slice(0, 2)}/${file.blob.sha1}`, {blob: file.blob});
	const entries: MbzEntry[] = [];
	const walk = (node: Node, prefix: string): void => {
		for (const name of [...node.children.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
			const child = node.children.get(name)!;
			const path = prefix ? `${prefix}/${name}` : name;
			if (child.data) {
				const data = child.data;
				entries.push({path, type: 'file', size: data.length, mtime: NOW, open: () => Readable.from([data])});
			} else if (child.blob) {
				entries.push({path, type: 'file', size: child.blob.size, mtime: NOW, open: child.blob.open});
			} else {
				entries.push({path, type: 'directory', size: 0});
				walk(child, path);
			}
		}
	};
	walk(tree, '');
	return entries;
}

async function writeModuleXml(xml: XmlDocuments, dir: string, activity: Activity): Promise<void> {
	await xml.write(`${dir}/module.xml`, (writer) => {
		writer.startTag('module', {id: activity.cmid, version: 2022112800});
		leaves(writer, {
			modulename: activity.modname, sectionid: activity.sectionId, sectionnumber: activity.sectionNumber, idnumber: '', added: NOW, score: 0, indent: 0,
			visible: 1, visibleoncoursepage: 1, visibleold: 1, groupmode: 0, groupingid: 0, completion: 0, completiongradeitemnumber: null,
			completionpassgrade: 0, completionview: 0, completionexpected: 0, availability: null, showdescription: 0, downloadcontent: 1, lang: null,
		});
		writeShape(writer, 'tags');
		writer.endTag('module');
	});
}

async function writeForumXml(xml: XmlDocuments, dir: string, activity: Activity, postCount: number, users: number): Promise<{posts: number; discussions: number}> {
	let posts = 0;
	let discussions = 0;
	await xml.write(`${dir}/forum.xml`, async (writer) => {
		writer.startTag('activity', {id: activity.instance, moduleid: activity.cmid, modulename: 'forum', contextid: activity.contextId});
		writer.startTag('forum', {id: activity.instance});
		leaves(writer, {
			type: 'general', name: activity.title, intro: `<p>${TEXT}</p>`, introformat: 1, duedate: 0, cutoffdate: 0, assessed: 0, assesstimestart: 0,
			assesstimefinish: 0, scale: 0, maxbytes: 0, maxattachments: 1, forcesubscribe: 0, trackingtype: 1, rsstype: 0, rssarticles: 0,
			timemodified: NOW, warnafter: 0, blockafter: 0, blockperiod: 0, completiondiscussions: 0, completionreplies: 0, completionposts: 0,
			displaywordcount: 0, lockdiscussionafter: 0, grade_forum: 0,
		});
		writer.startTag('discussions');
		for (let first = 0; first < postCount; first += 4) {
			const discussionId = activity.instance * 10_000 + first / 4 + 1;
			const firstPost = activity.instance * 100_000 + first + 1;
			const author = userId((firstPost * 31) % Math.max(users, 1));
			writer.startTag('discussion', {id: discussionId});
			leaves(writer, {name: `Discussion ${first / 4 + 1}`, firstpost: firstPost, userid: author, groupid: -1, assessed: 0, timemodified: NOW, usermodified: author, timestart: 0, timeend: 0, pinned: 0, timelocked: 0});
			writer.startTag('posts');
			for (let offset = 0; offset < 4 && first + offset < postCount; offset++) {
				const postId = firstPost + offset;
				writer.startTag('post', {id: postId});
				leaves(writer, {
					parent: offset === 0 ? 0 : firstPost, userid: userId((postId * 31) % Math.max(users, 1)), created: NOW + offset, modified: NOW + offset, mailed: 0,
					subject: offset === 0 ? `Discussion ${first / 4 + 1}` : `Re: Discussion ${first / 4 + 1}`, message: `<p>${TEXT}${TEXT}${TEXT}</p>`,
					messageformat: 1, messagetrust: 0, attachment: '', totalscore: 0, mailnow: 0, privatereplyto: 0,
				});
				writeShape(writer, 'ratings');
				writer.endTag('post');
				posts++;
			}
			writer.endTag('posts');
			writeShape(writer, 'discussion_subs');
			writer.endTag('discussion');
			discussions++;
			if (discussions % 50 === 0) await writer.flush();
		}
		writer.endTag('discussions');
		for (const wrapper of ['subscriptions', 'digests', 'readposts', 'trackedprefs', 'poststags', 'grades']) writeShape(writer, wrapper);
		writer.endTag('forum');
		writer.endTag('activity');
	});
	return {posts, discussions};
}

async function writePageXml(xml: XmlDocuments, dir: string, activity: Activity): Promise<void> {
	await xml.write(`${dir}/page.xml`, (writer) => {
		writer.startTag('activity', {id: activity.instance, moduleid: activity.cmid, modulename: 'page', contextid: activity.contextId});
		writer.startTag('page', {id: activity.instance});
		leaves(writer, {
			name: activity.title, intro: `<p>${TEXT}</p>`, introformat: 1, content: `<p>${TEXT.repeat(8)}</p>`, contentformat: 1, legacyfiles: 0,
			legacyfileslast: null, display: 5, displayoptions: 'a:2:{s:10:"printintro";i:0;s:17:"printlastmodified";i:1;}', revision: 1, timemodified: NOW,
		});
		writer.endTag('page');
		writer.endTag('activity');
	});
}

async function writeCourseXml(xml: XmlDocuments, users: number): Promise<void> {
	await xml.write('course/course.xml', (writer) => {
		writer.startTag('course', {id: COURSE_ID, contextid: COURSE_CONTEXT});
		leaves(writer, {
			shortname: 'SYNTH', fullname: 'Synthetic benchmark course', idnumber: '', summary: `<p>${TEXT}</p>`, summaryformat: 1, format: 'topics',
			showgrades: 1, newsitems: 0, startdate: NOW, enddate: 0, marker: 0, maxbytes: 0, legacyfiles: 0, showreports: 0, visible: 1, groupmode: 0,
			groupmodeforce: 0, defaultgroupingid: 0, lang: '', theme: '', timecreated: NOW, timemodified: NOW, requested: 0, showactivitydates: 0,
			showcompletionconditions: 1, enablecompletion: 0, completionnotify: 0,
		});
		writer.startTag('category', {id: 1});
		leaves(writer, {name: 'Category 1', description: null});
		writer.endTag('category');
		for (const wrapper of ['tags', 'customfields']) writeShape(writer, wrapper);
		writer.startTag('courseformatoptions');
		writer.startTag('courseformatoption');
		leaves(writer, {format: 'topics', sectionid: 0, name: 'hiddensections', value: 1});
		writer.endTag('courseformatoption');
		writer.endTag('courseformatoptions');
		writer.endTag('course');
	});
	await xml.write('course/enrolments.xml', async (writer) => {
		writer.startTag('enrolments');
		writer.startTag('enrols');
		const methods: Array<[number, string, number]> = [[1, 'manual', 0], [2, 'guest', 1], [3, 'self', 1]];
		for (const [id, enrol, status] of methods) {
			writer.startTag('enrol', {id});
			leaves(writer, {enrol, status, name: null, enrolperiod: 0, enrolstartdate: 0, enrolenddate: 0, expirynotify: 0, expirythreshold: 86400, notifyall: 0, password: null, cost: null, currency: null, roleid: 5});
			for (const field of ['customint1', 'customint2', 'customint3', 'customint4', 'customint5', 'customint6', 'customint7', 'customint8', 'customchar1', 'customchar2', 'customchar3', 'customdec1', 'customdec2', 'customtext1', 'customtext2', 'customtext3', 'customtext4']) {
				writer.fullTag(field, null);
			}
			leaves(writer, {timecreated: NOW, timemodified: NOW});
			writer.startTag('user_enrolments');
			if (enrol === 'manual') {
				for (let index = -1; index < users; index++) {
					writer.startTag('enrolment', {id: index + 2});
					leaves(writer, {status: 0, userid: index < 0 ? 2 : userId(index), timestart: 0, timeend: 0, modifierid: 2, timemodified: NOW});
					writer.endTag('enrolment');
					if (index % 1000 === 0) await writer.flush();
				}
			}
			writer.endTag('user_enrolments');
			writer.endTag('enrol');
		}
		writer.endTag('enrols');
		writer.endTag('enrolments');
	});
	await xml.write('course/inforef.xml', (writer) => {
		writer.startTag('inforef');
		writer.startTag('roleref');
		writer.startTag('role');
		writer.fullTag('id', 5);
		writer.endTag('role');
		writer.endTag('roleref');
		writer.endTag('inforef');
	});
	await xml.write('course/roles.xml', (writer) => writeShape(writer, ['roles', 'role_overrides', 'role_assignments']));
}

async function writeUsersXml(xml: XmlDocuments, users: number): Promise<void> {
	await xml.write('users.xml', async (writer) => {
		writer.startTag('users');
		for (let index = -1; index < users; index++) {
			const id = index < 0 ? 2 : userId(index);
			const username = index < 0 ? 'admin' : `synth_${String(index + 1).padStart(6, '0')}`;
			writer.startTag('user', {id, contextid: 1_000_000 + id});
			leaves(writer, {
				username, idnumber: index < 0 ? '' : String(index + 1), email: `${username}@example.com`, phone1: '', phone2: '', institution: '', department: '',
				address: '', city: '', country: '', lastip: '0.0.0.0', picture: 0, description: null, descriptionformat: 1, imagealt: null, auth: 'manual',
				firstnamephonetic: null, lastnamephonetic: null, middlename: null, alternatename: null, firstname: index < 0 ? 'Admin' : 'Élève',
				lastname: index < 0 ? 'User' : `Numéro ${index + 1}`, confirmed: 1, policyagreed: 0, deleted: 0, lang: 'en', theme: '', timezone: '99',
				firstaccess: 0, lastaccess: 0, lastlogin: 0, currentlogin: 0, mailformat: 1, maildigest: 0, maildisplay: 2, autosubscribe: 1,
				trackforums: 0, timecreated: NOW, timemodified: NOW, trustbitmask: 0,
			});
			for (const wrapper of ['custom_fields', 'tags', 'preferences']) writeShape(writer, wrapper);
			writeShape(writer, ['roles', 'role_overrides', 'role_assignments']);
			writer.endTag('user');
			if (index % 500 === 0) await writer.flush();
		}
		writer.endTag('users');
	});
}

async function writeFilesXml(xml: XmlDocuments, files: PlacedFile[]): Promise<void> {
	await xml.write('files.xml', async (writer) => {
		writer.startTag('files');
		const directoryRow = new Set<number>();
		let id = 1_000_000;
		const record = (fileId: number, contextId: number, contenthash: string, filename: string, filesize: number, mimetype: string | null): void => {
			writer.startTag('file', {id: fileId});
			leaves(writer, {
				contenthash, contextid: contextId, component: 'mod_page', filearea: 'content', itemid: 0, filepath: '/', filename, userid: 2, filesize,
				mimetype, status: 0, timecreated: NOW, timemodified: NOW, source: filename === '.' ? null : filename, author: 'Admin User',
				license: 'allrightsreserved', sortorder: 0, repositorytype: null, repositoryid: null, reference: null,
			});
			writer.endTag('file');
		};
		for (const file of files) {
			if (!directoryRow.has(file.contextId)) {
				directoryRow.add(file.contextId);
				record(id++, file.contextId, 'da39a3ee5e6b4b0d3255bfef95601890afd80709', '.', 0, null);
			}
			record(file.id, file.contextId, file.blob.sha1, file.filename, file.blob.size, file.filename.endsWith('.pdf') ? 'application/pdf' : 'application/octet-stream');
			if (file.id % 500 === 0) await writer.flush();
		}
		writer.endTag('files');
	});
}

async function writeRolesXml(xml: XmlDocuments): Promise<void> {
	await xml.write('roles.xml', (writer) => {
		writer.startTag('roles_definition');
		writer.startTag('role', {id: 5});
		leaves(writer, {name: '', shortname: 'student', nameincourse: null, description: '', sortorder: 5, archetype: 'student'});
		writer.endTag('role');
		writer.endTag('roles_definition');
	});
}

const ROOT_SETTINGS: Array<[string, string]> = [
	['filename', 'backup-moodle2-course-2-synth-20261123-1200.mbz'], ['imscc11', '0'], ['users', '1'], ['anonymize', '0'], ['role_assignments', '1'],
	['activities', '1'], ['blocks', '1'], ['files', '1'], ['filters', '1'], ['comments', '1'], ['badges', '1'], ['calendarevents', '1'],
	['userscompletion', '1'], ['logs', '0'], ['grade_histories', '0'], ['questionbank', '1'], ['groups', '1'], ['competencies', '1'],
	['customfield', '1'], ['contentbankcontent', '1'], ['legacyfiles', '1'],
];

async function writeManifest(xml: XmlDocuments, sections: Array<{id: number; number: number; sequence: number[]}>, activities: Activity[]): Promise<void> {
	await xml.write('moodle_backup.xml', async (writer) => {
		writer.startTag('moodle_backup');
		writer.startTag('information');
		leaves(writer, {
			name: ROOT_SETTINGS[0]![1], moodle_version: '2022112810', moodle_release: '4.1.10 (Build: 20240422)', backup_version: '2022112800',
			backup_release: '4.1', backup_date: NOW, mnet_remoteusers: 0, include_files: 1, include_file_references_to_external_content: 0,
			original_wwwroot: 'https://synthetic.example.org', original_site_identifier_hash: SITE_HASH, original_course_id: COURSE_ID,
			original_course_format: 'topics', original_course_fullname: 'Synthetic benchmark course', original_course_shortname: 'SYNTH',
			original_course_startdate: NOW, original_course_enddate: 0, original_course_contextid: COURSE_CONTEXT, original_system_contextid: 1,
		});
		writer.startTag('details');
		writer.startTag('detail', {backup_id: '5f1e6d0c2b3a49587766554433221100'});
		leaves(writer, {type: 'course', format: 'moodle2', interactive: 1, mode: 10, execution: 1, executiontime: 0});
		writer.endTag('detail');
		writer.endTag('details');
		writer.startTag('contents');
		// Plan order: sections by number, each followed by its activities in sequence order.
		const bySection = new Map(sections.map((section) => [section.id, section]));
		const ordered = [...activities].sort((a, b) => a.sectionNumber - b.sectionNumber || bySection.get(a.sectionId)!.sequence.indexOf(a.cmid) - bySection.get(b.sectionId)!.sequence.indexOf(b.cmid));
		writer.startTag('activities');
		for (const activity of ordered) {
			writer.startTag('activity');
			leaves(writer, {moduleid: activity.cmid, sectionid: activity.sectionId, modulename: activity.modname, title: activity.title, directory: `activities/${activity.modname}_${activity.cmid}`});
			writer.endTag('activity');
		}
		writer.endTag('activities');
		writer.startTag('sections');
		for (const section of sections) {
			writer.startTag('section');
			leaves(writer, {sectionid: section.id, title: section.number === 0 ? '0' : `Topic ${section.number}`, directory: `sections/section_${section.id}`});
			writer.endTag('section');
		}
		writer.endTag('sections');
		writer.startTag('course');
		leaves(writer, {courseid: COURSE_ID, title: 'SYNTH', directory: 'course'});
		writer.endTag('course');
		writer.endTag('contents');
		writer.startTag('settings');
		for (const [name, value] of ROOT_SETTINGS) {
			writer.startTag('setting');
			leaves(writer, {level: 'root', name, value});
			writer.endTag('setting');
		}
		for (const section of sections) {
			for (const suffix of ['included', 'userinfo']) {
				writer.startTag('setting');
				leaves(writer, {level: 'section', section: `section_${section.id}`, name: `section_${section.id}_${suffix}`, value: 1});
				writer.endTag('setting');
			}
			for (const activity of ordered.filter((candidate) => candidate.sectionId === section.id)) {
				const key = `${activity.modname}_${activity.cmid}`;
				for (const suffix of ['included', 'userinfo']) {
					writer.startTag('setting');
					leaves(writer, {level: 'activity', activity: key, name: `${key}_${suffix}`, value: 1});
					writer.endTag('setting');
				}
			}
			await writer.flush();
		}
		writer.endTag('settings');
		writer.endTag('information');
		writer.endTag('moodle_backup');
	});
}
