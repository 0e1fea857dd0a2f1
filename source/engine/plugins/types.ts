/**
 * The activity plugin API: one declarative description per activity type, from which the engine derives
 * both directions (backup: rows -> activities/<mod>_<cmid>/<mod>.xml; restore: XML records -> rows through the id map).
 * The engine's restore and backup code only calls the functions exported by index.ts (restoreQuestionBank,
 * restoreActivity, decodeContentLinks; backupActivity, backupQuestionBank, createLinkEncoder) and the registry,
 * never a specific module. Adding a type = one file in activities/ + one line in registry.ts.
 *
 * Restore semantics: a key whose target was not restored becomes 0 (or skips the row when listed in
 * `requiredKeys`); values <= 0 (none, "all groups" -1) are kept as they are.
 */
import type {Db, SqlValue} from '../store/db.js';
import type {IdMap} from '../store/id-map.js';
import type {FilePool, PoolStaging} from '../store/file-pool.js';
import type {Notice} from '../notices.js';

/**
 * What a column points at. The named kinds are resolved through the id map with Moodle's item names
 * (`user`, `group`, `grouping`, `course_module`, `course`, `context`, `question`, `question_category`,
 * `question_bank_entry`, `grade_item`, `scale`, `course_section`). `{item}` points at another row restored by
 * the same description (e.g. post.parent -> `forum_post`): resolved when the target is already restored,
 * otherwise fixed up once every row of the activity exists.
 * `scale` follows Moodle's convention: a negative value is `-scaleid`, a positive one a maximum grade (kept).
 */
export type ForeignKeyKind =
	| 'user'
	| 'group'
	| 'grouping'
	| 'course_module'
	| 'course'
	| 'context'
	| 'question'
	| 'question_category'
	| 'question_bank_entry'
	| 'grade_item'
	| 'scale'
	| 'course_section'
	| 'role';
export type ForeignKey = ForeignKeyKind | {item: string};

/** A leaf element: the XML name and the column it comes from when they differ (quiz `attempts_number` <-> `attempts`). */
export type FieldSpec = string | {xml: string; column: string};

/** A file area whose files belong to rows of an element; itemid is the row's id (`'id'`) or a constant (0). */
export type FileAreaSpec = {component: string; filearea: string; itemid: 'id' | 0};

/**
 * One XML element and the table rows it holds. Elements nest exactly like Moodle's backup_nested_element trees:
 * leaf fields first (in `fields` order), then each child (wrapper element, then one element per row).
 */
