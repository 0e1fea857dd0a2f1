import {Box, Text} from 'ink';
import type {BackupResult} from '../../engine/backup/run-backup.js';
import {useFooterKeys, useLayout} from '../app-context.js';
import {noticeIn, useI18n} from '../i18n/index.js';
import {isKey} from '../keys.js';
import {formatSize} from '../format.js';
import {TextView, type TextLine} from '../widgets/text-view/text-view.js';

/** Step 5: where the backup went, its size, and how to restore it; or why it failed. Scrolls when it is long. */
export function BackupDoneStep({result, error, area, onDone}: {result?: BackupResult; error?: string; area: 'course' | 'user'; onDone(): void}) {
	const i18n = useI18n();
	const {t} = i18n;
	const layout = useLayout();
	useFooterKeys([t('keys.move'), t('keys.continue')]);
	const lines: TextLine[] = [];
	if (error || !result) {
		lines.push({text: error ?? '', color: 'red'});
	} else {
		lines.push({text: `✓ ${t('backup.doneTitle')}`, color: 'green', bold: true});
		lines.push({text: t('backup.donePath', {path: result.path ?? result.filename})});
		lines.push({text: t('backup.doneSize', {size: formatSize(result.bytes, i18n.lang)})});
		if (result.areaFileId !== undefined) lines.push({text: t('backup.doneArea', {area: t(`area.${area}`), id: result.areaFileId})});
		lines.push({text: result.filename.toLowerCase().endsWith('.imscc')
			? t('backup.doneCartridge', {id: result.areaFileId ?? ''})
			: result.areaFileId !== undefined
				? t('backup.doneHowToRestoreArea', {id: result.areaFileId})
				: t('backup.doneHowToRestore', {file: result.path ?? result.filename})});
		for (const warning of result.warnings) lines.push({text: `! ${noticeIn(i18n, warning)}`, color: 'yellow'});
	}
	return (
		<Box flexDirection="column">
			<TextView lines={lines} height={Math.max(3, layout.bodyRows - 3)} onUnhandled={stroke => {
				if (isKey(stroke, 'return') || isKey(stroke, 'escape')) onDone();
			}} />
			<Text dimColor>{t('keys.continue')}</Text>
		</Box>
	);
}
