import type {BackupDetails} from '../engine/details/types.js';
import {formatBytes} from '../engine/format-bytes.js';

const YES = '✓';
const NO = '✗';

function date(unixSeconds: number): string {
	if (!unixSeconds) return '-';
	return new Date(unixSeconds * 1000).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}

/** A size as the screens give it (Moodle's units), with the exact count of bytes. */
function bytes(count: number): string {
	return count < 1024 ? formatBytes(count) : `${formatBytes(count)} (${count.toLocaleString('en')} bytes)`;
}

function rows(pairs: Array<[string, string]>): string[] {
	const width = Math.max(...pairs.map(([label]) => label.length));
	return pairs.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`);
}

/** A setting value as Moodle's confirm page shows it: a check mark for booleans, the text otherwise. */
function settingValue(value: string): string {
	if (value === '1') return YES;
	if (value === '0' || value === '') return NO;
	return value;
}

/** The backup as Moodle's restore "Confirm" page presents it, as plain text. */
export function formatInspectReport(details: BackupDetails): string {
	const lines: string[] = [];
	const fromThisSite = details.fromThisSite === null ? 'unknown (no site given)' : details.fromThisSite ? 'yes' : 'no';
	lines.push('Backup details');
	lines.push(
		...rows([
			['File', `${details.file} (${details.container === 'tgz' ? "gzip'd tar" : 'zip'}, ${bytes(details.counts.archiveBytes)})`],
			['Original name', details.name],
			['Type', details.type],
			['Format', details.format],
			['Mode', String(details.mode)],
			['Date', date(details.backupDate)],
			['Moodle version', `${details.moodleRelease} [${details.moodleVersion}]`],
			['Backup version', `${details.backupRelease} [${details.backupVersion}]`],
			['URL of backup', details.originalWwwroot],
			['Site identifier hash', details.originalSiteIdentifierHash],
			['From this site', fromThisSite],
			['Includes files', details.includeFiles ? YES : NO],
		]),
	);
	lines.push('', 'Backup settings');
	const settings = Object.entries(details.settings);
	if (settings.length === 0) lines.push('  (none)');
	else lines.push(...rows(settings.map(([name, value]) => [name, settingValue(value)])));

	lines.push('', 'Course details');
	lines.push(
		...rows([
			['Original id', String(details.course.id)],
			['Full name', details.course.fullname],
			['Short name', details.course.shortname],
			['Format', details.course.format],
			['Start date', date(details.course.startdate)],
			['End date', date(details.course.enddate)],
		]),
	);

	lines.push('', `Sections (${details.sections.length})   ${YES} included  ${NO} not included  [user data] with user information`);
	const listActivity = (activity: BackupDetails['activities'][number], indent: string): void => {
		const user = activity.userinfo ? ' [user data]' : '';
		lines.push(`${indent}${activity.included ? YES : NO} ${activity.modulename} ${activity.cmid}: ${activity.title}${user}`);
	};
	for (const section of details.sections) {
		const user = section.userinfo ? ' [user data]' : '';
		const hidden = section.visible === false ? ' (hidden)' : '';
		lines.push(`  ${section.included ? YES : NO} Section ${section.number ?? '?'}: ${section.title}${hidden}${user}`);
		for (const activity of section.activities) listActivity(activity, '      ');
	}
	const inSections = new Set(details.sections.flatMap((section) => section.activities.map((activity) => activity.cmid)));
	const loose = details.activities.filter((activity) => !inSections.has(activity.cmid));
	if (loose.length > 0) {
		lines.push('', `Activities (${loose.length})`);
		for (const activity of loose) listActivity(activity, '  ');
	}

	const counts = details.counts;
	const byType = Object.entries(counts.activitiesByType)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([type, count]) => `${type} ${count}`)
		.join(', ');
	const methods = Object.entries(counts.enrolMethods)
		.map(([method, count]) => `${method} ${count}`)
		.join(', ');
	lines.push('', 'Contents');
	lines.push(
		...rows([
			['Activities', `${counts.activities}${byType ? ` (${byType})` : ''}`],
			['Users', counts.usersXml ? String(counts.users) : 'none (no users.xml)'],
			['Enrolment methods', methods || 'none'],
			['User enrolments', String(counts.userEnrolments)],
			['Groups', `${counts.groups} (${counts.groupMembers} members), groupings ${counts.groupings}`],
			['Question bank', `${counts.questionCategories} categories, ${counts.questions} questions`],
			['Files', `${counts.files} (${bytes(counts.fileBytes)}), ${counts.blobs} stored contents`],
		]),
	);
	return `${lines.join('\n')}\n`;
}
