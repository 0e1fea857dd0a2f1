import meow, {type AnyFlags, type Options, type Result} from 'meow';
import {UsageError} from '../engine/errors.js';

/** `bogusFlag` → `--bogus-flag`, as it was typed. */
function asTyped(name: string): string {
	return `--${name.replace(/[A-Z]/gu, (letter) => `-${letter.toLowerCase()}`)}`;
}

/**
 * meow, with what it refuses (a flag it does not know, a value outside a flag's choices) turned into the one-line
 * usage error every command gives (`mbz: ...`, exit code 2), instead of meow's own two-line message or a stack.
 */
export function parseCommandLine<Flags extends AnyFlags>(usage: string, options: Options<Flags>): Result<Flags> {
	let result: Result<Flags>;
	try {
		result = meow(usage, {...options, allowUnknownFlags: true});
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		throw new UsageError(message.replaceAll('`', '"').replace(/\.$/u, ''));
	}
	if (options.allowUnknownFlags === false) {
		const known = new Set(Object.keys(options.flags ?? {}));
		const unknown = Object.keys(result.flags).filter((name) => !known.has(name) && name !== 'help' && name !== 'version');
		if (unknown.length > 0) throw new UsageError(`unknown option ${unknown.map(asTyped).join(', ')} (see --help)`);
	}
	return result;
}
