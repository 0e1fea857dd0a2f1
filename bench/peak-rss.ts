import {readFileSync} from 'node:fs';

/**
 * This process's peak resident memory, in MB. On Linux from /proc/self/status VmHWM, the high-water mark of this
 * program's own memory: getrusage's maxrss (process.resourceUsage().maxRSS) also counts the memory of the parent at
 * the moment it spawned this process (the kernel carries it over the exec), so a phase started by a parent that had
 * just generated a large backup reported the parent's ~320 MB as its own.
 */
export function peakRssMb(): number {
	try {
		const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
		if (match) return Math.round(Number(match[1]) / 1024);
	} catch {
		// not Linux: the rusage figure, an upper bound
	}
	return Math.round(process.resourceUsage().maxRSS / 1024);
}
