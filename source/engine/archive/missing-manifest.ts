import {ArchiveError} from '../errors.js';
import {notice} from '../notices.js';

/**
 * The error for an archive without moodle_backup.xml. An IMS Common Cartridge (imsmanifest.xml at the top) is
 * a different format, which Moodle's restore converts first and this one does not: say so rather than only "not a backup".
 */
export function missingManifestError(file: string, sawCartridgeManifest: boolean): ArchiveError {
	return sawCartridgeManifest
		? new ArchiveError(file, notice('archiveCartridge'))
		: new ArchiveError(file, notice('archiveNoManifest'));
}
