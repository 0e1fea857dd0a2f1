import type {Row} from '../store/db.js';
import {UserAnonymizer} from './anonymizer.js';
import type {XmlWriter} from '../xml/xml-writer.js';
import {CONTEXT_USER, checkAborted, type BackupJob} from './job.js';
import {numberOf, writeFields, writeXmlFile, xmlValue} from './xml-file.js';
import {IN_LIST_SIZE, placeholders} from '../store/in-list.js';

/** The anonymisable fields then the name fields (core_user\fields::get_name_fields order), as Moodle writes them. */
const ANONYMISABLE_FIELDS = [
	'username', 'idnumber', 'email', 'phone1', 'phone2', 'institution', 'department', 'address', 'city', 'country',
	'lastip', 'picture', 'description', 'descriptionformat', 'imagealt', 'auth',
	'firstnamephonetic', 'lastnamephonetic', 'middlename', 'alternatename', 'firstname', 'lastname',
];
const NORMAL_FIELDS = [
	'confirmed', 'policyagreed', 'deleted', 'lang', 'theme', 'timezone', 'firstaccess', 'lastaccess', 'lastlogin',
	'currentlogin', 'mailformat', 'maildigest', 'maildisplay', 'autosubscribe', 'trackforums', 'timecreated',
	'timemodified', 'trustbitmask',
];

type UserExtras = {
	contextIds: Map<number, number>;
	fields: Map<number, Row[]>;
	tags: Map<number, Row[]>;
	preferences: Map<number, Row[]>;
	overrides: Map<number, Row[]>;
	assignments: Map<number, Row[]>;
};

function groupBy(rows: Row[], column: string): Map<number, Row[]> {
	const grouped = new Map<number, Row[]>();
	for (const row of rows) {
		const key = numberOf(row[column]);
		const list = grouped.get(key);
		if (list) list.push(row);
		else grouped.set(key, [row]);
	}
	return grouped;
}


/** Everything users.xml needs about a chunk of users, in one query per kind (not one per user). */
async function loadExtras(job: BackupJob, userIds: number[]): Promise<UserExtras> {
	const {db} = job;
	const contexts = await db.all(`SELECT id, instanceid FROM {context} WHERE contextlevel = ? AND instanceid IN (${placeholders(userIds.length)})`, [CONTEXT_USER, ...userIds]);
	const contextIds = new Map(contexts.map(row => [numberOf(row['instanceid']), numberOf(row['id'])]));
	const extras: UserExtras = {contextIds, fields: new Map(), tags: new Map(), preferences: new Map(), overrides: new Map(), assignments: new Map()};
	if (job.anonymize) return extras;
	const userContextIds = [...contextIds.values()];
	const optional = (promise: Promise<Row[]>) => promise.catch(() => [] as Row[]);
	extras.fields = groupBy(await optional(db.all(
		`SELECT d.id, d.userid, f.shortname AS field_name, f.datatype AS field_type, d.data AS field_data
		 FROM {user_info_data} d JOIN {user_info_field} f ON f.id = d.fieldid WHERE d.userid IN (${placeholders(userIds.length)}) ORDER BY d.id`,
		userIds,
	)), 'userid');
	extras.tags = groupBy(await optional(db.all(
		`SELECT t.id, ti.itemid, t.name, t.rawname FROM {tag_instance} ti JOIN {tag} t ON t.id = ti.tagid
		 WHERE ti.component = 'core' AND ti.itemtype = 'user' AND ti.itemid IN (${placeholders(userIds.length)}) ORDER BY ti.ordering, ti.id`,
		userIds,
	)), 'itemid');
	extras.preferences = groupBy(await optional(db.all(`SELECT id, userid, name, value FROM {user_preferences} WHERE userid IN (${placeholders(userIds.length)}) ORDER BY id`, userIds)), 'userid');
	if (userContextIds.length > 0) {
		extras.overrides = groupBy(await db.all(`SELECT * FROM {role_capabilities} WHERE contextid IN (${placeholders(userContextIds.length)}) ORDER BY id`, userContextIds), 'contextid');
		if (job.settings.on('role_assignments')) {
			extras.assignments = groupBy(await db.all(`SELECT * FROM {role_assignments} WHERE contextid IN (${placeholders(userContextIds.length)}) ORDER BY id`, userContextIds), 'contextid');
		}
		// Profile pictures and description files travel with their users (never when anonymised).
		const files = await db.all(
			`SELECT id FROM {files} WHERE component = 'user' AND filearea IN ('icon', 'profile') AND itemid = 0 AND contextid IN (${placeholders(userContextIds.length)})`,
			userContextIds,
		);
		for (const file of files) job.annotations.add('file', numberOf(file['id']));
	}
	return extras;
}

