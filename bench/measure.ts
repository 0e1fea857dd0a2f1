import {spawn} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';

export type Measured = {seconds: number; cpuSeconds: number | null; peakRssMb: number | null; code: number; stdout: string; stderr: string};

const GNU_TIME = '/usr/bin/time';

/**
 * Runs a command to its end: wall time, and peak RSS from GNU time (%M) when the machine has it, else from
 * /proc/<pid>/status VmHWM polled while it runs. `stdoutTo` 'discard' sends output to /dev/null.
 */
export async function measure(command: string, args: string[], options: {stdout: 'capture' | 'discard'}): Promise<Measured> {
	const useTime = existsSync(GNU_TIME);
	const marker = '__PEAK_KB__';
	const [file, argv] = useTime ? [GNU_TIME, ['-f', `${marker}%M %U %S`, command, ...args]] : [command, args];
	const started = process.hrtime.bigint();
	const child = spawn(file, argv, {stdio: ['ignore', options.stdout === 'capture' ? 'pipe' : 'ignore', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	let polledKb = 0;
	const poll = useTime
		? undefined
		: setInterval(() => {
				try {
					const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
					if (match) polledKb = Math.max(polledKb, Number(match[1]));
				} catch {
					// the process has ended
				}
			}, 10);
	const code = await new Promise<number>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (exitCode) => resolve(exitCode ?? 1));
	});
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	if (poll) clearInterval(poll);
	let peakKb: number | null = polledKb || null;
	let cpuSeconds: number | null = null;
	if (useTime) {
		const line = stderr.split('\n').find((candidate) => candidate.startsWith(marker));
		const [peak, user, system] = line ? line.slice(marker.length).split(' ').map(Number) : [];
		peakKb = peak ?? null;
		cpuSeconds = user !== undefined && system !== undefined ? user + system : null;
		stderr = stderr
			.split('\n')
			.filter((candidate) => !candidate.startsWith(marker))
			.join('\n');
	}
	return {seconds, cpuSeconds, peakRssMb: peakKb === null ? null : peakKb / 1024, code, stdout, stderr};
}