export type ElementSpec = {
	/** XML element name of one row, e.g. 'post'. */
	name: string;
	/** Wrapper element written around the rows (always written, even when empty), e.g. 'posts'. */
	wrapper?: string;
	/** Moodle table (without prefix), e.g. 'forum_posts'. */
	table: string;
	/** Id-map item name for the rows (e.g. 'forum_post'); also what content links and files use. Defaults to `table`. */
	itemname?: string;
	/** Leaf elements, in Moodle's order. */
	fields: readonly FieldSpec[];
	/** The element carries no `id` attribute (e.g. `submission_onlinetext`, step data `variable`). */
	noId?: boolean;
	/**
	 * How rows hang off the parent row: child[column] = parent[parentColumn ?? 'id']. With `reverse` the parent
	 * holds the reference (quiz attempt.uniqueid -> question_usages.id): restore updates the parent once the child exists.
	 */
	link?: {column: string; parentColumn?: string; reverse?: boolean};
	/** More columns equal to a value of the parent (or document) row: set on restore, filtered on backup. */
	match?: Readonly<Record<string, string>>;
	/** Rows with this column set (> 0) are user data, the others are not (user overrides vs group overrides). */
	userDataColumn?: string;
	/** A root setting that must not be false for the rows to be written/restored (e.g. 'role_assignments'). */
	setting?: keyof ActivitySettings;
	/** Last word on a row about to be restored (`data` = the XML leaves as read): return the row to insert, or null to skip it. */
	resolve?(row: Record<string, SqlValue>, scope: RowScope, data: Readonly<Record<string, string | null>>, parent: Readonly<Record<string, SqlValue>>): Promise<ResolvedRow> | ResolvedRow;
	/**
	 * Consulted only when the parent row was mapped to an existing row of the site (ExistingRow): the existing row
	 * this one is the same as, or undefined to insert it under the existing parent.
	 */
	existing?(row: Record<string, SqlValue>, scope: RowScope, parent: Readonly<Record<string, SqlValue>>, oldId: number | undefined): Promise<ExistingRow | undefined>;
	/** Column that holds the activity's module context id (ratings, question usages): set on restore, filtered on backup. */
	contextColumn?: string;
	/** Column set to the new course id on restore (the root's `course`, forum_discussions.course). */
	courseColumn?: string;
	/** Column set to the activity instance's new id on restore (forum_discussion_subs.forum, forum_read.forumid). */
	rootColumn?: string;
	/** Constant column values: written on restore, used as a filter on backup (ratings of forum posts). */
	constants?: Readonly<Record<string, SqlValue>>;
	/** Columns that are foreign keys, and to what. */
	foreignKeys?: Readonly<Record<string, ForeignKey>>;
	/** Rows are user data: written/restored only when user info is included (the wrapper is always written). */
	userData?: boolean;
	/** File areas whose itemid belongs to this element's rows. */
	files?: readonly FileAreaSpec[];
	children?: readonly ChildSpec[];
	/** Column whose value as read from the XML (old id) is kept as the id-map entry's parentId (grade item -> its old category). */
	mapParent?: string;
	/** Values computed on backup (name -> SQL expression over `t`) and only read, never stored, on restore. */
	virtualColumns?: Readonly<Record<string, string>>;
	/** Date columns shifted by the restore's date offset (Moodle's apply_date_offset; 0 stays 0). */
	dates?: readonly string[];
	/** On backup each row's id is annotated as this kind for inforef.xml (grade items). */
	annotateAs?: AnnotationKind;
	/** Foreign-key columns whose target must be restored, or the row is skipped (a role assignment of an unknown user). */
	requiredKeys?: readonly string[];
	/** Extra SQL condition for backup (e.g. `t.preview = 0`), `t` = the table; `:name` = a value of the document row. */
	backupWhere?: string;
	/** ORDER BY for backup; default `t.id`. */
	backupOrder?: string;
	/** Read on restore only: older backups' shapes (3.x questions directly under their category). Never written. */
	restoreOnly?: boolean;
	/** After a row is restored: what the row implies elsewhere (3.x questions get a bank entry and a version). */
	afterInsert?(newId: number, data: Readonly<Record<string, string | null>>, parent: Readonly<Record<string, SqlValue>>, scope: RowScope): Promise<void>;
	/** Pseudo-rows written on backup only (Moodle selects them from another table, e.g. `feedback_editpdf_files`). */
	backupOnly?: boolean;
	/** Parts this tool does not model (tags): the wrapper is written empty on backup, its rows are ignored on restore. */
	notModelled?: boolean;
};

/**
 * A plain container element with no rows of its own, e.g. `plugin_qtype_truefalse_question` holding `answers`
 * and `truefalse`. `when` decides from the parent row whether it is written at all (only for truefalse questions).
 */
export type GroupSpec = {group: string; children: readonly ChildSpec[]; when?: (parentRow: Readonly<Record<string, SqlValue>>) => boolean};
export type ChildSpec = ElementSpec | GroupSpec;

/** Content link rules of a type (Moodle's encode_content_links / define_decode_rules). */
export type LinkRule = {
	/** Token name, e.g. 'FORUMVIEWBYID' -> `$@FORUMVIEWBYID*12@$`. */
	name: string;
	/** URL path after wwwroot with `$1`, `$2` for the ids, e.g. '/mod/forum/view.php?id=$1'. */
	path: string;
	/** Id-map item name for each id, e.g. ['course_module']. */
	mappings: readonly string[];
};

/** Text columns whose content links are decoded at the end of a restore (Moodle's define_decode_contents). */
export type DecodeContent = {table: string; fields: readonly string[]; itemname: string};

export type ActivityPlugin = {
	/** Module name, e.g. 'forum'. */
	modname: string;
	/** Plugin version written in module.xml when the site has none recorded. */
	version: number;
	/** The root element: `<forum id>` inside `<activity>`. Its table is the module's instance table. */
	root: ElementSpec;
	/** Link rules in encoding order (more specific patterns first). */
	links?: readonly LinkRule[];
	/** Texts to decode after restore; defaults to the root's `intro`. */
	decodeContents?: readonly DecodeContent[];
	/** The type has advanced grading areas: an (empty) grading.xml is written, as Moodle does for assign and forum. */
	gradingAreas?: boolean;
	hooks?: ActivityHooks;
};

