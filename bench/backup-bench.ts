/**
 * Backup benchmark: a large synthetic course (10,000 users, 100,000 forum posts, 500 MB of files) seeded straight
 * into a fresh SQLite site with insertMany and pool blobs, then backed up with runBackup. Beside it, in the same
 * run, the floor: reading the same rows from the database plus gzip of the same file bytes. Reports wall time and
 * peak RSS of each.
 *
 *   npx tsx bench/backup-bench.ts [--users N] [--posts N] [--megabytes N] [--rounds N] [--keep]
 */
import {randomBytes} from 'node:crypto';
import {createReadStream, createWriteStream} from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import {createGzip} from 'node:zlib';
import {parseArgs} from 'node:util';
import {planBackup} from '../source/engine/backup/plan-backup.js';
import {runBackup} from '../source/engine/backup/run-backup.js';
import {CONTEXT_LEVEL, createContext, createContexts} from '../source/engine/store/contexts.js';
import type {Db, Row} from '../source/engine/store/db.js';
import {completeRow} from '../source/engine/store/schema/rows.js';
import {compiledSelf, phaseCommand} from './compiled-self.js';
import {peakRssMb} from './peak-rss.js';
import {insertChunked} from './insert-chunked.js';
import {initSite, type Site} from '../source/engine/store/site.js';

export type BackupBenchOptions = {users: number; posts: number; megabytes: number; keep?: boolean; rounds?: number};
export type Measure = {seconds: number; peakRssMb: number};
export type BackupBenchReport = {
	users: number; posts: number; fileBytes: number; archiveBytes: number;
	backup: Measure; floor: Measure & {readRowsSeconds: number; gzipSeconds: number}; ratio: number;
};

const NOW = 1_790_000_000;
const FILE_SIZE = 1024 * 1024;

/** A distinct 1 MB body per file: base64 text of random bytes, about as compressible as real course documents. */
function fileContent(): Buffer {
	return Buffer.from(randomBytes((FILE_SIZE / 4) * 3).toString('base64'));
}

async function seed(site: Site, options: BackupBenchOptions): Promise<{courseId: number; forumCmid: number; fileBytes: number}> {
	const {db, pool} = site;
	const courseId = await db.insert('course', completeRow('course', {category: 1, fullname: 'Bench course', shortname: 'BENCH', format: 'topics', startdate: NOW, visible: 1, timecreated: NOW, timemodified: NOW}));
	const courseContextId = await createContext(db, CONTEXT_LEVEL.COURSE, courseId, 1);
	const sectionIds = await db.insertMany('course_sections', [0, 1].map(section => completeRow('course_sections', {course: courseId, section, name: section ? 'Forum' : null, summary: '', sequence: '', visible: 1, timemodified: NOW})));

	const userIds = await insertChunked(db, 'user', (function * () {
		for (let index = 0; index < options.users; index++) {
			yield completeRow('user', {
				auth: 'manual', confirmed: 1, mnethostid: 1, username: `benchuser${index}`, firstname: `Prénom${index}`, lastname: `Nom${index}`,
				email: `benchuser${index}@example.org`, idnumber: `B${index}`, city: 'Lyon', country: 'FR', lang: 'fr', timecreated: NOW, timemodified: NOW,
			});
		}
	})());
	for (let start = 0; start < userIds.length; start += 5000) await createContexts(db, CONTEXT_LEVEL.USER, userIds.slice(start, start + 5000), 1);
	const enrolId = await db.insert('enrol', completeRow('enrol', {enrol: 'manual', status: 0, courseid: courseId, sortorder: 0, roleid: 5, timecreated: NOW, timemodified: NOW}));
	await insertChunked(db, 'user_enrolments', userIds.map(userid => completeRow('user_enrolments', {status: 0, enrolid: enrolId, userid, timestart: NOW, modifierid: 2, timecreated: NOW, timemodified: NOW})));
	await insertChunked(db, 'role_assignments', userIds.map(userid => completeRow('role_assignments', {roleid: 5, contextid: courseContextId, userid, timemodified: NOW, modifierid: 2})));

	const forumModule = await db.get<{id: number}>('SELECT id FROM {modules} WHERE name = ?', ['forum']);
	const forumId = await db.insert('forum', completeRow('forum', {course: courseId, type: 'general', name: 'Big forum', intro: 'Talk', introformat: 1, timemodified: NOW}));
	const forumCmid = await db.insert('course_modules', completeRow('course_modules', {course: courseId, module: Number(forumModule!.id), instance: forumId, section: sectionIds[1]!, added: NOW, visible: 1, visibleoncoursepage: 1, visibleold: 1}));
	const forumContextId = await createContext(db, CONTEXT_LEVEL.MODULE, forumCmid, courseContextId);
	await db.run('UPDATE {course_sections} SET sequence = ? WHERE id = ?', [String(forumCmid), sectionIds[1]!]);

	const discussions = Math.max(1, Math.floor(options.posts / 100));
	const discussionIds = await insertChunked(db, 'forum_discussions', (function * () {
		for (let index = 0; index < discussions; index++) {
			const userid = userIds[index % userIds.length]!;
			yield completeRow('forum_discussions', {course: courseId, forum: forumId, name: `Discussion ${index}`, firstpost: 0, userid, groupid: -1, timemodified: NOW, usermodified: userid});
		}
	})());
	const postIds = await insertChunked(db, 'forum_posts', (function * () {
		for (let index = 0; index < options.posts; index++) {
			yield completeRow('forum_posts', {
				discussion: discussionIds[index % discussions]!, parent: 0, userid: userIds[(index * 7) % userIds.length]!, created: NOW + index, modified: NOW + index,
				subject: `Re: sujet ${index}`, message: `<p>Message ${index}: une réponse assez longue pour ressembler à un vrai message de forum, avec du texte.</p>`, messageformat: 1,
			});
		}
	})());

	// Files: attachments of the first posts, one distinct 1 MB body each.
	const fileCount = Math.ceil((options.megabytes * 1024 * 1024) / FILE_SIZE);
	const fileRows: Row[] = [];
	for (let index = 0; index < fileCount; index++) {
		const staged = await pool.stageBuffer(fileContent());
		const itemid = postIds[index % postIds.length]!;
		fileRows.push(completeRow('files', {
			contenthash: staged.sha1, pathnamehash: `${index}`.padStart(40, '0'), contextid: forumContextId, component: 'mod_forum', filearea: 'attachment',
			itemid, filepath: '/', filename: `document-${index}.txt`, userid: userIds[0]!, filesize: staged.size, mimetype: 'text/plain', status: 0,
			timecreated: NOW, timemodified: NOW, sortorder: 0,
		}));
		if (fileRows.length === 100) await pool.promoteStaged();
	}
	await pool.promoteStaged();
	await insertChunked(db, 'files', fileRows);
	return {courseId, forumCmid, fileBytes: fileCount * FILE_SIZE};
}

