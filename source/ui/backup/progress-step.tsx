import {Box, Text} from 'ink';
import {useEffect, useRef} from 'react';
import {useFooterKeys, useLayout, useShell} from '../app-context.js';
import {nameIn, useI18n} from '../i18n/index.js';
import {ProgressBar} from '../widgets/progress-bar/progress-bar.js';
import {sectionDisplayName} from '../format.js';

/** Stages whose item is a section's title (a number when the section has no name). */
const SECTION_STAGES = new Set(['section', 'sections']);

export type ProgressView = {stage: string; item: string; done: number; total: number; startedAt: number};

/** Step 4: the running operation; Ctrl-C aborts it (the engine leaves nothing behind). */
export function ProgressStep({title, progress, onCancel, cancelling, cancellingText}: {title: string; progress: ProgressView | undefined; onCancel(): void; cancelling: boolean; cancellingText: string}) {
	const {t} = useI18n();
	const shell = useShell();
	const layout = useLayout();
	useFooterKeys([t('keys.cancel')]);
	// The first Ctrl-C cancels; another one while the cancellation is under way offers to quit.
	const cancelled = useRef(false);
	useEffect(() => {
		shell.setCtrlCHandler(() => {
			if (cancelled.current) {
				shell.requestQuit();
				return;
			}
			cancelled.current = true;
			onCancel();
		});
		return () => shell.setCtrlCHandler(undefined);
	}, [shell, onCancel]);
	return (
		<Box flexDirection="column">
			<Text bold>{title}</Text>
			{progress
				? <ProgressBar done={progress.done} total={progress.total} item={SECTION_STAGES.has(progress.stage) ? sectionDisplayName(progress.item, t) : progress.item} stage={nameIn(t, 'stage', progress.stage)} startedAt={progress.startedAt} width={layout.columns} />
				: <Text>{t('common.loading')}</Text>}
			{cancelling ? <Text color="yellow">{cancellingText}</Text> : null}
		</Box>
	);
}
