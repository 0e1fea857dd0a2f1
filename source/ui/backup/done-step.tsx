import {Box, Text} from 'ink';
import type {BackupResult} from '../../engine/backup/run-backup.js';
import {useFooterKeys} from '../app-context.js';
import {noticeIn, useI18n} from '../i18n/index.js';
import {isKey, useKeys} from '../keys.js';
import {formatSize} from '../format.js';

/** Step 5: where the backup went, its size, and how to restore it; or why it failed. */
export function BackupDoneStep({result, error, area, onDone}: {result?: BackupResult; error?: string; area: 'course' | 'user'; onDone(): void}) {
	const i18n = useI18n();
	const {t} = i18n;
	useFooterKeys([t('keys.continue')]);
	useKeys(stroke => {
		if (isKey(stroke, 'return') || isKey(stroke, 'escape')) onDone();
	});
	if (error || !result) {
		return <Box flexDirection="column"><Text color="red" wrap="wrap">{error ?? ''}</Text><Text dimColor>{t('keys.continue')}</Text></Box>;
	}
	return (
		<Box flexDirection="column">
			<Text bold color="green">✓ {t('backup.doneTitle')}</Text>
			<Text wrap="truncate-middle">{t('backup.donePath', {path: result.path ?? result.filename})}</Text>
			<Text>{t('backup.doneSize', {size: formatSize(result.bytes, i18n.lang)})}</Text>
			{result.areaFileId !== undefined ? <Text>{t('backup.doneArea', {area: t(`area.${area}`), id: result.areaFileId})}</Text> : null}
			<Text wrap="wrap">{result.filename.toLowerCase().endsWith('.imscc')
				? t('backup.doneCartridge', {id: result.areaFileId ?? ''})
				: result.areaFileId !== undefined
					? t('backup.doneHowToRestoreArea', {id: result.areaFileId})
					: t('backup.doneHowToRestore', {file: result.path ?? result.filename})}</Text>
			{result.warnings.map(warning => <Text key={warning.text} color="yellow" wrap="wrap">! {noticeIn(i18n, warning)}</Text>)}
			<Text dimColor>{t('keys.continue')}</Text>
		</Box>
	);
}