/** The floor: the same rows read from the database, then gzip of the same file bytes. */
async function floor(site: Site, courseId: number, scratch: string): Promise<{readRowsSeconds: number; gzipSeconds: number}> {
	const startedRead = process.hrtime.bigint();
	let rows = 0;
	const queries: Array<[string, unknown[]]> = [
		['SELECT * FROM {user} WHERE id IN (SELECT userid FROM {user_enrolments})', []],
		['SELECT * FROM {user_enrolments}', []],
		['SELECT * FROM {role_assignments}', []],
		['SELECT * FROM {forum_discussions} WHERE course = ?', [courseId]],
		['SELECT p.* FROM {forum_posts} p JOIN {forum_discussions} d ON d.id = p.discussion WHERE d.course = ?', [courseId]],
		['SELECT * FROM {files}', []],
	];
	for (const [sql, params] of queries) for await (const row of site.db.each(sql, params as never)) rows += row ? 1 : 0;
	const readRowsSeconds = Number(process.hrtime.bigint() - startedRead) / 1e9;
	const startedGzip = process.hrtime.bigint();
	const hashes = await site.db.all<{contenthash: string}>("SELECT DISTINCT contenthash FROM {files} WHERE filename <> '.'");
	const out = createWriteStream(path.join(scratch, 'floor.gz'));
	const gzip = createGzip();
	const done = pipeline(gzip, out);
	for (const {contenthash} of hashes) {
		for await (const chunk of createReadStream(site.pool.blobPath(contenthash))) {
			if (!gzip.write(chunk)) await new Promise(resolve => gzip.once('drain', resolve));
		}
	}
	gzip.end();
	await done;
	await fs.rm(path.join(scratch, 'floor.gz'), {force: true});
	return {readRowsSeconds, gzipSeconds: Number(process.hrtime.bigint() - startedGzip) / 1e9};
}

type PhaseResult = {seconds: number; peakRssMb: number; bytes?: number; readRowsSeconds?: number; gzipSeconds?: number};

/** Runs one phase in a fresh Node process, so its peak RSS is its own (not the seeding's). */
async function runPhase(phase: 'backup' | 'floor', siteDir: string, courseId: number, scratch: string, self: string): Promise<PhaseResult> {
	const {execFile} = await import('node:child_process');
	const output = await new Promise<string>((resolve, reject) => {
		const command = phaseCommand(self);
		execFile(process.execPath, [...command.args, '--phase', phase, '--site', siteDir, '--course', String(courseId), '--scratch', scratch], {maxBuffer: 1024 * 1024, env: command.env}, (error, stdout, stderr) => {
			if (error) reject(new Error(`${phase} phase failed: ${stderr || error.message}`));
			else resolve(stdout);
		});
	});
	return JSON.parse(output.trim().split('\n').pop()!) as PhaseResult;
}

