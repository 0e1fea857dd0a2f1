import {Box} from 'ink';
import type {BackupDetails} from '../../engine/details/index.js';
import type {RestoreConfirmation} from '../../engine/restore/types.js';
import {handleNavigationKey, useFooterKeys, useLayout, useShell} from '../app-context.js';
import {nameIn, noticeIn, settingLabelIn, useI18n, type I18n, type MessageKey} from '../i18n/index.js';
import {isKey} from '../keys.js';
import {formatSize, formatTime, sectionDisplayName} from '../format.js';
import {TextView, type TextLine} from '../widgets/text-view/text-view.js';
import {settingLabel} from '../../engine/settings/index.js';

/** The Confirm page as lines: precheck findings first (they decide how to restore), then Moodle's details. */
export function confirmationLines(confirmation: RestoreConfirmation, i18n: I18n, details?: BackupDetails): TextLine[] {
	const {t, lang} = i18n;
	const {info, precheck} = confirmation;
	const lines: TextLine[] = [{text: t('restore.precheck'), bold: true}];
	for (const error of confirmation.errors) lines.push({text: `✗ ${t('restore.blocking', {message: noticeIn(i18n, error)})}`, color: 'red', bold: true});
	lines.push(confirmation.sameSite
		? {text: `✓ ${t('restore.sameSite')}`}
		: {text: `! ${t('restore.foreign', {url: info.originalWwwroot})}`, color: 'yellow', bold: true});
	if (!precheck) lines.push({text: `  ${t('restore.noUsers')}`});
	else {
		if (precheck.conflicts.length > 0) {
			lines.push({text: `! ${t('restore.conflicts', {count: precheck.conflicts.length, list: precheck.conflicts.map(conflict => conflict.username).join(', ')})}`, color: 'red', bold: true});
			lines.push({text: `  ${t('restore.conflictAdvice')}`, color: 'yellow'});
		}
		lines.push({text: `  ${t('restore.toCreate', {count: precheck.toCreate.length, mapped: precheck.toMap.length})}`});
	}
	for (const warning of confirmation.warnings) lines.push({text: `! ${noticeIn(i18n, warning)}`, color: 'yellow'});
	lines.push({text: ''}, {text: t('restore.detailsTitle'), bold: true});
	const field = (label: MessageKey, value: string | number): string => t('common.labelValue', {label: t(label), value});
	lines.push({text: `  ${field('restore.type', nameIn(t, 'backupType', info.type))} · ${field('restore.format', nameIn(t, 'backupFormat', info.format))} · ${field('restore.mode', nameIn(t, 'backupMode', String(info.mode)))}`});
	lines.push({text: `  ${field('restore.date', `${formatTime(info.backupDate)} UTC`)}`});
	lines.push({text: `  ${field('restore.moodleVersion', `${info.moodleRelease} (${info.moodleVersion})`)} · ${field('restore.backupVersion', info.backupVersion)}`});
	lines.push({text: `  ${field('restore.url', info.originalWwwroot)}`});
	if (details) {
		const {counts} = details;
		lines.push({text: `  ${t('restore.contents', {users: counts.users, files: counts.files, size: formatSize(counts.fileBytes, lang), questions: counts.questions, groups: counts.groups})}`});
		const methods = Object.entries(counts.enrolMethods).map(([method, count]) => `${nameIn(t, 'enrol', method)} ${count}`).join(', ');
		if (methods) lines.push({text: `  ${t('restore.enrolMethods', {list: methods})}`});
	}
	lines.push({text: ''}, {text: t('restore.backupSettings'), bold: true});
	for (const [name, value] of Object.entries(info.rootSettings)) {
		if (name === 'filename') continue;
		const on = value !== '' && value !== '0';
		lines.push({text: `  ${on ? t('common.on') : t('common.off')} ${settingLabelIn(lang, name, settingLabel(name))}`, dim: !on});
	}
	lines.push({text: ''}, {text: t('restore.courseDetails'), bold: true});
	lines.push({text: `  ${field('restore.courseTitle', `${info.originalCourseFullname} (${info.originalCourseShortname})`)} · ${field('restore.originalId', info.originalCourseId)}`});
	lines.push({text: ''}, {text: t('restore.sections'), bold: true});
	const sectionIds = new Set(info.sections.map(section => section.sectionId));
	const activityLine = (activity: RestoreConfirmation['info']['activities'][number]) => ({
		text: `      ${activity.included ? '[x]' : '[ ]'} ${activity.title} (${nameIn(t, 'mod', activity.modulename)}) · ${activity.userinfo ? `[x] ${t('restore.userInfo')}` : `[ ] ${t('restore.noUserInfo')}`}`,
		dim: !activity.included,
	});
	for (const section of info.sections) {
		lines.push({text: `  ${section.included ? '[x]' : '[ ]'} ${sectionDisplayName(section.title, t)} · ${section.userinfo ? `[x] ${t('restore.userInfo')}` : `[ ] ${t('restore.noUserInfo')}`}`, dim: !section.included});
		for (const activity of info.activities.filter(candidate => candidate.sectionId === section.sectionId)) lines.push(activityLine(activity));
	}
	for (const activity of info.activities.filter(candidate => !sectionIds.has(candidate.sectionId))) lines.push(activityLine(activity));
	return lines;
}

/** Step 1 Confirm: the backup's details and the precheck; Enter continues unless the backup cannot be restored. */
export function ConfirmStep({confirmation, details, onNext, onBack}: {confirmation: RestoreConfirmation; details?: BackupDetails; onNext(): void; onBack(): void}) {
	const i18n = useI18n();
	const {t} = i18n;
	const shell = useShell();
	const layout = useLayout();
	useFooterKeys([t('keys.move'), t('keys.next'), t('keys.back'), t('keys.quit')]);
	const lines = confirmationLines(confirmation, i18n, details);
	return (
		<Box flexDirection="column">
			<TextView lines={lines} height={Math.max(3, layout.bodyRows - 5)} onUnhandled={stroke => {
				if (isKey(stroke, 'return')) {
					if (confirmation.errors.length === 0) onNext();
				} else handleNavigationKey(stroke, shell, onBack);
			}} />
		</Box>
	);
}
