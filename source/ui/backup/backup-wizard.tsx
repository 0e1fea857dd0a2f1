import {Box, Text} from 'ink';
import {useCallback, useEffect, useReducer, useRef, useState} from 'react';
import {backupFileName} from '../../engine/backup/file-name.js';
import {planBackup} from '../../engine/backup/plan-backup.js';
import {runBackup} from '../../engine/backup/run-backup.js';
import {CancelledError} from '../../engine/errors.js';
import {useServices} from '../app-context.js';
import {useI18n} from '../i18n/index.js';
import {StepBar} from '../widgets/step-bar/step-bar.js';
import {useLayout} from '../app-context.js';
import {BACKUP_STEPS, backupWizardReducer, initialBackupState} from './backup-state.js';
import {BackupConfirmStep} from './confirm-step.js';
import {CourseStep} from './course-step.js';
import {BackupDoneStep} from './done-step.js';
import {ProgressStep} from './progress-step.js';
import {BackupSchemaStep} from './schema-step.js';
import {BackupSettingsStep} from './settings-step.js';
import {cartridgeName} from '../../engine/backup/imscc/export-imscc.js';

/**
 * Where the wizard starts: the admin's defaults (Settings → Default backup settings, which `mbz backup` uses too),
 * then the wizard's last used choices, except where the admin locked a setting.
 */
export function wizardDefaults(defaults: Readonly<Record<string, boolean>> = {}, lastUsed: Readonly<Record<string, boolean>> = {}): Record<string, boolean> {
	const merged = {...defaults};
	for (const [name, value] of Object.entries(lastUsed)) if (defaults[`${name}_locked`] !== true) merged[name] = value;
	return merged;
}

/** Moodle's backup: course → initial settings → schema → confirmation (file name) → perform → complete. */
export function BackupWizard({onExit}: {onExit(): void}) {
	const {t, lang} = useI18n();
	const {site, prefs} = useServices();
	const layout = useLayout();
	const [state, dispatch] = useReducer(backupWizardReducer, initialBackupState);
	const [loading, setLoading] = useState(false);
	const abort = useRef<AbortController | undefined>(undefined);
	const [cancelling, setCancelling] = useState(false);
	const {plan, structure, course} = state;

	const users = plan ? plan.isOn('users') : true;
	const anonymized = plan ? plan.isOn('anonymize') : false;
	// Moodle keeps backups without users (or anonymised) in the user's private area.
	const area: 'course' | 'user' = users && !anonymized ? 'course' : 'user';
	const mbzName = plan && course
		? backupFileName({type: 'course', id: course.id, name: course.shortname, users, anonymized, files: plan.isOn('files'), lang, ...(structure?.timeZone ? {timeZone: structure.timeZone} : {})})
		: '';
	// A cartridge is saved as .imscc: the name shown is the name written.
	const defaultName = plan?.isOn('imscc11') ? cartridgeName(mbzName) : mbzName;

	const perform = useCallback((filename: string) => {
		if (!plan || !course) return;
		const controller = new AbortController();
		abort.current = controller;
		setCancelling(false);
		dispatch({type: 'go', step: 'progress'});
		plan.set('filename', filename);
		// The choices are where the wizard's next backup starts (last used settings); a cartridge is a one-off export.
		const root: Record<string, boolean> = {};
		for (const item of plan.list('root')) if (item.type === 'bool' && item.name !== 'imscc11') root[item.name] = plan.chosen(item.name) === true;
		prefs.set('backupLastUsed', root);
		runBackup(site, {
			type: 'course', id: course.id, settings: plan, destination: {area}, filename, lang, signal: controller.signal,
			onProgress: progress => dispatch({type: 'progress', ...progress, now: Date.now()}),
		}).then(
			result => dispatch({type: 'finished', result}),
			(error: unknown) => dispatch({
				type: 'failed',
				error: error instanceof CancelledError || controller.signal.aborted ? t('backup.cancelled') : t('backup.failed', {message: error instanceof Error ? error.message : String(error)}),
			}),
		);
	}, [plan, course, site, prefs, area, lang, t]);

	const cancel = useCallback(() => {
		setCancelling(true);
		abort.current?.abort();
	}, []);

	useEffect(() => () => abort.current?.abort(), []);

	const changed = () => dispatch({type: 'changed'});
	const back = () => dispatch({type: 'back'});
	let body;
	switch (state.step) {
		case 'course':
			body = loading ? <Text>{t('common.loading')}</Text> : <CourseStep {...(course ? {selectedId: course.id} : {})} onBack={onExit} onChoose={chosen => {
				if (course?.id === chosen.id && plan) {
					dispatch({type: 'go', step: 'settings'});
					return;
				}
				setLoading(true);
				planBackup(site.db, 'course', chosen.id, {adminDefaults: wizardDefaults(prefs.get('backupDefaults'), prefs.get('backupLastUsed'))}).then(
					planned => dispatch({type: 'planned', course: chosen, plan: planned.plan, structure: planned.structure}),
					(error: Error) => dispatch({type: 'failed', error: error.message}),
				).finally(() => setLoading(false));
			}} />;
			break;
		case 'settings':
			body = <BackupSettingsStep plan={plan!} onChanged={changed} onNext={() => dispatch({type: 'go', step: 'schema'})} onJump={() => dispatch({type: 'go', step: 'confirm'})} onBack={back} />;
			break;
		case 'schema':
			body = <BackupSchemaStep plan={plan!} structure={structure!} onChanged={changed} onNext={() => dispatch({type: 'go', step: 'confirm'})} onBack={back} />;
			break;
		case 'confirm':
			body = <BackupConfirmStep plan={plan!} structure={structure!} courseName={`${course!.fullname} (${course!.shortname})`}
				filename={state.filename ?? defaultName} onFilename={name => dispatch({type: 'filename', filename: name})} onPerform={perform} onBack={back} />;
			break;
		case 'progress':
			body = <ProgressStep title={t('backup.performing')} progress={state.progress} onCancel={cancel} cancelling={cancelling} cancellingText={t('backup.cancelled')} />;
			break;
		case 'done':
			body = <BackupDoneStep {...(state.result ? {result: state.result} : {})} {...(state.error ? {error: state.error} : {})} area={area} onDone={onExit} />;
			break;
	}
	const labels = [t('steps.backupSettings'), t('steps.backupSchema'), t('steps.backupConfirm'), t('steps.backupPerform'), t('steps.backupComplete')];
	const current = Math.max(0, BACKUP_STEPS.indexOf(state.step) - 1);
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate-end">{course ? t('common.labelValue', {label: t('backup.title'), value: course.fullname}) : t('backup.title')}</Text>
			{state.step !== 'course' ? <StepBar labels={labels} current={current} width={layout.columns} /> : null}
			{state.error && state.step !== 'done' ? <Text color="red">{state.error}</Text> : null}
			{body}
		</Box>
	);
}
