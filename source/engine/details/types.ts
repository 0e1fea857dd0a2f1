/** Everything Moodle's restore "Confirm" step shows about a backup, read in one pass over the archive. */
export type BackupDetails = {
	/** The archive as named by the caller. */
	file: string;
	container: 'tgz' | 'zip';
	/** The name Moodle gave the backup (information/name), whatever the file is called now. */
	name: string;
	type: string;
	format: string;
	mode: number;
	interactive: boolean;
	backupDate: number;
	moodleVersion: string;
	moodleRelease: string;
	backupVersion: string;
	backupRelease: string;
	includeFiles: boolean;
	includeFileReferencesToExternalContent: boolean;
	mnetRemoteUsers: boolean;
	originalWwwroot: string;
	originalSiteIdentifierHash: string;
	/** Same site identifier hash as the site given; null when no site was given. */
	fromThisSite: boolean | null;
	/** Root settings: name -> value, in the order Moodle wrote them. */
	settings: Record<string, string>;
	course: BackupCourse;
	/** Included sections ordered by section number, each with its included activities. */
	sections: BackupSection[];
	/** Every included activity in backup order (an activity backup has no sections). */
	activities: BackupActivity[];
	counts: BackupCounts;
};

export type BackupCourse = {
	id: number;
	fullname: string;
	shortname: string;
	format: string;
	startdate: number;
	enddate: number;
	contextId: number;
};

export type BackupSection = {
	id: number;
	/** Section number from sections/section_N/section.xml; null when that file is missing. */
	number: number | null;
	title: string;
	directory: string;
	visible: boolean | null;
	included: boolean;
	userinfo: boolean;
	activities: BackupActivity[];
};

export type BackupActivity = {
	cmid: number;
	sectionId: number;
	modulename: string;
	title: string;
	directory: string;
	included: boolean;
	userinfo: boolean;
};

export type BackupCounts = {
	/** Users in users.xml (0 when there is no users.xml: see usersXml). */
	users: number;
	usersXml: boolean;
	/** files.xml records that are not directories, and the sum of their sizes. */
	files: number;
	fileBytes: number;
	/** Blobs stored under files/ (deduplicated by content), and their bytes. */
	blobs: number;
	blobBytes: number;
	questionCategories: number;
	questions: number;
	groups: number;
	groupings: number;
	groupMembers: number;
	/** Enrolment instances by plugin (manual, self, guest, cohort ...). */
	enrolMethods: Record<string, number>;
	userEnrolments: number;
	sections: number;
	activities: number;
	/** Included activities by module name. */
	activitiesByType: Record<string, number>;
	/** Size of the archive file on disk. */
	archiveBytes: number;
	/** Entries in the archive and their total uncompressed size. */
	entries: number;
	entryBytes: number;
};
