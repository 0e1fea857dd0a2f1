/**
 * Restore benchmark: a large backup (≥ 10,000 users, ≥ 200 activities, ≥ 100,000 forum posts, ≥ 500 MB of files)
 * restored as a new course into a fresh SQLite site. Beside it, in the same run, the floor: gunzip of the same
 * archive plus a bulk insertMany of as many rows as the restore wrote. Each phase runs in its own process so its
 * peak RSS is its own, as plain JavaScript like the shipped command (bench/compiled-self.ts).
 *
 * The backup comes from bench/synthetic-backup.ts (generateSyntheticBackup) when that exists; otherwise a source
 * site is seeded with insertMany and backed up with this tool's own runBackup.
 *
 *   npx tsx bench/restore-bench.ts [--users N] [--posts N] [--pages N] [--megabytes N] [--keep]
 */
import {randomBytes} from 'node:crypto';
import {createReadStream, existsSync} from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {Writable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {createGunzip} from 'node:zlib';
import {CONTEXT_LEVEL, createContext, createContexts} from '../source/engine/store/contexts.js';
import type {Db, Row} from '../source/engine/store/db.js';
import {completeRow} from '../source/engine/store/schema/rows.js';
import {compiledSelf, phaseCommand} from './compiled-self.js';
import {peakRssMb, statusMb} from './peak-rss.js';
import {insertChunked} from './insert-chunked.js';
import {initSite, openSite, type Site} from '../source/engine/store/site.js';

export type RestoreBenchOptions = {users: number; posts: number; pages: number; megabytes: number; keep?: boolean};
export type Measure = {seconds: number; peakRssMb: number};
export type RestoreBenchReport = {
	users: number; posts: number; activities: number; archiveBytes: number; rowsWritten: number;
	restore: Measure; floor: Measure & {gunzipSeconds: number; insertSeconds: number}; ratio: number;
	/** GNU tar extracting the same archive to disk: the writes of the file bodies and XML that any restore does and the floor leaves out. */
	tarExtractSeconds?: number;
	/** The same restore with the site and its temporary files in memory (tmpfs): what is left when the disk costs nothing. */
	restoreInMemory?: Measure;
};

const NOW = 1_790_000_000;
const FILE_SIZE = 1024 * 1024;

/** A course on a source site: users enrolled manually, one big forum with attachments, many pages. */
async function seedSource(site: Site, options: RestoreBenchOptions): Promise<number> {
	const {db, pool} = site;
	const courseId = await db.insert('course', completeRow('course', {category: 1, fullname: 'Restore bench', shortname: 'RBENCH', format: 'topics', startdate: NOW, visible: 1, timecreated: NOW, timemodified: NOW}));
	const courseContextId = await createContext(db, CONTEXT_LEVEL.COURSE, courseId, 1);
	const sectionIds = await db.insertMany('course_sections', [0, 1, 2].map((section) => completeRow('course_sections', {course: courseId, section, summary: '', sequence: '', visible: 1, timemodified: NOW})));
	const userIds = await insertChunked(db, 'user', (function* () {
		for (let index = 0; index < options.users; index++) {
			yield completeRow('user', {
				auth: 'manual', confirmed: 1, mnethostid: 1, username: `rbench${index}`, firstname: `Prénom${index}`, lastname: `Nom${index}`,
				email: `rbench${index}@example.org`, city: 'Lyon', country: 'FR', lang: 'fr', timecreated: NOW, timemodified: NOW,
			});
		}
	})());
	for (let start = 0; start < userIds.length; start += 5000) await createContexts(db, CONTEXT_LEVEL.USER, userIds.slice(start, start + 5000), 1);
	const enrolId = await db.insert('enrol', completeRow('enrol', {enrol: 'manual', status: 0, courseid: courseId, sortorder: 0, roleid: 5, timecreated: NOW, timemodified: NOW}));
	await insertChunked(db, 'user_enrolments', userIds.map((userid) => completeRow('user_enrolments', {status: 0, enrolid: enrolId, userid, timestart: NOW, modifierid: 2, timecreated: NOW, timemodified: NOW})));
	await insertChunked(db, 'role_assignments', userIds.map((userid) => completeRow('role_assignments', {roleid: 5, contextid: courseContextId, userid, timemodified: NOW, modifierid: 2})));

	const moduleId = async (name: string) => Number((await db.get<{id: number}>('SELECT id FROM {modules} WHERE name = ?', [name]))!.id);
	const forumId = await db.insert('forum', completeRow('forum', {course: courseId, type: 'general', name: 'Big forum', intro: 'Talk', introformat: 1, timemodified: NOW}));
	const forumCmid = await db.insert('course_modules', completeRow('course_modules', {course: courseId, module: await moduleId('forum'), instance: forumId, section: sectionIds[1]!, added: NOW, visible: 1, visibleoncoursepage: 1, visibleold: 1}));
	const forumContextId = await createContext(db, CONTEXT_LEVEL.MODULE, forumCmid, courseContextId);
	await db.run('UPDATE {course_sections} SET sequence = ? WHERE id = ?', [String(forumCmid), sectionIds[1]!]);
	const discussions = Math.max(1, Math.floor(options.posts / 100));
	const discussionIds = await insertChunked(db, 'forum_discussions', (function* () {
		for (let index = 0; index < discussions; index++) {
			const userid = userIds[index % userIds.length]!;
			yield completeRow('forum_discussions', {course: courseId, forum: forumId, name: `Discussion ${index}`, firstpost: 0, userid, groupid: -1, timemodified: NOW, usermodified: userid});
		}
	})());
	const postIds = await insertChunked(db, 'forum_posts', (function* () {
		for (let index = 0; index < options.posts; index++) {
			yield completeRow('forum_posts', {
				discussion: discussionIds[index % discussions]!, parent: 0, userid: userIds[(index * 7) % userIds.length]!, created: NOW + index, modified: NOW + index,
				subject: `Re: sujet ${index}`, message: `<p>Message ${index}: une réponse assez longue pour ressembler à un vrai message de forum.</p>`, messageformat: 1,
			});
		}
	})());
	const pageModule = await moduleId('page');
	const pageCmids: number[] = [];
	for (let index = 0; index < options.pages; index++) {
		const pageId = await db.insert('page', completeRow('page', {course: courseId, name: `Page ${index}`, intro: '', introformat: 1, content: `<p>Contenu ${index}</p>`, contentformat: 1, timemodified: NOW}));
		const cmid = await db.insert('course_modules', completeRow('course_modules', {course: courseId, module: pageModule, instance: pageId, section: sectionIds[2]!, added: NOW, visible: 1, visibleoncoursepage: 1, visibleold: 1}));
		pageCmids.push(cmid);
	}
	await createContexts(db, CONTEXT_LEVEL.MODULE, pageCmids, courseContextId);
	await db.run('UPDATE {course_sections} SET sequence = ? WHERE id = ?', [pageCmids.join(','), sectionIds[2]!]);
	const fileCount = Math.ceil((options.megabytes * 1024 * 1024) / FILE_SIZE);
	const fileRows: Row[] = [];
	for (let index = 0; index < fileCount; index++) {
		const staged = await pool.stageBuffer(Buffer.from(randomBytes((FILE_SIZE / 4) * 3).toString('base64')));
		fileRows.push(completeRow('files', {
			contenthash: staged.sha1, pathnamehash: `${index}`.padStart(40, '0'), contextid: forumContextId, component: 'mod_forum', filearea: 'attachment',
			itemid: postIds[index % postIds.length]!, filepath: '/', filename: `document-${index}.txt`, userid: userIds[0]!, filesize: staged.size,
			mimetype: 'text/plain', status: 0, timecreated: NOW, timemodified: NOW, sortorder: 0,
		}));
		if (fileRows.length % 100 === 0) await pool.promoteStaged();
	}
	await pool.promoteStaged();
	await insertChunked(db, 'files', fileRows);
	return courseId;
}

/** The large backup: the reader's generator when present, else a seeded source site backed up with runBackup. */
async function makeBackup(scratch: string, options: RestoreBenchOptions): Promise<string> {
	const generator = path.join(path.dirname(fileURLToPath(import.meta.url)), 'synthetic-backup.ts');
	if (existsSync(generator)) {
		const {generateSyntheticBackup} = await import('./synthetic-backup.js');
		const largeFileMB = 5;
		const made = await generateSyntheticBackup({
			dir: scratch, users: options.users, forums: 1, postsPerForum: options.posts, pages: options.pages,
			largeFiles: Math.min(options.pages, Math.ceil(options.megabytes / largeFileMB)), largeFileMB,
		});
		return made.file;
	}
	const {planBackup} = await import('../source/engine/backup/plan-backup.js');
	const {runBackup} = await import('../source/engine/backup/run-backup.js');
	const source = await initSite(path.join(scratch, 'source'));
	try {
		const courseId = await seedSource(source, options);
		const {plan} = await planBackup(source.db, 'course', courseId);
		const result = await runBackup(source, {type: 'course', id: courseId, settings: plan, destination: {dir: scratch}});
		return result.path!;
	} finally {
		await source.close();
		await fs.rm(path.join(scratch, 'source'), {recursive: true, force: true});
	}
}

async function totalRows(db: Db): Promise<number> {
	let total = 0;
	for (const table of await db.tableNames()) total += Number((await db.get<{n: number}>(`SELECT COUNT(*) AS n FROM {${table}}`))!.n);
	return total;
}

type PhaseResult = {seconds: number; peakRssMb: number; rows?: number; gunzipSeconds?: number; insertSeconds?: number; warnings?: number};

async function runPhase(self: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<PhaseResult> {
	const {execFile} = await import('node:child_process');
	const output = await new Promise<string>((resolve, reject) => {
		const command = phaseCommand(self);
		execFile(process.execPath, [...command.args, ...args], {maxBuffer: 16 * 1024 * 1024, env: {...command.env, ...env}}, (error, stdout, stderr) => {
			if (error) reject(new Error(`${args[1]} phase failed: ${stderr || error.message}`));
			else {
				process.stderr.write(stderr); // the phase's MBZ_BENCH_STAGES / MBZ_BENCH_PEAKS tracing
				resolve(stdout);
			}
		});
	});
	return JSON.parse(output.trim().split('\n').pop()!) as PhaseResult;
}

/**
 * Tracing of a restore phase on stderr: MBZ_BENCH_STAGES=1 prints each stage's time and memory and what the resident
 * memory is made of at the end; MBZ_BENCH_PEAKS=1 prints each new peak of RSS with the stage it happened in.
 */
function restoreTrace(started: bigint): {onProgress?: (stage: string, item?: string) => void; opened(): void; executed(): void; closed(): void} {
	const stages = Boolean(process.env.MBZ_BENCH_STAGES);
	const seconds = (from: bigint, to = process.hrtime.bigint()): string => (Number(to - from) / 1e9).toFixed(2);
	const mb = (bytes: number): number => Math.round(bytes / 1048576);
	let stage = 'open';
	let item = '';
	let stageStarted = started;
	let executedAt = started;
	let peak = 0;
	const sampler = process.env.MBZ_BENCH_PEAKS ? setInterval(() => {
		const maxRss = peakRssMb() * 1048576;
		if (maxRss <= peak + 4 * 1048576) return;
		const memory = process.memoryUsage();
		process.stderr.write(`  peak ${mb(maxRss)} MB (anon ${statusMb('RssAnon')} MB, file ${statusMb('RssFile')} MB; heap ${mb(memory.heapUsed)} of ${mb(memory.heapTotal)} MB, external ${mb(memory.external)} MB) in ${stage} ${item}\n`);
		peak = maxRss;
	}, 20) : undefined;
	const onProgress = (name: string, current = ''): void => {
		item = current;
		if (name === stage) return;
		const now = process.hrtime.bigint();
		const memory = process.memoryUsage();
		if (stages) {
			process.stderr.write(`${stage}: ${seconds(stageStarted, now)} s, rss ${mb(memory.rss)} MB (anon ${statusMb('RssAnon')} MB), heap ${mb(memory.heapUsed)} of ${mb(memory.heapTotal)} MB, external ${mb(memory.external)} MB, peak ${peakRssMb()} MB\n`);
		}
		stage = name;
		stageStarted = now;
	};
	return {
		...(stages ? {onProgress} : {}),
		opened: () => onProgress('setting up'),
		executed() {
			clearInterval(sampler);
			onProgress('(commit and promote files)');
			executedAt = process.hrtime.bigint();
		},
		closed() {
			if (!stages) return;
			// What the resident memory is made of: the program's own (anonymous) pages, and mapped files (node's code).
			process.stderr.write(`${['VmHWM', 'RssAnon', 'RssFile', 'RssShmem'].map((field) => `${field} ${statusMb(field)} MB`).join(', ')}\n`);
			process.stderr.write(`execute ended ${seconds(started, executedAt)} s after open began; close ${seconds(executedAt)} s\n`);
		},
	};
}

/** Inside a phase process: the work, then seconds and this process's peak RSS as JSON on the last line. */
async function phaseMain(phase: string, archive: string, siteDir: string, rows: number): Promise<void> {
	const site = await openSite(siteDir);
	let extra: Partial<PhaseResult> = {};
	const started = process.hrtime.bigint();
	if (phase === 'restore') {
		const before = await totalRows(site.db);
		const started = process.hrtime.bigint();
		const {openRestore} = await import('../source/engine/restore/restore-plan.js');
		const trace = restoreTrace(started);
		const plan = await openRestore(site, archive);
		trace.opened();
		await plan.setDestination({target: 'new', categoryId: 1});
		const result = await plan.execute({onProgress: trace.onProgress});
		trace.executed();
		await plan.close();
		trace.closed();
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		extra = {rows: (await totalRows(site.db)) - before, warnings: result.warnings.length};
		await site.close();
		process.stdout.write(`${JSON.stringify({seconds, peakRssMb: peakRssMb(), ...extra})}\n`);
		return;
	}
	// Floor: gunzip the archive to nowhere, then insert as many rows in one transaction with insertMany.
	await pipeline(createReadStream(archive, {highWaterMark: 1 << 20}), createGunzip({chunkSize: 1 << 20}), new Writable({write(_chunk, _encoding, callback) { callback(); }}));
	const gunzipSeconds = Number(process.hrtime.bigint() - started) / 1e9;
	const insertStarted = process.hrtime.bigint();
	await site.db.transaction(async (tx) => {
		for (let start = 0; start < rows; start += 5000) {
			const batch: Row[] = [];
			for (let index = start; index < Math.min(rows, start + 5000); index++) {
				batch.push(completeRow('forum_posts', {discussion: 1, parent: 0, userid: 2, created: NOW, modified: NOW, subject: `Re: ${index}`, message: `<p>Message ${index}: une réponse assez longue pour ressembler à un vrai message de forum.</p>`, messageformat: 1}));
			}
			await tx.insertMany('forum_posts', batch);
		}
	});
	const insertSeconds = Number(process.hrtime.bigint() - insertStarted) / 1e9;
	await site.close();
	process.stdout.write(`${JSON.stringify({seconds: gunzipSeconds + insertSeconds, peakRssMb: peakRssMb(), gunzipSeconds, insertSeconds})}\n`);
}

/** Seconds `tar -xzf` takes to extract the archive into `dir` (removed after); undefined without a tar. */
async function timeTarExtract(archive: string, dir: string): Promise<number | undefined> {
	const {execFile} = await import('node:child_process');
	await fs.mkdir(dir, {recursive: true});
	const started = process.hrtime.bigint();
	try {
		await new Promise<void>((resolve, reject) => execFile('tar', ['-xzf', archive, '-C', dir], (error) => (error ? reject(error) : resolve())));
		return Number(process.hrtime.bigint() - started) / 1e9;
	} catch {
		return undefined;
	} finally {
		await fs.rm(dir, {recursive: true, force: true});
	}
}

/**
 * A new directory in memory (Linux's /dev/shm tmpfs) with room for `bytes`, or undefined where there is none.
 * A restore there shows how much of its time is the disk's: creating thousands of files costs from tens of
 * microseconds to over a millisecond each depending on the filesystem and its state at the moment.
 */
async function memoryScratch(bytes: number): Promise<string | undefined> {
	const shm = '/dev/shm';
	try {
		const space = await fs.statfs(shm);
		if (space.bavail * space.bsize < bytes) return undefined;
		return await fs.mkdtemp(path.join(shm, 'mbz-restore-bench-'));
	} catch {
		return undefined;
	}
}

/** The restore phase once more, with the site and the temporary directory in memory; undefined without a tmpfs. */
async function restoreInMemory(self: string, archive: string, archiveBytes: number): Promise<Measure | undefined> {
	// The pool, the extracted XML and the database each take up to about the archive's size.
	const dir = await memoryScratch(3 * archiveBytes);
	if (!dir) return undefined;
	try {
		await (await initSite(path.join(dir, 'target'))).close();
		const run = await runPhase(self, ['--phase', 'restore', '--archive', archive, '--site', path.join(dir, 'target')], {TMPDIR: dir});
		return {seconds: run.seconds, peakRssMb: run.peakRssMb};
	} finally {
		await fs.rm(dir, {recursive: true, force: true});
	}
}

export async function runRestoreBench(options: RestoreBenchOptions): Promise<RestoreBenchReport> {
	const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'mbz-restore-bench-'));
	try {
		const archive = await makeBackup(scratch, options);
		const archiveBytes = (await fs.stat(archive)).size;
		for (const name of ['target', 'floor']) await (await initSite(path.join(scratch, name))).close();
		const self = await compiledSelf(import.meta.url);
		const restore = await runPhase(self, ['--phase', 'restore', '--archive', archive, '--site', path.join(scratch, 'target')]);
		const floor = await runPhase(self, ['--phase', 'floor', '--archive', archive, '--site', path.join(scratch, 'floor'), '--rows', String(restore.rows ?? 0)]);
		const tarExtractSeconds = await timeTarExtract(archive, path.join(scratch, 'extracted'));
		const inMemory = await restoreInMemory(self, archive, archiveBytes);
		return {
			users: options.users, posts: options.posts, activities: options.pages + 1, archiveBytes, rowsWritten: restore.rows ?? 0,
			restore: {seconds: restore.seconds, peakRssMb: restore.peakRssMb},
			floor: {seconds: floor.seconds, peakRssMb: floor.peakRssMb, gunzipSeconds: floor.gunzipSeconds ?? 0, insertSeconds: floor.insertSeconds ?? 0},
			ratio: restore.seconds / floor.seconds,
			...(tarExtractSeconds === undefined ? {} : {tarExtractSeconds}),
			...(inMemory === undefined ? {} : {restoreInMemory: inMemory}),
		};
	} finally {
		if (!options.keep) await fs.rm(scratch, {recursive: true, force: true});
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const {values} = parseArgs({options: {
		users: {type: 'string'}, posts: {type: 'string'}, pages: {type: 'string'}, megabytes: {type: 'string'}, keep: {type: 'boolean'},
		phase: {type: 'string'}, archive: {type: 'string'}, site: {type: 'string'}, rows: {type: 'string'},
	}});
	if (values.phase) {
		await phaseMain(values.phase, values.archive!, values.site!, Number(values.rows ?? 0));
	} else {
		const report = await runRestoreBench({
			users: Number(values.users ?? 10_000), posts: Number(values.posts ?? 100_000), pages: Number(values.pages ?? 199),
			megabytes: Number(values.megabytes ?? 500), keep: values.keep ?? false,
		});
		process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
		process.stdout.write(`restore ${report.restore.seconds.toFixed(1)} s, peak RSS ${report.restore.peakRssMb} MB; floor ${report.floor.seconds.toFixed(1)} s `
			+ `(gunzip ${report.floor.gunzipSeconds.toFixed(1)} s + insert ${report.floor.insertSeconds.toFixed(1)} s of ${report.rowsWritten} rows); ratio ${report.ratio.toFixed(2)}`
			+ `${report.tarExtractSeconds === undefined ? '' : `; tar -xzf of the same archive ${report.tarExtractSeconds.toFixed(1)} s`}`
			+ `${report.restoreInMemory === undefined ? '' : `; the restore with the site and its temporary files in memory ${report.restoreInMemory.seconds.toFixed(1)} s (ratio ${(report.restoreInMemory.seconds / report.floor.seconds).toFixed(2)}), peak RSS ${report.restoreInMemory.peakRssMb} MB`}\n`);
	}
}
