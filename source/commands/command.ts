/** A non-interactive command: `mbz <name> ...`. Each lives in its own file and parses its own flags. */
export type Command = {
	/** One line for `mbz --help`. */
	summary: string;
	/** Full usage text for `mbz <name> --help`. */
	usage: string;
	/** Runs with the arguments after the command name; resolves to the process exit code. */
	run(argv: string[]): Promise<number>;
};