/** What a description cannot say. Each hook runs inside the restore/backup of one activity. */
export type ActivityHooks = {
	/** After every row of the activity is restored (e.g. book chapters, quiz sumgrades checks). */
	afterRestore?(ctx: RestoreActivityContext, activity: RestoredActivity): Promise<void>;
};

/** What a `resolve` hook can use. */
export type RowScope = {db: Db; idMap: IdMap; courseId: number; contextId: number; dateOffset?: number; warn(message: Notice | string): void};

/**
 * A row of the site that a row of the backup is the same as (a merge meets the question category it came from):
 * mapped to it instead of inserted; with `restoreChildren` the backup's children are restored under it, else
 * they are left out with it.
 */
export class ExistingRow {
	constructor(readonly id: number, readonly restoreChildren: boolean) {}
}

/** What resolve() decides: the row to insert, an existing row to map to, or null to skip it (and its children). */
export type ResolvedRow = Record<string, SqlValue> | ExistingRow | null;

/** Key set in the state of a row mapped to an existing one, so that children's resolve() can tell. */
export const EXISTING_ROW = '__existing';

/** Root settings the plugins care about (a subset of the backup/restore root settings). */
export type ActivitySettings = {
	users?: boolean;
	role_assignments?: boolean;
	comments?: boolean;
	userscompletion?: boolean;
	calendarevents?: boolean;
	grade_histories?: boolean;
	files?: boolean;
	groups?: boolean;
	filters?: boolean;
	competencies?: boolean;
};

/** Everything restoreActivity needs. One object for the whole restore (its caches live in `cache`). */
export type RestoreActivityContext = {
	db: Db;
	idMap: IdMap;
	pool: FilePool;
	/** The file bodies read from the backup, staged until the restore commits: a files row may point at them. */
	staging: PoolStaging;
	/** Directory holding the extracted backup XML (moodle_backup.xml, files.xml, activities/...). */
	xmlDir: string;
	/** The archive's name, for error messages. */
	file: string;
	courseId: number;
	courseContextId: number;
	/** Section a module lands in when its section was not mapped (`course_section` id-map items are used first). */
	defaultSectionId?: number;
	/** Include user data (posts, submissions, attempts, ...): the restore `users` setting. */
	userinfo: boolean;
	settings: ActivitySettings;
	/** `original_wwwroot` of moodle_backup.xml and this site's wwwroot (content-link decoding). */
	originalWwwroot: string;
	targetWwwroot: string;
	/** Seconds added to the activities' date settings (course start date moved); 0 or absent keeps them. */
	dateOffset?: number;
	/** A plugin's own sentence may be plain text; the engine's are notices (notices.ts). */
	warn(message: Notice | string): void;
	progress?(item: string): void;
	/** Caches shared by the calls of one restore (files.xml index, restored rows); kept beside the id map when absent. */
	cache?: Record<string, unknown>;
};

/** `rows`: rows written per table by the activity's own XML and its common files (roles, comments, grades, ...). */
export type RestoredActivity = {cmid: number; modulename: string; instanceId: number; contextId: number; oldCmid: number; rows: Record<string, number>};
export type RestoreActivityResult = RestoredActivity | {skipped: Notice; modulename: string};

/** Kinds of inforef annotations (backup_helper::get_inforef_itemnames). */
export type AnnotationKind =
	| 'user'
	| 'file'
	| 'group'
	| 'grouping'
	| 'role'
	| 'question_category'
	| 'grade_item'
	| 'scale'
	| 'outcome';

export type BackupActivityContext = {
	db: Db;
	pool: FilePool;
	/** Root of the backup being written; the activity goes to `<outDir>/activities/<mod>_<cmid>/`. */
	outDir: string;
	/** Include user data (the backup `users` setting). */
	userinfo: boolean;
	settings: ActivitySettings;
	/** Content-link encoder applied to text values (see content-links.ts `createLinkEncoder`). */
	encodeLinks?(text: string): string;
	/** Record a cross-cutting reference for inforef.xml / users.xml / files.xml (called for ids > 0 only). */
	annotate(kind: AnnotationKind, id: number): void;
	warn?(message: string): void;
};

export type BackedUpActivity = {
	/** 'activities/forum_445' */
	directory: string;
	modulename: string;
	title: string;
	sectionid: number;
	moduleid: number;
	instanceId: number;
	contextId: number;
};
