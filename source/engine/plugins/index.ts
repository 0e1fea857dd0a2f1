/**
 * The public API of the activity plugins, what the backup and restore engines call:
 * - restoreQuestionBank(ctx) before the activities, restoreActivity(ctx, 'activities/forum_445') per activity,
 *   decodeContentLinks(ctx) once at the very end (same ctx object: it carries the restore's caches);
 * - backupActivity(ctx, cmid) per activity, backupQuestionBank(ctx, contextIds) once, createLinkEncoder(wwwroot)
 *   for the XML writer's encodeText.
 */
export {backupActivity, writeInforef} from './backup-activity.js';
export {restoreActivity} from './restore-activity.js';
export {backupQuestionBank, restoreQuestionBank} from './question-bank.js';
export {COURSE_LINKS, createLinkEncoder, decodeContentLinks, decodeLinks} from './content-links.js';
export {getActivityPlugin, isActivitySupported, listActivityPlugins} from './registry.js';
export type * from './types.js';
