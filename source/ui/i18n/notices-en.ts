import type {NoticeCode} from '../../engine/notices.js';

/**
 * The wizard's English for the notices whose command-line wording names a flag: the wizard names its own setting
 * (as it shows it) instead. The others read the same in both.
 */
export const WIZARD_NOTICES_EN: Partial<Record<NoticeCode, string>> = {
	usersDroppedForConflicts: '{count} user conflict(s): restoring without user data',
	enrolDroppedLosingUsers: '{dropped}; {count} user(s) lose access to the course: {users} (to keep them: the setting "Restore users of cohorts missing here as manual enrolments")',
};
