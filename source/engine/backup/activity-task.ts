import {backupActivity} from '../plugins/index.js';
import type {ActivitySettings} from '../plugins/types.js';
import type {BackupJob, ActivityInfo} from './job.js';
import {writeBlockTasks} from './block-task.js';
import {CONTEXT_MODULE} from './job.js';
import {writeLogsXml} from './logs-xml.js';
import {warnInto} from '../notices.js';

/** The activity task: activities/<mod>_<cmid>/ through the activity plugins, then the activity's blocks. */
export async function writeActivityTask(job: BackupJob, activity: ActivityInfo): Promise<void> {
	const refs = job.annotations.task();
	const settings: ActivitySettings = {
		users: job.users,
		role_assignments: job.settings.on('role_assignments'),
		comments: job.settings.on('comments'),
		userscompletion: job.settings.on('userscompletion'),
		calendarevents: job.settings.on('calendarevents'),
		grade_histories: job.settings.on('grade_histories', false),
		files: job.settings.on('files'),
		groups: job.settings.on('groups'),
		filters: job.settings.on('filters'),
		competencies: job.settings.on('competencies'),
	};
	await backupActivity({
		db: job.db,
		pool: job.site.pool,
		outDir: job.root,
		userinfo: activity.userinfo,
		settings,
		...(job.encodeText ? {encodeLinks: job.encodeText} : {}),
		annotate: (kind, id) => refs.add(kind, id),
		warn: warnInto(job.warnings),
	}, activity.cmid);
	const directory = `activities/${activity.modname}_${activity.cmid}`;
	// Course logs of the activity's context travel with it (logs=1 needs users; user info of the activity too).
	if (job.settings.on('logs', false) && activity.userinfo) await writeLogsXml(job, refs, directory, activity.contextId, CONTEXT_MODULE);
	if (job.settings.on('blocks')) await writeBlockTasks(job, activity.contextId, directory);
}
