import {useI18n} from '../i18n/index.js';
import {ProgressStep, type ProgressView} from '../backup/progress-step.js';

/** Step 6 Process: the restore runs in one transaction; Ctrl-C cancels it and the engine rolls everything back. */
export function ProcessStep({progress, cancelling, onCancel}: {progress?: ProgressView; cancelling: boolean; onCancel(): void}) {
	const {t} = useI18n();
	return <ProgressStep title={t('restore.processing')} progress={progress} onCancel={onCancel} cancelling={cancelling} cancellingText={t('restore.cancelling')} />;
}
