/**
 * The restore benchmark on both site adapters, side by side in one run: the same synthetic Moodle backup
 * restored as a new course into a fresh SQLite site and into a fresh PostgreSQL schema. Each restore runs in
 * its own process, as the shipped command runs (bench/compiled-self.ts), so wall time and peak RSS are its own
 * (PostgreSQL's server processes are not in the RSS).
 *
 *   npx tsx bench/adapters-bench.ts [--users N] [--activities N] [--posts N] [--megabytes N] [--pg URL] [--json]
 *
 * The PostgreSQL URL comes from --pg, MBZ_BENCH_PG or MBZ_TEST_PG; without one only SQLite runs, and it says so.
 */
import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import pg from 'pg';
import type {Db} from '../source/engine/store/db.js';
import {initSite, openSite} from '../source/engine/store/site.js';
import {generateSyntheticBackup} from './synthetic-backup.js';
import {peakRssMb} from './peak-rss.js';
import {compiledSelf, phaseCommand} from './compiled-self.js';

type AdapterRun = {adapter: 'sqlite' | 'postgres'; seconds: number; peakRssMb: number; rows: number; rowsPerSecond: number; courseId: number};
type PhaseOutput = {seconds: number; peakRssMb: number; rows: number; courseId: number};

async function totalRows(db: Db): Promise<number> {
	let total = 0;
	for (const table of await db.tableNames()) total += Number((await db.get<{n: number}>(`SELECT COUNT(*) AS n FROM {${table}}`))!.n);
	return total;
}

/** In the child: one restore, then its numbers as JSON on the last line. */
async function restorePhase(location: string, archive: string): Promise<void> {
	const site = await openSite(location);
	try {
		const before = await totalRows(site.db);
		const started = process.hrtime.bigint();
		const {openRestore} = await import('../source/engine/restore/restore-plan.js');
		const plan = await openRestore(site, archive);
		let courseId: number;
		try {
			await plan.setDestination({target: 'new', categoryId: 1});
			courseId = (await plan.execute()).courseId;
		} finally {
			await plan.close();
		}
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		const rows = (await totalRows(site.db)) - before;
		const output: PhaseOutput = {seconds, peakRssMb: peakRssMb(), rows, courseId};
		process.stdout.write(`${JSON.stringify(output)}\n`);
	} finally {
		await site.close();
	}
}

async function runChild(location: string, archive: string): Promise<PhaseOutput> {
	const command = phaseCommand(await compiledSelf(import.meta.url));
	return new Promise((resolve, reject) => {
		execFile(process.execPath, [...command.args, '--phase', 'restore', '--site', location, '--archive', archive], {maxBuffer: 16 << 20, env: command.env}, (error, stdout, stderr) => {
			if (error) reject(new Error(`restore into ${location.replace(/:[^:@/]*@/, ':***@')} failed: ${(stderr || error.message).trim().split('\n').pop()}`));
			else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as PhaseOutput);
		});
	});
}

function toRun(adapter: AdapterRun['adapter'], phase: PhaseOutput): AdapterRun {
	return {adapter, ...phase, rowsPerSecond: Math.round(phase.rows / phase.seconds)};
}

async function withPgSchema<T>(url: string, work: (location: string) => Promise<T>): Promise<T> {
	const schema = `mbz_bench_${randomBytes(4).toString('hex')}`;
	const admin = new pg.Client({connectionString: url});
	await admin.connect();
	try {
		await admin.query(`CREATE SCHEMA ${schema}`);
		const location = new URL(url);
		location.searchParams.set('schema', schema);
		return await work(location.href);
	} finally {
		await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
		await admin.end();
	}
}

export async function runAdaptersBench(options: {users: number; activities: number; posts: number; megabytes: number; pgUrl?: string}): Promise<{archiveBytes: number; runs: AdapterRun[]}> {
	const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'mbz-adapters-bench-'));
	try {
		const backup = await generateSyntheticBackup({dir: path.join(scratch, 'backup'), users: options.users, activities: options.activities, posts: options.posts, megabytes: options.megabytes});
		const runs: AdapterRun[] = [];

		const sqliteSite = path.join(scratch, 'sqlite-site');
		await (await initSite(sqliteSite)).close();
		runs.push(toRun('sqlite', await runChild(sqliteSite, backup.file)));

		if (options.pgUrl) {
			const filedir = path.join(scratch, 'pg-filedir');
			runs.push(await withPgSchema(options.pgUrl, async location => {
				await (await initSite(location, {filedir})).close();
				return toRun('postgres', await runChild(location, backup.file));
			}));
		}
		return {archiveBytes: backup.archiveBytes, runs};
	} finally {
		await fs.rm(scratch, {recursive: true, force: true});
	}
}

function table(report: {archiveBytes: number; runs: AdapterRun[]}): string {
	const lines = [
		`restore of a ${(report.archiveBytes / 1e6).toFixed(1)} MB synthetic backup, each adapter in its own process`,
		'adapter     wall s   peak RSS MB      rows    rows/s',
	];
	for (const run of report.runs) {
		lines.push(`${run.adapter.padEnd(10)} ${run.seconds.toFixed(2).padStart(7)} ${String(run.peakRssMb).padStart(13)} ${String(run.rows).padStart(9)} ${String(run.rowsPerSecond).padStart(9)}`);
	}
	return `${lines.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	// Not strict: `npm run bench` hands every benchmark the same arguments; those meant for others are ignored.
	const {values} = parseArgs({strict: false, options: {
		users: {type: 'string'}, activities: {type: 'string'}, posts: {type: 'string'}, megabytes: {type: 'string'}, pg: {type: 'string'}, json: {type: 'boolean'},
		phase: {type: 'string'}, site: {type: 'string'}, archive: {type: 'string'},
	}}) as {values: Partial<Record<'users' | 'activities' | 'posts' | 'megabytes' | 'pg' | 'phase' | 'site' | 'archive', string>> & {json?: boolean}};
	if (values.phase === 'restore') {
		await restorePhase(values.site!, values.archive!);
	} else {
		const pgUrl = values.pg ?? process.env['MBZ_BENCH_PG'] ?? process.env['MBZ_TEST_PG'];
		if (!pgUrl) process.stderr.write('PostgreSQL not benchmarked: give --pg URL (or set MBZ_BENCH_PG / MBZ_TEST_PG).\n');
		const report = await runAdaptersBench({
			users: Number(values.users ?? 2_000), activities: Number(values.activities ?? 100), posts: Number(values.posts ?? 20_000),
			megabytes: Number(values.megabytes ?? 50), ...(pgUrl ? {pgUrl} : {}),
		});
		process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : table(report));
	}
}
