import {readFileSync} from 'node:fs';

/**
 * This process's peak resident memory, in MB. On Linux from /proc/self/status VmHWM, the high-water mark of this
 * program's own memory: getrusage's maxrss (process.resourceUsage().maxRSS) also counts the memory of the parent at
 * the moment it spawned this process (the kernel carries it over the exec), so a phase started by a parent that had
 * just generated a large backup reported the parent's ~320 MB as its own.
 */
export function peakRssMb(): number {
	return statusMb('VmHWM') ?? Math.round(process.resourceUsage().maxRSS / 1024); // not Linux: the rusage figure, an upper bound
}

/** A memory figure of /proc/self/status (VmHWM, RssAnon, RssFile, ...) in MB; undefined where there is none. */
export function statusMb(field: string): number | undefined {
	try {
		const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
		return match ? Math.round(Number(match[1]) / 1024) : undefined;
	} catch {
		return undefined;
	}
}
