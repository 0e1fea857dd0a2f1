import meow, {type AnyFlags, type Options, type Result} from 'meow';
import {UsageError} from '../engine/errors.js';

/**
 * meow, with its refusal of a flag's value (a value outside the flag's choices) turned into the one-line usage
 * error every command gives, instead of an internal error with a stack.
 */
export function parseCommandLine<Flags extends AnyFlags>(usage: string, options: Options<Flags>): Result<Flags> {
	try {
		return meow(usage, options);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		throw new UsageError(message.replaceAll('`', '"').replace(/\.$/u, ''));
	}
}
