import {Box, Text} from 'ink';
import type {RestoreResult} from '../../engine/restore/types.js';
import {useFooterKeys, useLayout} from '../app-context.js';
import {noticeIn, useI18n} from '../i18n/index.js';
import {isKey} from '../keys.js';
import {TextView, type TextLine} from '../widgets/text-view/text-view.js';
import {countsText} from './restore-labels.js';

/** Step 7 Complete: what was created, the warnings, and what to check next; or how it ended when it did not finish. */
export function CompleteStep({result, outcome, error, onDone}: {result?: RestoreResult; outcome?: 'cancelled' | 'failed'; error?: string; onDone(): void}) {
	const i18n = useI18n();
	const {t} = i18n;
	const layout = useLayout();
	useFooterKeys([t('keys.move'), t('keys.continue')]);
	const lines: TextLine[] = [];
	if (!result) {
		lines.push({text: error ?? '', color: outcome === 'cancelled' ? 'yellow' : 'red', bold: true});
	} else {
		lines.push({text: `✓ ${t('restore.created', {fullname: result.fullname, shortname: result.shortname, id: result.courseId})}`, color: 'green', bold: true});
		lines.push({text: t('restore.usersCreated', {created: result.usersCreated.length, mapped: result.usersMapped.length})});
		const counts = countsText(result.counts, t);
		if (counts) lines.push({text: counts});
		if (result.warnings.length > 0) {
			lines.push({text: t('restore.warnings'), color: 'yellow', bold: true});
			for (const warning of result.warnings) lines.push({text: `  ! ${noticeIn(i18n, warning)}`, color: 'yellow'});
		}
		// Participants are worth checking only when users were enrolled.
		const enrolled = (result.counts['userEnrolments'] ?? 0) > 0;
		lines.push({text: ''}, {text: t(enrolled ? 'restore.checkNext' : 'restore.checkNextNoUsers'), bold: true});
	}
	return (
		<Box flexDirection="column">
			<Text bold>{t('restore.completeTitle')}</Text>
			<TextView lines={lines} height={Math.max(3, layout.bodyRows - 5)} onUnhandled={stroke => {
				if (isKey(stroke, 'return') || isKey(stroke, 'escape')) onDone();
			}} />
		</Box>
	);
}
