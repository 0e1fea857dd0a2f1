import type {Command} from './command.js';

/**
 * Every command, loaded on demand so `mbz inspect` never pays for React or the database driver.
 * The order is the order `mbz --help` lists them in.
 */
export const commandLoaders: Record<string, () => Promise<Command>> = {
	inspect: async () => (await import('./inspect.js')).inspectCommand,
	restore: async () => (await import('./restore.js')).restoreCommand,
	backup: async () => (await import('./backup.js')).backupCommand,
	areas: async () => (await import('./areas.js')).areasCommand,
	automated: async () => (await import('./automated.js')).automatedCommand,
	site: async () => (await import('./site.js')).siteCommand,
};

/** One-line summaries for the top-level help; kept here so --help does not load every command. */
export const commandSummaries: Record<keyof typeof commandLoaders, string> = {
	inspect: 'inspect FILE [--json]            show what a backup contains (Moodle\'s restore "Confirm" page)',
	restore: 'restore FILE --target new|merge|replace ...   restore a backup into the site',
	backup: 'backup --course ID | --section ID | --activity CMID ...   back up a course, section or activity',
	areas: 'areas list|export|delete          the backup areas (course, user private, automated)',
	automated: 'automated run [--all]            run automated backups (for cron)',
	site: 'site init|info [--demo]           create or describe a site (SQLite directory or postgres:// URL)',
};
