import type {Notice} from './notices.js';

/**
 * Expected failures. Each carries a one-line message meant for the admin: the CLI prints `message`
 * alone (no stack) and exits with `exitCode`; the wizard shows it in a panel.
 */
export class MbzError extends Error {
	readonly exitCode: number = 1;
	constructor(message: string) {
		super(message);
		this.name = new.target.name;
	}
}

/**
 * The archive itself is unusable: not a backup, truncated, corrupt, unsafe entry path. The reason may be a notice,
 * which an interface says in its own language (`reason`); the message stays the English line.
 */
export class ArchiveError extends MbzError {
	readonly reason: Notice | undefined;

	constructor(readonly file: string, why: string | Notice, readonly entry?: string) {
		const text = typeof why === 'string' ? why : why.text;
		super(entry ? `${file}: ${entry}: ${text}` : `${file}: ${text}`);
		this.reason = typeof why === 'string' ? undefined : why;
	}
}

/** An XML entry inside an archive is malformed or lacks what Moodle always writes. */
export class XmlError extends MbzError {
	constructor(readonly file: string, readonly entry: string, message: string, readonly line?: number) {
		super(`${file}: ${entry}${line === undefined ? '' : ` line ${line}`}: ${message}`);
	}
}

/** The site (SQLite file, PostgreSQL database, file pool) cannot be opened or used as asked. */
export class StoreError extends MbzError {}

/** The admin's preferences file cannot be read or written. */
export class PreferencesError extends MbzError {}

/** Arguments or choices that cannot work together (unknown course id, locked setting, ...). */
export class UsageError extends MbzError {
	override readonly exitCode: number = 2;
}

/** A restore precheck found problems that block the restore as configured. Lists every one. */
export class PrecheckError extends MbzError {
	override readonly exitCode: number = 3;
	constructor(message: string, readonly problems: readonly string[]) {
		super(message);
	}
}

/** The operation was cancelled (Ctrl-C): everything was rolled back. */
export class CancelledError extends MbzError {
	override readonly exitCode: number = 130;
}
