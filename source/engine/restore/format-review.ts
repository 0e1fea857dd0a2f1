import type {RestoreResult, RestoreReview} from './types.js';

function date(seconds: number): string {
	return seconds ? new Date(seconds * 1000).toISOString().slice(0, 10) : '-';
}

function destinationText(review: RestoreReview): string {
	const destination = review.destination;
	if (destination.target === 'new') return `a new course in category ${destination.categoryId}`;
	if (destination.target === 'merge') return `course ${destination.courseId}, merged with its contents`;
	const keep = [destination.keepRolesAndEnrolments ? 'roles and enrolments' : '', destination.keepGroupsAndGroupings ? 'groups and groupings' : ''].filter(Boolean);
	return `course ${destination.courseId}, after deleting its contents${keep.length ? ` (keeping its ${keep.join(' and ')})` : ''}`;
}

/** What the review's counts are, in words (their keys stay as they are in --json). */
const COUNT_LABELS: Record<string, string> = {
	usersToCreate: 'users to create', usersToMap: 'users to map', userConflicts: 'username conflicts',
	enrolMethods: 'enrolment methods', userEnrolments: 'user enrolments',
};

/** Outcomes whose JSON name says which rule applied, in words ("manual: manual" said nothing). */
const OUTCOME_TEXT: Partial<Record<RestoreReview['enrolments'][number]['outcome'], string>> = {manual: 'restored', guest: 'restored'};

/** The review as plain text (CLI, logs): what will be written, the precheck, and why it would be refused. */
export function formatReview(review: RestoreReview): string {
	const lines: string[] = [];
	lines.push(`Restore ${review.file} (${review.type} backup)`);
	lines.push(`  into ${destinationText(review)}`);
	lines.push(`  course: ${review.course.fullname} [${review.course.shortname}], start ${date(review.course.startdate)}${review.course.dateOffset ? `, dates shifted by ${Math.round(review.course.dateOffset / 86400)} day(s)` : ''}`);
	lines.push(`  user data: ${review.usersIncluded ? 'yes' : 'no'}; enrolment methods: ${review.enrolmentMode}`);
	const counts = Object.entries(review.counts).filter(([name]) => !name.startsWith('activity.')).map(([name, value]) => `${COUNT_LABELS[name] ?? name} ${value}`);
	lines.push(`  will restore: ${counts.join(', ')}`);
	const types = Object.entries(review.counts).filter(([name]) => name.startsWith('activity.')).map(([name, value]) => `${name.slice(9)} ${value}`);
	if (types.length) lines.push(`  activities: ${types.join(', ')}`);
	const excluded = review.activities.filter((activity) => !activity.included);
	if (excluded.length) lines.push(`  excluded: ${excluded.map((activity) => `${activity.title} (${activity.modulename} ${activity.cmid})`).join(', ')}`);
	const precheck = review.precheck;
	lines.push('');
	lines.push(`Users (${precheck.sameSite ? 'backup made on this site' : 'backup from another site'}):`);
	if (!review.usersIncluded) lines.push('  not restored: no user data');
	else lines.push(`  to create (${precheck.toCreate.length}): ${precheck.toCreate.join(', ') || '-'}`);
	lines.push(`  to map to existing accounts (${precheck.toMap.length}): ${precheck.toMap.map((entry) => entry.username === entry.siteUsername ? entry.username : `${entry.username} → ${entry.siteUsername}`).join(', ') || '-'}`);
	if (precheck.adminResolution) lines.push(`  admin: the backup's admin account ${precheck.adminResolution.created ? 'is created as' : 'maps to'} ${precheck.adminResolution.username}`);
	if (precheck.mappedByEmail.length) lines.push(`  mapped by email: ${precheck.mappedByEmail.map((entry) => `${entry.username} → ${entry.siteUsername}`).join(', ')}`);
	if (precheck.conflicts.length && !review.usersIncluded) {
		// Set aside by restoring without user data: nothing to refuse or recommend any more.
		lines.push(`  username conflicts (${precheck.conflicts.length}), set aside (no user data is restored):`);
		for (const conflict of precheck.conflicts) lines.push(`    ${conflict.username}: ${conflict.reason}`);
	} else if (precheck.conflicts.length) {
		lines.push(`  CONFLICTS (${precheck.conflicts.length}):`);
		for (const conflict of precheck.conflicts) lines.push(`    ${conflict.username}: ${conflict.reason}`);
		lines.push(`  ${precheck.explanation}`);
		lines.push(`  Recommended: ${precheck.recommendation}`);
	}
	if (review.enrolments.length) {
		lines.push('');
		lines.push('Enrolment methods:');
		for (const entry of review.enrolments) {
			// Dropped and converted methods are explained under Warnings; a method enrolling from the live site says so here.
			const live = (entry.outcome === 'restored' || entry.outcome === 'reused') && entry.detail ? ` (${entry.detail})` : '';
			lines.push(`  ${entry.method}${entry.name ? ` "${entry.name}"` : ''}: ${OUTCOME_TEXT[entry.outcome] ?? entry.outcome}${entry.users ? `, ${entry.users} user enrolment(s)` : ''}${entry.lostUsers?.length ? `; loses ${entry.lostUsers.join(', ')}` : ''}${live}`);
		}
	}
	if (review.warnings.length) {
		lines.push('');
		lines.push('Warnings:');
		for (const warning of review.warnings) lines.push(`  - ${warning}`);
	}
	if (review.blockers.length) {
		lines.push('');
		lines.push('REFUSED:');
		for (const blocker of review.blockers) lines.push(`  - ${blocker}`);
	}
	return `${lines.join('\n')}\n`;
}

export function formatResult(result: RestoreResult): string {
	const lines = [`Restored into course ${result.courseId}: ${result.fullname} [${result.shortname}]`];
	lines.push(`  users created ${result.usersCreated.length}, mapped ${result.usersMapped.length}`);
	lines.push(`  ${Object.entries(result.counts).map(([name, value]) => `${name} ${value}`).join(', ')}`);
	for (const warning of result.warnings) lines.push(`  - ${warning}`);
	return `${lines.join('\n')}\n`;
}
