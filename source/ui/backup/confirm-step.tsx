import {Box, Text} from 'ink';
import {TextField} from '../widgets/text-field/text-field.js';
import {useRef, useState} from 'react';
import type {BackupStructure} from '../../engine/backup/course-structure.js';
import type {SettingsPlan} from '../../engine/settings/settings-plan.js';
import {activitySettingName, sectionSettingName} from '../../engine/settings/names.js';
import {handleNavigationKey, useFooterKeys, useShell} from '../app-context.js';
import {noticeIn, settingLabelIn, useI18n} from '../i18n/index.js';
import {notice} from '../../engine/notices.js';
import {CARTRIDGE_ACTIVITY_TYPES} from '../../engine/backup/imscc/convert-activity.js';
import {useKeys} from '../keys.js';

export function isValidBackupFilename(name: string, extension = '.mbz'): boolean {
	const trimmed = name.trim();
	return trimmed.toLowerCase().endsWith(extension) && trimmed.length > extension.length && !/[\\/:]/u.test(trimmed);
}

/** Step 3: what the backup will hold, and its file name (editable; Moodle's default follows the settings). */
export function BackupConfirmStep({plan, structure, courseName, filename, onFilename, onPerform, onBack}: {
	plan: SettingsPlan; structure: BackupStructure; courseName: string; filename: string;
	onFilename(name: string): void; onPerform(name: string): void; onBack(): void;
}) {
	const i18n = useI18n();
	const {t, lang} = i18n;
	const shell = useShell();
	const latest = useRef(filename);
	const [invalid, setInvalid] = useState(false);
	const extension = plan.isOn('imscc11') ? '.imscc' : '.mbz';
	useFooterKeys([t('keys.performBackup'), t('keys.backEsc')]);
	// The text field takes letters, so only Esc goes back here.
	useKeys(stroke => {
		handleNavigationKey(stroke, shell, onBack, true);
	});
	const root = plan.list('root').filter(item => item.visible && item.type === 'bool' && plan.isOn(item.name));
	const sections = structure.sectionRefs.filter(section => plan.isOn(sectionSettingName(section.id, 'included'))).length;
	const includedActivities = structure.activityRefs.filter(activity => plan.isOn(activitySettingName(activity.modname, activity.cmid, 'included')));
	const activities = includedActivities.length;
	// Said before the export: what a cartridge cannot hold (books, assignments, ...) is left out of it.
	const cartridge = plan.has('imscc11') && plan.isOn('imscc11');
	const outsideCartridge = includedActivities.filter(activity => !CARTRIDGE_ACTIVITY_TYPES.has(activity.modname)).length;
	return (
		<Box flexDirection="column">
			<Text bold>{t('backup.confirmTitle')}</Text>
			<Text wrap="truncate-end">{t('backup.summaryCourse', {name: courseName})}</Text>
			<Text wrap="wrap">{t('backup.summarySettings', {list: root.map(item => settingLabelIn(lang, item.name, item.label)).join(', ') || t('common.none')})}</Text>
			<Text>{t('backup.summaryContent', {sections, activities, excluded: structure.activityRefs.length - activities})}</Text>
			{cartridge && outsideCartridge > 0 ? <Text color="yellow">! {t('backup.notInCartridge', {count: outsideCartridge})}</Text> : null}
			{!cartridge && !plan.isOn('files') ? <Text color="yellow" wrap="wrap">! {noticeIn(i18n, notice('backupWithoutFiles'))}</Text> : null}
			<Box marginTop={1}>
				<Text bold>{t('common.labelValue', {label: t('backup.filename'), value: ''})}</Text>
				<TextField value={filename} reserved={Array.from(t('common.labelValue', {label: t('backup.filename'), value: ''})).length}
					onChange={value => {
						latest.current = value;
						onFilename(value);
					}}
					onSubmit={() => {
						// The ref holds the last keystroke even when onSubmit runs before a re-render.
						const name = latest.current.trim();
						if (!isValidBackupFilename(name, extension)) setInvalid(true);
						else onPerform(name);
					}} />
			</Box>
			{invalid ? <Text color="red">{t('backup.filenameInvalid', {extension})}</Text> : null}
			<Text dimColor>{t('keys.performBackup')}</Text>
		</Box>
	);
}
