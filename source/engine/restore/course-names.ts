import {COURSE_FULLNAME_MAX, COURSE_SHORTNAME_MAX} from '../settings/restore-settings.js';

/**
 * Moodle's course name clash rule (restore_dbops::calculate_course_names): when either the full name or the
 * short name is taken by another course, BOTH get a suffix — " copy N" on the full name, "_N" on the short
 * name — with N counting up from 1 until neither collides. Names are cut so the suffixed value still fits
 * Moodle's column sizes (254 / 100 characters).
 */
export type CourseNameTaken = (fullname: string, shortname: string) => Promise<boolean>;

/** get_string('copyasnoun') in each language pack. */
export const COPY_WORD: Record<'en' | 'fr', string> = {en: 'copy', fr: 'copie'};

const FULLNAME_LIMIT = COURSE_FULLNAME_MAX;
const SHORTNAME_LIMIT = COURSE_SHORTNAME_MAX;

export async function calculateCourseNames(
	fullname: string,
	shortname: string,
	isTaken: CourseNameTaken,
	copyWord = COPY_WORD.en,
): Promise<{fullname: string; shortname: string; counter: number}> {
	for (let counter = 0; ; counter++) {
		const suffixFull = counter ? ` ${copyWord} ${counter}` : '';
		const suffixShort = counter ? `_${counter}` : '';
		const full = cutCharacters(fullname, FULLNAME_LIMIT - suffixFull.length) + suffixFull;
		const short = cutCharacters(shortname, SHORTNAME_LIMIT - suffixShort.length) + suffixShort;
		if (!(await isTaken(full, short))) return {fullname: full, shortname: short, counter};
	}
}

/** Cuts by characters (code points), as mb_substr does, never in the middle of a surrogate pair. */
function cutCharacters(text: string, limit: number): string {
	const characters = Array.from(text);
	return characters.length <= limit ? text : characters.slice(0, limit).join('');
}
