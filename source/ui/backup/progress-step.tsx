import {Box, Text} from 'ink';
import {useEffect, useRef} from 'react';
import {useFooterKeys, useLayout, useShell} from '../app-context.js';
import {useI18n, type Translate} from '../i18n/index.js';
import {ProgressBar} from '../widgets/progress-bar/progress-bar.js';

export type ProgressView = {stage: string; item: string; done: number; total: number; startedAt: number};

const STAGES = ['activities', 'activity', 'archive', 'course', 'done', 'enrolments', 'files', 'final', 'gradebook', 'groups', 'links', 'logs', 'questions', 'roles', 'section', 'sections', 'users'] as const;

/** The engine's stage (backup or restore) in the interface's language; an unknown one as it is. */
export function stageLabel(stage: string, t: Translate): string {
	return (STAGES as readonly string[]).includes(stage) ? t(`stage.${stage as typeof STAGES[number]}`) : stage;
}

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
				? <ProgressBar done={progress.done} total={progress.total} item={progress.item} stage={stageLabel(progress.stage, t)} startedAt={progress.startedAt} width={layout.columns} />
				: <Text>{t('common.loading')}</Text>}
			{cancelling ? <Text color="yellow">{cancellingText}</Text> : null}
		</Box>
	);
}
