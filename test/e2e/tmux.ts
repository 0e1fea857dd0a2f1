import {execFileSync, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdirSync, readdirSync, rmdirSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {projectRoot} from '../helpers/fixtures.js';

export function hasTmux(): boolean {
	return spawnSync('tmux', ['-V'], {stdio: 'ignore'}).status === 0;
}

function newestMtime(dir: string): number {
	let newest = 0;
	for (const entry of readdirSync(dir, {withFileTypes: true})) {
		const full = join(dir, entry.name);
		newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
	}
	return newest;
}

function isBuilt(): boolean {
	let built = 0;
	try {
		built = statSync(join(projectRoot, 'dist', 'cli.js')).mtimeMs;
	} catch {
		return false;
	}
	return built > Math.max(newestMtime(join(projectRoot, 'source')), statSync(join(projectRoot, 'cli.tsx')).mtimeMs);
}

/**
 * Builds dist/ (npx tsc -p tsconfig.build.json) unless it is newer than every source file. Test files run in
 * parallel processes: a lock directory keeps them from building at the same time.
 */
export function ensureBuilt(): void {
	const lock = join(tmpdir(), 'mbz-e2e-build.lock');
	const deadline = Date.now() + 300_000;
	for (;;) {
		if (isBuilt()) return;
		try {
			mkdirSync(lock);
			break;
		} catch {
			if (Date.now() > deadline) throw new Error(`${lock} is held for too long`);
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
		}
	}
	try {
		if (!isBuilt()) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], {cwd: projectRoot, stdio: 'inherit'});
	} finally {
		rmdirSync(lock);
	}
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** One program in a real terminal: a tmux session on a private socket, driven by send-keys and read by capture-pane. */
export class TmuxTerminal {
	readonly socket = `mbz-e2e-${randomBytes(6).toString('hex')}`;
	private readonly target = 'wizard';

	constructor(readonly width = 100, readonly height = 30) {}

	private tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
	}

	resize(width: number, height: number): void {
		this.tmux('resize-window', '-t', this.target, '-x', String(width), '-y', String(height));
	}

	/** Starts `command` (a shell command line) with `env` added. */
	start(command: string, env: Record<string, string>): void {
		const exports = Object.entries(env).map(([name, value]) => `${name}='${value.replace(/'/gu, `'\\''`)}'`).join(' ');
		this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', this.target, '-x', String(this.width), '-y', String(this.height), `env ${exports} ${command}`);
	}

	/** Named keys (Enter, Down, Escape, Space, Tab, C-c …), one at a time with a short pause, as a person types. */
	async keys(...names: string[]): Promise<void> {
		for (const name of names) {
			this.tmux('send-keys', '-t', this.target, name);
			await sleep(120);
		}
	}

	/** Literal text (no Enter). */
	async type(text: string): Promise<void> {
		this.tmux('send-keys', '-t', this.target, '-l', text);
		await sleep(200);
	}

	/** The screen's text; with `escapes`, its colour and style sequences too. */
	capture(escapes = false): string {
		try {
			return this.tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', this.target);
		} catch {
			return '';
		}
	}

	/** Waits until the screen matches; throws with the screen when it does not in time. */
	async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
		const started = Date.now();
		let screen = '';
		while (Date.now() - started < timeoutMs) {
			screen = this.capture();
			if (pattern.test(screen)) return screen;
			await sleep(100);
		}
		throw new Error(`screen never matched ${pattern}:\n${screen}`);
	}

	/** Whether the session still exists (it ends when the program exits). */
	alive(): boolean {
		return spawnSync('tmux', ['-L', this.socket, 'has-session', '-t', this.target], {stdio: 'ignore'}).status === 0;
	}

	kill(): void {
		spawnSync('tmux', ['-L', this.socket, 'kill-server'], {stdio: 'ignore'});
	}
}
