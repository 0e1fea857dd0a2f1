import {Box, Text} from 'ink';
import {useCallback, useEffect, useReducer, useRef, useState} from 'react';
import type {AreaFile} from '../../engine/areas/index.js';
import {CancelledError} from '../../engine/errors.js';
import type {RestorePlan} from '../../engine/restore/restore-plan.js';
import type {RestoreDestination} from '../../engine/restore/types.js';
import {useLayout, useServices} from '../app-context.js';
import {errorIn, useI18n} from '../i18n/index.js';
import {rm} from 'node:fs/promises';
import {basename, dirname} from 'node:path';
import {exportForRestore, isExportedCopy} from '../screens/areas-screen.js';
import {StepBar} from '../widgets/step-bar/step-bar.js';
import {CompleteStep} from './complete-step.js';
import {ConfirmStep} from './confirm-step.js';
import {DestinationStep} from './destination-step.js';
import {FileStep} from './file-step.js';
import {ProcessStep} from './process-step.js';
import {initialRestoreState, restoreWizardReducer, STEP_BAR_INDEX} from './restore-state.js';
import {ReviewStep} from './review-step.js';
import {RestoreSchemaStep} from './schema-step.js';
import {RestoreSettingsStep} from './settings-step.js';

function sameDestination(a: RestoreDestination | undefined, b: RestoreDestination): boolean {
	return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Moodle's seven restore steps. Nothing is written to the site before Process: the earlier steps only read the
 * backup and the site through the restore plan.
 */
export function RestoreWizard({initialFile, onExit}: {initialFile?: string; onExit(): void}) {
	const i18n = useI18n();
	const {t, lang} = i18n;
	const {site} = useServices();
	const layout = useLayout();
	const [state, dispatch] = useReducer(restoreWizardReducer, initialRestoreState);
	const planRef = useRef<RestorePlan | undefined>(undefined);
	const copies = useRef(new Set<string>());
	const abort = useRef<AbortController | undefined>(undefined);
	const [cancelling, setCancelling] = useState(false);
	const fail = (error: unknown) => dispatch({type: 'error', error: errorIn(i18n, error)});

	/** Cancels the archive pass of a backup being opened when the wizard goes away (Ctrl-C, quit). */
	const opening = useRef<AbortController | undefined>(undefined);

	const open = useCallback(async (file: string) => {
		dispatch({type: 'busy'});
		if (isExportedCopy(file)) copies.current.add(dirname(file));
		opening.current?.abort();
		const controller = new AbortController();
		opening.current = controller;
		try {
			const {openRestore} = await import('../../engine/restore/restore-plan.js');
			const onProgress = (done: number, total: number) => dispatch({type: 'openingProgress', done, total, now: Date.now()});
			const plan = await openRestore(site, file, {signal: controller.signal, onProgress, lang});
			// The counts are extra information: the Confirm page still opens if they cannot be read.
			const details = await plan.details().catch(() => undefined);
			await planRef.current?.close();
			planRef.current = plan;
			dispatch({type: 'opened', file, plan, confirmation: await plan.confirm(), ...(details ? {details} : {})});
		} catch (error) {
			dispatch({type: 'error', error: t('restore.openFailed', {message: errorIn(i18n, error)})});
		}
	}, [site, t, lang]);

	useEffect(() => {
		if (initialFile) void open(initialFile);
		return () => {
			abort.current?.abort();
			opening.current?.abort();
			void planRef.current?.close();
			// Copies exported from a backup area for this restore are not the admin's files: removed on leaving.
			for (const dir of copies.current) void rm(dir, {recursive: true, force: true});
		};
	}, []);

	const chooseArea = (file: AreaFile) => {
		dispatch({type: 'busy'});
		exportForRestore(site, file).then(open, fail);
	};

	const chooseDestination = (destination: RestoreDestination) => {
		const plan = state.plan!;
		// Choosing the same destination again keeps the settings chosen after it.
		if (sameDestination(plan.destination, destination)) {
			dispatch({type: 'destination', destination});
			return;
		}
		dispatch({type: 'busy'});
		plan.setDestination(destination).then(() => dispatch({type: 'destination', destination}), fail);
	};

	const toReview = () => {
		dispatch({type: 'busy'});
		state.plan!.review().then(review => dispatch({type: 'reviewed', review}), fail);
	};

	const perform = () => {
		const controller = new AbortController();
		abort.current = controller;
		setCancelling(false);
		dispatch({type: 'go', step: 'process'});
		state.plan!.execute({
			signal: controller.signal,
			onProgress: (stage, item, done, total) => dispatch({type: 'progress', stage, item, done, total, now: Date.now()}),
		}).then(
			result => dispatch({type: 'finished', result}),
			(error: unknown) => {
				if (error instanceof CancelledError || controller.signal.aborted) dispatch({type: 'ended', outcome: 'cancelled', error: t('restore.cancelled')});
				else dispatch({type: 'ended', outcome: 'failed', error: t('restore.failed', {message: errorIn(i18n, error)})});
			},
		);
	};

	const cancel = useCallback(() => {
		setCancelling(true);
		abort.current?.abort();
	}, []);

	const changed = () => dispatch({type: 'changed'});
	const back = () => dispatch({type: 'back'});
	let body;
	switch (state.step) {
		case 'file':
			body = <FileStep busy={state.busy} {...(state.opening ? {opening: state.opening} : {})} onArea={chooseArea} onPath={path => void open(path)} onBack={onExit} />;
			break;
		case 'confirm':
			body = <ConfirmStep confirmation={state.confirmation!} {...(state.details ? {details: state.details} : {})} onNext={() => dispatch({type: 'go', step: 'destination'})} onBack={back} />;
			break;
		case 'destination':
			body = <DestinationStep backupType={state.confirmation!.info.type} target={state.target} busy={state.busy}
				{...(state.plan?.destination ? {current: state.plan.destination} : {})}
				onTarget={target => dispatch({type: 'target', target})} onChoose={chooseDestination} onBack={back} />;
			break;
		case 'settings':
			body = <RestoreSettingsStep plan={state.plan!} onChanged={changed} onNext={() => dispatch({type: 'go', step: 'schema'})} onBack={back} />;
			break;
		case 'schema':
			body = <RestoreSchemaStep plan={state.plan!} onChanged={changed} onNext={toReview} onBack={back} />;
			break;
		case 'review':
			body = <ReviewStep review={state.review!} onPerform={perform} onBack={back} />;
			break;
		case 'process':
			body = <ProcessStep {...(state.progress ? {progress: state.progress} : {})} cancelling={cancelling} onCancel={cancel} />;
			break;
		case 'complete':
			body = <CompleteStep {...(state.result ? {result: state.result} : {})} {...(state.outcome ? {outcome: state.outcome} : {})} {...(state.error ? {error: state.error} : {})} onDone={onExit} />;
			break;
	}

	// A copy exported from a backup area lives in a temporary directory: its name alone is what the admin chose.
	const shownFile = (file: string): string => (isExportedCopy(file) ? basename(file) : file);
	const labels = [t('steps.confirm'), t('steps.destination'), t('steps.settings'), t('steps.schema'), t('steps.review'), t('steps.process'), t('steps.complete')];
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate-middle">{state.file ? t('common.labelValue', {label: t('restore.title'), value: shownFile(state.file)}) : t('restore.title')}</Text>
			<StepBar labels={labels} current={STEP_BAR_INDEX[state.step]} width={layout.columns} />
			{state.error && state.step !== 'complete' ? <Text color="red" wrap="wrap">{state.error}</Text> : null}
			{state.busy && state.step !== 'file' ? <Text>{t('common.loading')}</Text> : null}
			{body}
		</Box>
	);
}
