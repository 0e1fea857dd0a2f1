import type {BackupResult} from '../../engine/backup/run-backup.js';
import type {BackupStructure} from '../../engine/backup/course-structure.js';
import type {CourseSummary} from '../../engine/catalog.js';
import type {SettingsPlan} from '../../engine/settings/settings-plan.js';

export type BackupStep = 'course' | 'settings' | 'schema' | 'confirm' | 'progress' | 'done';

export const BACKUP_STEPS: readonly BackupStep[] = ['course', 'settings', 'schema', 'confirm', 'progress', 'done'];

/** Everything chosen so far; going back keeps it all (the settings plan holds the setting choices). */
export type BackupWizardState = {
	step: BackupStep;
	course?: CourseSummary;
	plan?: SettingsPlan;
	structure?: BackupStructure;
	/** The file name as typed; undefined while the default (which follows the settings) is used. */
	filename?: string;
	progress?: {stage: string; item: string; done: number; total: number; startedAt: number};
	result?: BackupResult;
	error?: string;
	/** Bumped when the mutable settings plan changes, to re-render. */
	version: number;
};

export type BackupWizardAction =
	| {type: 'planned'; course: CourseSummary; plan: SettingsPlan; structure: BackupStructure}
	| {type: 'go'; step: BackupStep}
	| {type: 'back'}
	| {type: 'changed'}
	| {type: 'filename'; filename: string}
	| {type: 'progress'; stage: string; item: string; done: number; total: number; now: number}
	| {type: 'finished'; result: BackupResult}
	| {type: 'failed'; error: string};

export const initialBackupState: BackupWizardState = {step: 'course', version: 0};

const PREVIOUS: Partial<Record<BackupStep, BackupStep>> = {settings: 'course', schema: 'settings', confirm: 'schema'};

export function backupWizardReducer(state: BackupWizardState, action: BackupWizardAction): BackupWizardState {
	switch (action.type) {
		case 'planned':
			return {...state, course: action.course, plan: action.plan, structure: action.structure, step: 'settings', error: undefined, filename: undefined};
		case 'go':
			return {...state, step: action.step, error: undefined, ...(action.step === 'progress' ? {progress: undefined, result: undefined} : {})};
		case 'back': {
			const previous = PREVIOUS[state.step];
			return previous ? {...state, step: previous, error: undefined} : state;
		}
		case 'changed':
			return {...state, version: state.version + 1, error: undefined};
		case 'filename':
			return {...state, filename: action.filename};
		case 'progress':
			return {...state, progress: {stage: action.stage, item: action.item, done: action.done, total: action.total, startedAt: state.progress?.startedAt ?? action.now}};
		case 'finished':
			return {...state, step: 'done', result: action.result};
		case 'failed':
			return {...state, step: state.step === 'progress' ? 'done' : state.step, error: action.error};
	}
}