/**
 * users.xml (backup_users_structure_step): every annotated user, anonymised when asked (then profile fields,
 * tags, preferences and user-context roles are empty wrappers and user files are not annotated).
 * Users are read in chunks, with their details fetched per chunk, so 10,000 users cost a few dozen queries.
 */
export async function writeUsersXml(job: BackupJob): Promise<number> {
	const ids = job.annotations.ids('user');
	const anonymizer = job.anonymize ? new UserAnonymizer() : undefined;
	const localHost = await job.db.get('SELECT value FROM {config} WHERE name = ?', ['mnet_localhost_id']).catch(() => undefined);
	const localHostId = localHost ? numberOf(localHost['value']) : 1;
	const hosts = new Map<number, string | null>();
	let written = 0;
	let remote = false;
	await writeXmlFile(job.root, 'users.xml', job.encodeText, async writer => {
		writer.startTag('users');
		for (let start = 0; start < ids.length; start += IN_LIST_SIZE) {
			checkAborted(job.signal);
			const chunk = ids.slice(start, start + IN_LIST_SIZE);
			const rows = await job.db.all(`SELECT * FROM {user} WHERE id IN (${placeholders(chunk.length)}) ORDER BY id`, chunk);
			const extras = await loadExtras(job, chunk);
			for (const original of rows) {
				const userId = numberOf(original['id']);
				const userContextId = extras.contextIds.get(userId);
				const user = anonymizer ? anonymizer.anonymize(original) : original;
				writer.startTag('user', {id: userId, contextid: userContextId ?? null});
				writeFields(writer, user, ANONYMISABLE_FIELDS);
				if (user['mnethostid'] !== undefined && user['mnethostid'] !== null && numberOf(user['mnethostid']) !== localHostId) {
					remote = true;
					const hostId = numberOf(user['mnethostid']);
					if (!hosts.has(hostId)) {
						const host = await job.db.get('SELECT wwwroot FROM {mnet_host} WHERE id = ?', [hostId]).catch(() => undefined);
						hosts.set(hostId, host ? (xmlValue(host['wwwroot']) as string) : null);
					}
					writer.fullTag('mnethosturl', hosts.get(hostId) ?? null);
				}
				writeFields(writer, user, NORMAL_FIELDS);
				writeUserDetails(job, writer, userId, userContextId, extras);
				writer.endTag('user');
				written++;
				await writer.flush();
			}
		}
		writer.endTag('users');
	});
	job.mnetRemoteUsers = remote;
	return written;
}

function writeUserDetails(job: BackupJob, writer: XmlWriter, userId: number, userContextId: number | undefined, extras: UserExtras): void {
	const list = (name: string, element: string, rows: Row[] | undefined, fields: string[]) => {
		writer.startTag(name);
		for (const row of rows ?? []) {
			writer.startTag(element, {id: xmlValue(row['id']) as number});
			writeFields(writer, row, fields);
			writer.endTag(element);
		}
		writer.endTag(name);
	};
	list('custom_fields', 'custom_field', extras.fields.get(userId), ['field_name', 'field_type', 'field_data']);
	list('tags', 'tag', extras.tags.get(userId), ['name', 'rawname']);
	list('preferences', 'preference', extras.preferences.get(userId), ['name', 'value']);
	const overrides = userContextId === undefined ? [] : extras.overrides.get(userContextId) ?? [];
	const assignments = userContextId === undefined ? [] : extras.assignments.get(userContextId) ?? [];
	for (const row of [...overrides, ...assignments]) job.annotations.add('role', numberOf(row['roleid']));
	writer.startTag('roles');
	list('role_overrides', 'override', overrides, ['roleid', 'capability', 'permission', 'timemodified', 'modifierid']);
	list('role_assignments', 'assignment', assignments, ['roleid', 'userid', 'timemodified', 'modifierid', 'component', 'itemid', 'sortorder']);
	writer.endTag('roles');
}
