import {Box, Text} from 'ink';
import {useI18n} from '../../i18n/index.js';

export function formatDuration(seconds: number): string {
	const whole = Math.max(0, Math.round(seconds));
	if (whole < 60) return `${whole} s`;
	const minutes = Math.floor(whole / 60);
	if (minutes < 60) return `${minutes} min ${String(whole % 60).padStart(2, '0')} s`;
	return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Seconds left at the pace so far; undefined until there is a pace to go by. */
export function estimateRemaining(done: number, total: number, elapsedMs: number): number | undefined {
	if (done <= 0 || total <= 0 || done >= total || elapsedMs <= 0) return undefined;
	return (elapsedMs / done) * (total - done) / 1000;
}

export type ProgressBarProps = {
	done: number; total: number; item: string; stage?: string; startedAt: number; now?: number; width: number;
	/** How done and total are written (bytes, say); plain numbers by default. */
	format?: (amount: number) => string;
};

/** A bar drawn with # and - (readable without colour), done/total, the current item and the time left. */
export function ProgressBar({done, total, item, stage, startedAt, now = Date.now(), width, format = String}: ProgressBarProps) {
	const {t} = useI18n();
	const ratio = total > 0 ? Math.min(1, done / total) : 0;
	const barWidth = Math.max(10, Math.min(50, width - 20));
	const filled = Math.round(ratio * barWidth);
	const remaining = estimateRemaining(done, total, now - startedAt);
	return (
		<Box flexDirection="column">
			<Text>
				[<Text color="green">{'#'.repeat(filled)}</Text>{'-'.repeat(barWidth - filled)}] {Math.round(ratio * 100)}% {format(done)}/{format(total)}
			</Text>
			<Text wrap="truncate-end">{stage && item ? t('progress.stageItem', {stage, item}) : stage || item}</Text>
			<Text dimColor>{done >= total && total > 0 ? t('progress.done') : remaining === undefined ? ' ' : t('progress.eta', {time: formatDuration(remaining)})}</Text>
		</Box>
	);
}
