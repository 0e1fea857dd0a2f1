import {ArchiveError} from '../errors.js';

/**
 * The error for an archive without moodle_backup.xml. An IMS Common Cartridge (imsmanifest.xml at the top) is
 * a different format that Moodle imports, not restores: say so rather than only "not a backup".
 */
export function missingManifestError(file: string, sawCartridgeManifest: boolean): ArchiveError {
	return sawCartridgeManifest
		? new ArchiveError(file, 'no moodle_backup.xml: not a Moodle 2+ backup but an IMS Common Cartridge (imsmanifest.xml), which Moodle imports through its IMS CC course import, not through restore')
		: new ArchiveError(file, 'no moodle_backup.xml: not a Moodle 2+ backup');
}
