import {ArchiveError} from '../errors.js';

/**
 * The error for an archive without moodle_backup.xml. An IMS Common Cartridge (imsmanifest.xml at the top) is
 * a different format, which Moodle's restore converts first and this one does not: say so rather than only "not a backup".
 */
export function missingManifestError(file: string, sawCartridgeManifest: boolean): ArchiveError {
	return sawCartridgeManifest
		? new ArchiveError(file, 'no moodle_backup.xml: not a Moodle 2+ backup but an IMS Common Cartridge (imsmanifest.xml), which this restore does not convert into a course (Moodle\'s restore does)')
		: new ArchiveError(file, 'no moodle_backup.xml: not a Moodle 2+ backup');
}
