/**
 * Inspect benchmark: `mbz inspect FILE --json` on a synthetic course backup of 1 GB or more, timed beside
 * `gzip -dc FILE > /dev/null` in the same run, with the peak RSS of the inspect process.
 * Targets: inspect ≤ 1.2× the gzip time; peak RSS ≤ 150 MB.
 *
 *   node --import=tsx bench/inspect-bench.ts [--file FILE] [--runs N] [--keep] [--users N] [--forums N] [--pages N]
 *        [--posts-per-forum N] [--small-files N] [--large-files N] [--large-mb N]
 */
import {promises as fs} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {measure, type Measured} from './measure.js';
import {generateSyntheticBackup, type SyntheticBackup, type SyntheticBackupOptions} from './synthetic-backup.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');

export const TIME_TARGET = 1.2;
export const RSS_TARGET_MB = 150;

export type InspectBenchReport = {
	backup: Pick<SyntheticBackup, 'archiveBytes' | 'uncompressedBytes' | 'entries' | 'xmlEntries' | 'xmlBytes' | 'blobBytes'> | undefined;
	generateSeconds: number;
	gzip: number[];
	inspect: number[];
	/** CPU seconds (user + system) of each run, when GNU time is there: steadier than wall time on a busy machine. */
	gzipCpu: number[];
	inspectCpu: number[];
	cpuRatio: number | null;
	inspectPeakRssMb: number;
	ratio: number;
	countsChecked: string[];
	problems: string[];
};

const gb = (bytes: number): string => `${(bytes / 1e9).toFixed(2)} GB`;
const secs = (value: number): string => `${value.toFixed(2)} s`;

export async function runInspectBench(options: {file?: string; runs?: number; keep?: boolean; synthetic?: Omit<SyntheticBackupOptions, 'dir'>}): Promise<InspectBenchReport> {
	const runs = options.runs ?? 3;
	const scratch = options.file ? undefined : await fs.mkdtemp(join(tmpdir(), 'mbz-inspect-bench-'));
	try {
		let backup: SyntheticBackup | undefined;
		let generateSeconds = 0;
		let file = options.file;
		if (!file) {
			const started = process.hrtime.bigint();
			backup = await generateSyntheticBackup({...options.synthetic, dir: scratch!});
			generateSeconds = Number(process.hrtime.bigint() - started) / 1e9;
			file = backup.file;
		}
		// Warm the page cache so neither side pays for the first disk read.
		await measure('cat', [file], {stdout: 'discard'});
		const gzip: number[] = [];
		const inspect: number[] = [];
		const gzipCpu: number[] = [];
		const inspectCpu: number[] = [];
		let peak = 0;
		let last: Measured | undefined;
		const problems: string[] = [];
		for (let run = 0; run < runs; run++) {
			const unzip = await measure('sh', ['-c', 'gzip -dc "$1" > /dev/null', 'sh', file], {stdout: 'discard'});
			if (unzip.code !== 0) problems.push(`gzip -dc failed: ${unzip.stderr.trim()}`);
			gzip.push(unzip.seconds);
			if (unzip.cpuSeconds !== null) gzipCpu.push(unzip.cpuSeconds);
			last = await measure(process.execPath, [cli, 'inspect', file, '--json'], {stdout: 'capture'});
			if (last.code !== 0) problems.push(`mbz inspect failed (${last.code}): ${last.stderr.trim()}`);
			inspect.push(last.seconds);
			if (last.cpuSeconds !== null) inspectCpu.push(last.cpuSeconds);
			peak = Math.max(peak, last.peakRssMb ?? 0);
		}
		const countsChecked: string[] = [];
		if (backup && last?.code === 0) {
			const details = JSON.parse(last.stdout) as {counts: Record<string, unknown>};
			const expected: Record<string, unknown> = {
				users: backup.expected.users,
				userEnrolments: backup.expected.userEnrolments,
				files: backup.expected.files,
				fileBytes: backup.expected.fileBytes,
				sections: backup.expected.sections,
				activities: backup.expected.forums + backup.expected.pages,
			};
			for (const [key, value] of Object.entries(expected)) {
				if (details.counts[key] === value) countsChecked.push(key);
				else problems.push(`inspect reported ${key}=${String(details.counts[key])}, the generator made ${String(value)}`);
			}
		}
		const best = (values: number[]): number => Math.min(...values);
		return {
			backup: backup && {archiveBytes: backup.archiveBytes, uncompressedBytes: backup.uncompressedBytes, entries: backup.entries, xmlEntries: backup.xmlEntries, xmlBytes: backup.xmlBytes, blobBytes: backup.blobBytes},
			generateSeconds,
			gzip,
			inspect,
			gzipCpu,
			inspectCpu,
			cpuRatio: gzipCpu.length > 0 && inspectCpu.length > 0 ? best(inspectCpu) / best(gzipCpu) : null,
			inspectPeakRssMb: peak,
			ratio: best(inspect) / best(gzip),
			countsChecked,
			problems,
		};
	} finally {
		if (scratch && !options.keep) await fs.rm(scratch, {recursive: true, force: true});
	}
}

