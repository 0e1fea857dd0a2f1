import {CancelledError} from '../errors.js';
import type {Db} from '../store/db.js';
import type {IdMap} from '../store/id-map.js';
import type {PoolStaging} from '../store/file-pool.js';
import type {Site} from '../store/site.js';
import type {BackupInfo} from './backup-info.js';
import type {EffectiveSettings} from './effective-settings.js';
import type {EnrolmentPlan} from './plan-enrolments.js';
import type {RoleMapping} from './role-mapping.js';
import type {RestoreProgress, RestoreReview} from './types.js';
import type {UserPrecheck} from './user-precheck.js';
import type {BackupXml} from './xml-input.js';
import type {Notice} from '../notices.js';

/** Everything one running restore shares between its steps. `db` is the transaction's handle. */
export type RestoreRun = {
	db: Db;
	site: Site;
	/** The backup's file bodies, staged when the plan opened and promoted after the commit. */
	staging: PoolStaging;
	backup: BackupXml;
	info: BackupInfo;
	review: RestoreReview;
	settings: EffectiveSettings;
	precheck: UserPrecheck | undefined;
	roles: RoleMapping;
	enrolments: EnrolmentPlan | undefined;
	sameSite: boolean;
	ids: IdMap;
	courseId: number;
	courseContextId: number;
	/** The restoring admin (owner of files without a mapped user, modifier of new rows). */
	adminUserId: number;
	dateOffset: number;
	now: number;
	counts: Record<string, number>;
	warnings: Notice[];
	usersCreated: Array<{username: string; id: number}>;
	usersMapped: Array<{username: string; id: number}>;
	/** Work that must run last, after every row exists (content-link decoding). */
	afterAll: Array<() => Promise<void>>;
	/** Reports progress and stops at once when the restore was cancelled. */
	step(stage: string, item: string, done: number, total: number): void;
};

export function progressReporter(file: string, onProgress: RestoreProgress | undefined, signal: AbortSignal | undefined): RestoreRun['step'] {
	return (stage, item, done, total) => {
		if (signal?.aborted) throw restoreCancelled(file);
		onProgress?.(stage, item, done, total);
		if (signal?.aborted) throw restoreCancelled(file);
	};
}

export function restoreCancelled(file: string): CancelledError {
	return new CancelledError(`${file}: restore cancelled: nothing was written`);
}

export function count(run: RestoreRun, kind: string, by = 1): void {
	run.counts[kind] = (run.counts[kind] ?? 0) + by;
}

/** A mapped user id, or undefined when the user was not restored (Moodle then skips the dependent row). */
export function userId(run: RestoreRun, oldId: number): number | undefined {
	if (!oldId) return undefined;
	const mapped = run.ids.get('user', oldId);
	return mapped ? mapped : undefined;
}

/**
 * Where a membership or role assignment came from (`component`, `itemid`), on this site. Rows of an enrolment
 * method converted to manual enrolments become plain ones; rows of a method that was not restored are dropped
 * (undefined); other enrol_* rows point at the restored instance.
 */
export function mapEnrolOrigin(run: RestoreRun, component: string, itemid: number): {component: string; itemid: number} | undefined {
	if (!component.startsWith('enrol_')) return {component, itemid};
	if (run.ids.has('enrol_converted', itemid)) return {component: '', itemid: 0};
	const instance = run.ids.get('enrol', itemid);
	return instance ? {component, itemid: instance} : undefined;
}