/** Inside a phase process: do the work, then print seconds and the process's peak RSS as JSON. */
async function phaseMain(phase: string, siteDir: string, courseId: number, scratch: string): Promise<void> {
	const {openSite} = await import('../source/engine/store/site.js');
	const site = await openSite(siteDir);
	const started = process.hrtime.bigint();
	let extra: Partial<PhaseResult> = {};
	if (phase === 'backup') {
		const {plan} = await planBackup(site.db, 'course', courseId);
		const result = await runBackup(site, {type: 'course', id: courseId, settings: plan, destination: {dir: path.join(scratch, 'out')}});
		extra = {bytes: result.bytes};
	} else {
		extra = await floor(site, courseId, scratch);
	}
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	await site.close();
	process.stdout.write(`${JSON.stringify({seconds, peakRssMb: peakRssMb(), ...extra})}\n`);
}

export async function runBackupBench(options: BackupBenchOptions): Promise<BackupBenchReport> {
	const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'mbz-backup-bench-'));
	const siteDir = path.join(scratch, 'site');
	try {
		const site = await initSite(siteDir);
		const seeded = await seed(site, options);
		await site.close();
		const self = await compiledSelf(import.meta.url);
		// The machine is shared: alternate the two phases over a few rounds and keep each one's fastest run (and
		// its highest peak RSS), so a burst of other work during one phase does not decide the ratio.
		let floorRun: PhaseResult | undefined;
		let backupRun: PhaseResult | undefined;
		for (let round = 0; round < (options.rounds ?? 2); round++) {
			for (const phase of round % 2 === 0 ? ['floor', 'backup'] as const : ['backup', 'floor'] as const) {
				const result = await runPhase(phase, siteDir, seeded.courseId, scratch, self);
				await fs.rm(path.join(scratch, 'out'), {recursive: true, force: true});
				const previous = phase === 'floor' ? floorRun : backupRun;
				const best = !previous || result.seconds < previous.seconds ? result : previous;
				const merged = {...best, peakRssMb: Math.max(result.peakRssMb, previous?.peakRssMb ?? 0)};
				if (phase === 'floor') floorRun = merged;
				else backupRun = merged;
			}
		}
		if (!floorRun || !backupRun) throw new Error('no rounds were run');
		const floorSeconds = (floorRun.readRowsSeconds ?? 0) + (floorRun.gzipSeconds ?? 0);
		return {
			users: options.users, posts: options.posts, fileBytes: seeded.fileBytes, archiveBytes: backupRun.bytes ?? 0,
			backup: {seconds: backupRun.seconds, peakRssMb: backupRun.peakRssMb},
			floor: {seconds: floorSeconds, peakRssMb: floorRun.peakRssMb, readRowsSeconds: floorRun.readRowsSeconds ?? 0, gzipSeconds: floorRun.gzipSeconds ?? 0},
			ratio: backupRun.seconds / floorSeconds,
		};
	} finally {
		if (!options.keep) await fs.rm(scratch, {recursive: true, force: true});
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const {values} = parseArgs({options: {
		users: {type: 'string'}, posts: {type: 'string'}, megabytes: {type: 'string'}, rounds: {type: 'string'}, keep: {type: 'boolean'},
		phase: {type: 'string'}, site: {type: 'string'}, course: {type: 'string'}, scratch: {type: 'string'},
	}});
	if (values.phase) {
		await phaseMain(values.phase, values.site!, Number(values.course), values.scratch!);
	} else {
		const options: BackupBenchOptions = {
			users: Number(values.users ?? 10_000), posts: Number(values.posts ?? 100_000), megabytes: Number(values.megabytes ?? 500), rounds: Number(values.rounds ?? 2), keep: values.keep ?? false,
		};
		const report = await runBackupBench(options);
		const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
		process.stdout.write([
			`backup of a course with ${report.users} users, ${report.posts} posts, ${mb(report.fileBytes)} of files -> ${mb(report.archiveBytes)} archive`,
			`  backup  ${report.backup.seconds.toFixed(1)} s (fastest of ${options.rounds} runs), peak RSS ${report.backup.peakRssMb} MB`,
			`  floor   ${report.floor.seconds.toFixed(1)} s (rows ${report.floor.readRowsSeconds.toFixed(1)} s + gzip ${report.floor.gzipSeconds.toFixed(1)} s), peak RSS ${report.floor.peakRssMb} MB`,
			`  ratio   ${report.ratio.toFixed(2)}x the floor (target <= 1.5x), RSS target <= 150 MB`,
			'',
		].join('\n'));
	}
}