export function formatInspectBench(report: InspectBenchReport): string {
	const lines: string[] = [];
	if (report.backup) {
		const b = report.backup;
		lines.push(
			`synthetic backup: ${gb(b.uncompressedBytes)} uncompressed (${gb(b.xmlBytes)} XML in ${b.xmlEntries.toLocaleString('en')} XML entries, ` +
				`${gb(b.blobBytes)} of files), ${b.entries.toLocaleString('en')} entries, archive ${gb(b.archiveBytes)}; generated in ${secs(report.generateSeconds)}`,
		);
	}
	const header = ['', ...report.gzip.map((_, index) => `run ${index + 1}`), 'best', 'peak RSS'];
	const rows = [
		['gzip -dc FILE > /dev/null', ...report.gzip.map(secs), secs(Math.min(...report.gzip)), ''],
		['mbz inspect FILE --json', ...report.inspect.map(secs), secs(Math.min(...report.inspect)), `${report.inspectPeakRssMb.toFixed(0)} MB`],
	];
	if (report.gzipCpu.length > 0 && report.inspectCpu.length > 0) {
		rows.push(['  CPU: gzip -dc', ...report.gzipCpu.map(secs), secs(Math.min(...report.gzipCpu)), '']);
		rows.push(['  CPU: mbz inspect', ...report.inspectCpu.map(secs), secs(Math.min(...report.inspectCpu)), '']);
	}
	const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
	for (const row of [header, ...rows]) lines.push(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
	const timeOk = report.ratio <= TIME_TARGET;
	const rssOk = report.inspectPeakRssMb <= RSS_TARGET_MB;
	lines.push(`inspect / gzip: ${report.ratio.toFixed(2)}x (target <= ${TIME_TARGET}x) ${timeOk ? 'met' : 'MISSED'}`);
	if (report.cpuRatio !== null) lines.push(`inspect / gzip in CPU time: ${report.cpuRatio.toFixed(2)}x`);
	lines.push(`inspect peak RSS: ${report.inspectPeakRssMb.toFixed(0)} MB (target <= ${RSS_TARGET_MB} MB) ${rssOk ? 'met' : 'MISSED'}`);
	if (report.countsChecked.length > 0) lines.push(`inspect counts match the generator: ${report.countsChecked.join(', ')}`);
	for (const problem of report.problems) lines.push(`PROBLEM: ${problem}`);
	return `${lines.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
	const {values} = parseArgs({
		args: argv,
		options: {
			file: {type: 'string'}, runs: {type: 'string'}, keep: {type: 'boolean'}, users: {type: 'string'}, forums: {type: 'string'}, pages: {type: 'string'},
			'posts-per-forum': {type: 'string'}, 'small-files': {type: 'string'}, 'large-files': {type: 'string'}, 'large-mb': {type: 'string'},
		},
	});
	const number = (value: string | undefined): number | undefined => (value === undefined ? undefined : Number(value));
	const synthetic: Omit<SyntheticBackupOptions, 'dir'> = {};
	const set = <K extends keyof typeof synthetic>(key: K, value: (typeof synthetic)[K] | undefined): void => {
		if (value !== undefined) synthetic[key] = value;
	};
	set('users', number(values.users));
	set('forums', number(values.forums));
	set('pages', number(values.pages));
	set('postsPerForum', number(values['posts-per-forum']));
	set('smallFiles', number(values['small-files']));
	set('largeFiles', number(values['large-files']));
	set('largeFileMB', number(values['large-mb']));
	if (!values.file) process.stdout.write('inspect benchmark: generating the synthetic backup (a minute or two)...\n');
	const report = await runInspectBench({...(values.file ? {file: values.file} : {}), runs: number(values.runs) ?? 3, keep: values.keep ?? false, synthetic});
	process.stdout.write(formatInspectBench(report));
	return report.problems.length > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	process.exitCode = await main(process.argv.slice(2));
}
