/**
 * Moodle 4.1's default backup file name (backup_plan_dbops::get_default_backup_filename(), spec §3):
 * `<word>-moodle2-<type>-<id>[-<name>]-<YYYYMMDD>-<HHMM>[-nu|-an][-nf].mbz`.
 */
export type BackupFileNameInput = {
	type: 'course' | 'section' | 'activity';
	/** Course id, section id (course_sections.id) or course module id. */
	id: number;
	/** Course: its shortname. Section: its name (the section number is used when the name is empty). */
	name?: string;
	/** Section: its number, used when the section has no name. */
	sectionNumber?: number;
	/** Activity: the module name (`forum`), the name part is then `<modname><cmid>`. */
	modname?: string;
	users: boolean;
	anonymized?: boolean;
	files?: boolean;
	date?: Date;
	/** IANA time zone of the site (Moodle formats the date in the user's time zone); defaults to the process's. */
	timeZone?: string;
	lang?: 'en' | 'fr';
	/** Leave the name part out (automated copies in a directory with backup_shortname off). */
	useIdOnly?: boolean;
};

/** get_string('backupfilename') in each language pack. */
const BACKUP_WORD: Record<'en' | 'fr', string> = {en: 'backup', fr: 'sauvegarde'};

/** PARAM_FILE cleaning (clean_filename): control characters and & < > " ` | ' : \ / are removed. */
export function cleanFilename(text: string): string {
	// eslint-disable-next-line no-control-regex
	const cleaned = text.replace(/[\u0000-\u001f\u007f&<>"`|':\\/]/gu, '');
	return cleaned === '.' || cleaned === '..' ? '' : cleaned;
}

function trimUnderscores(text: string): string {
	return text.replace(/^_+|_+$/gu, '');
}

/**
 * What format_string() does to a shortname with Moodle's defaults (formatstringstriptags on): tags stripped,
 * `<`/`>` escaped, and `&` not starting an entity turned into `&amp;` — so "R&D" becomes "ramp;d" once cleaned.
 */
export function formatStringLikeMoodle(text: string): string {
	const stripped = text.replace(/<[^>]*>/gu, '').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
	return stripped.replace(/&(?!(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#x[0-9a-fA-F]+);)/gu, '&amp;');
}

/** `%Y%m%d-%H%M` in the given time zone. */
export function backupDateStamp(date: Date, timeZone?: string): string {
	const parts = new Intl.DateTimeFormat('en-GB', {
		timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
	}).formatToParts(date);
	const part = (type: Intl.DateTimeFormatPartTypes) => parts.find(item => item.type === type)?.value ?? '';
	return `${part('year')}${part('month')}${part('day')}-${part('hour')}${part('minute')}`;
}

function namePart(input: BackupFileNameInput): string {
	let name: string;
	switch (input.type) {
		case 'course':
			name = formatStringLikeMoodle(input.name ?? '');
			break;
		case 'section':
			name = input.name && input.name !== '' ? input.name : String(input.sectionNumber ?? '');
			break;
		case 'activity':
			name = input.modname ? `${input.modname}${input.id}` : '';
			break;
	}
	return trimUnderscores(cleanFilename(name.replace(/ /gu, '_'))).toLowerCase();
}

export function backupFileName(input: BackupFileNameInput): string {
	const word = trimUnderscores(cleanFilename(BACKUP_WORD[input.lang ?? 'en'].toLowerCase().replace(/ /gu, '_')));
	let name = String(input.id);
	if (!input.useIdOnly) {
		const part = namePart(input);
		if (part !== '') name += `-${part}`;
	}
	const date = trimUnderscores(cleanFilename(backupDateStamp(input.date ?? new Date(), input.timeZone))).toLowerCase();
	let info = '';
	if (!input.users) info = '-nu';
	else if (input.anonymized) info = '-an';
	if (input.files === false) info += '-nf';
	return `${word}-moodle2-${input.type}-${name}-${date}${info}.mbz`;
}
