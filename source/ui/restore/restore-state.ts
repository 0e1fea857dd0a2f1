import type {BackupDetails} from '../../engine/details/index.js';
import type {RestorePlan} from '../../engine/restore/restore-plan.js';
import type {RestoreConfirmation, RestoreDestination, RestoreResult, RestoreReview} from '../../engine/restore/types.js';

export type RestoreStep = 'file' | 'confirm' | 'destination' | 'settings' | 'schema' | 'review' | 'process' | 'complete';

/** Index in the step bar (choosing the file is part of step 1, Confirm). */
export const STEP_BAR_INDEX: Record<RestoreStep, number> = {file: 0, confirm: 0, destination: 1, settings: 2, schema: 3, review: 4, process: 5, complete: 6};

const PREVIOUS: Partial<Record<RestoreStep, RestoreStep>> = {confirm: 'file', destination: 'confirm', settings: 'destination', schema: 'settings', review: 'schema'};

export type DestinationChoice = {target: RestoreDestination['target']; categoryId?: number; courseId?: number};

/** Everything chosen so far; the restore plan keeps the settings, so going back loses nothing. */
export type RestoreWizardState = {
	step: RestoreStep;
	file?: string;
	plan?: RestorePlan;
	confirmation?: RestoreConfirmation;
	/** Counts read from the backup (RestorePlan.details()); optional, the Confirm page works without them. */
	details?: BackupDetails;
	/** The target kind chosen on the Destination step (new / merge / replace), before its course or category. */
	target: RestoreDestination['target'];
	destination?: RestoreDestination;
	review?: RestoreReview;
	progress?: {stage: string; item: string; done: number; total: number; startedAt: number};
	/** How much of the archive the backup being opened has been read (bytes). */
	opening?: {done: number; total: number; startedAt: number};
	result?: RestoreResult;
	outcome?: 'cancelled' | 'failed';
	error?: string;
	busy: boolean;
	version: number;
};

export type RestoreWizardAction =
	| {type: 'busy'}
	| {type: 'openingProgress'; done: number; total: number; now: number}
	| {type: 'opened'; file: string; plan: RestorePlan; confirmation: RestoreConfirmation; details?: BackupDetails}
	| {type: 'go'; step: RestoreStep}
	| {type: 'back'}
	| {type: 'target'; target: RestoreDestination['target']}
	| {type: 'destination'; destination: RestoreDestination}
	| {type: 'reviewed'; review: RestoreReview}
	| {type: 'changed'}
	| {type: 'progress'; stage: string; item: string; done: number; total: number; now: number}
	| {type: 'finished'; result: RestoreResult}
	| {type: 'ended'; outcome: 'cancelled' | 'failed'; error: string}
	| {type: 'error'; error: string};

export const initialRestoreState: RestoreWizardState = {step: 'file', target: 'new', busy: false, version: 0};

export function restoreWizardReducer(state: RestoreWizardState, action: RestoreWizardAction): RestoreWizardState {
	switch (action.type) {
		case 'busy':
			return {...state, busy: true, error: undefined, opening: undefined};
		case 'openingProgress':
			return {...state, opening: {done: action.done, total: action.total, startedAt: state.opening?.startedAt ?? action.now}};
		case 'opened':
			return {...initialRestoreState, file: action.file, plan: action.plan, confirmation: action.confirmation, step: 'confirm',
				...(action.details ? {details: action.details} : {}),
				target: action.confirmation.info.type === 'course' ? 'new' : 'merge'};
		case 'go':
			return {...state, step: action.step, busy: false, error: undefined};
		case 'back': {
			const previous = PREVIOUS[state.step];
			return previous ? {...state, step: previous, busy: false, error: undefined} : state;
		}
		case 'target':
			return {...state, target: action.target};
		case 'destination':
			return {...state, destination: action.destination, step: 'settings', busy: false, error: undefined};
		case 'reviewed':
			return {...state, review: action.review, step: 'review', busy: false, error: undefined};
		case 'changed':
			return {...state, version: state.version + 1, error: undefined};
		case 'progress':
			return {...state, progress: {stage: action.stage, item: action.item, done: action.done, total: action.total, startedAt: state.progress?.startedAt ?? action.now}};
		case 'finished':
			return {...state, step: 'complete', result: action.result, busy: false};
		case 'ended':
			return {...state, step: 'complete', outcome: action.outcome, error: action.error, busy: false};
		case 'error':
			return {...state, busy: false, error: action.error, opening: undefined};
	}
}
