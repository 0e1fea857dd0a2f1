import type {EnrolmentMode} from './enrolment-rules.js';
import type {ConflictPolicy, UserPrecheck} from './user-precheck.js';
import type {BackupInfo} from './backup-info.js';
import type {Notice} from '../notices.js';

/** Stage 2: where the backup goes (Moodle's TARGET_NEW_COURSE / *_ADDING / *_DELETING). */
export type RestoreDestination =
	| {target: 'new'; categoryId: number}
	| {target: 'merge'; courseId: number}
	| {target: 'replace'; courseId: number; keepRolesAndEnrolments?: boolean; keepGroupsAndGroupings?: boolean};

/** Choices that are not Moodle settings: how to treat user conflicts. */
export type RestoreOptions = {
	conflictPolicy: ConflictPolicy;
	/** Moodle's "allow admin conflict resolution" (admin_<hash> account); on by default here. */
	allowAdminConflictResolution: boolean;
	/**
	 * The language of the words Moodle itself writes into the site, as the restoring admin's language does in Moodle:
	 * the suffix of a course name that is taken (" copy 1", " copie 1"). English by default.
	 */
	lang?: 'en' | 'fr';
};

/** Stage 1. */
export type RestoreConfirmation = {
	file: string;
	info: BackupInfo;
	sameSite: boolean;
	precheck: UserPrecheck | undefined;
	/** Findings that block (errors) or only inform (warnings) — Moodle's restore_prechecks_helper. */
	errors: Notice[];
	warnings: Notice[];
};

export type EnrolmentReview = {
	method: string;
	name: string | null;
	outcome: 'restored' | 'reused' | 'manual' | 'converted to manual' | 'rescued as manual' | 'dropped' | 'guest';
	users: number;
	detail?: Notice;
	/** Usernames of the users who lose access through a dropped method. */
	lostUsers?: string[];
};

/** Stage 5: what execute() will write. */
export type RestoreReview = {
	file: string;
	type: BackupInfo['type'];
	destination: RestoreDestination;
	/** The destination's name as the site has it: the new course's category, or the course merged into or replaced. */
	destinationName: string;
	/** How user conflicts are treated in this review (the option it was built with). */
	conflictPolicy: ConflictPolicy;
	course: {fullname: string; shortname: string; startdate: number; dateOffset: number};
	settings: Record<string, boolean | number | string>;
	usersIncluded: boolean;
	enrolmentMode: EnrolmentMode;
	precheck: {
		sameSite: boolean;
		toCreate: string[];
		toMap: Array<{username: string; siteUsername: string; rule: string}>;
		conflicts: Array<{username: string; reason: Notice}>;
		mappedByEmail: Array<{username: string; siteUsername: string}>;
		adminResolution?: {username: string; created: boolean};
		policy: ConflictPolicy;
		explanation: string;
		recommendation: string;
	};
	/** Refused as configured (conflicts with the abort policy …): the reasons. */
	blockers: Notice[];
	counts: Record<string, number>;
	enrolments: EnrolmentReview[];
	sections: Array<{sectionId: number; title: string; included: boolean; userinfo: boolean}>;
	activities: Array<{cmid: number; modulename: string; title: string; included: boolean; userinfo: boolean}>;
	warnings: Notice[];
};

export type RestoreProgress = (stage: string, item: string, done: number, total: number) => void;

/** Stage 7. */
export type RestoreResult = {
	courseId: number;
	courseContextId: number;
	fullname: string;
	shortname: string;
	usersCreated: Array<{username: string; id: number}>;
	usersMapped: Array<{username: string; id: number}>;
	enrolments: EnrolmentReview[];
	counts: Record<string, number>;
	warnings: Notice[];
};
