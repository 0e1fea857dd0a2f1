/**
 * Content links (spec §8). Backup: absolute URLs of this site that point at a course, an activity or one of its
 * items become tokens (`$@FORUMVIEWBYID*12@$`). Restore, once everything exists: each token becomes the URL of
 * the restored item on this site, or — when any of its ids was not restored — the original site's URL with the
 * old ids, as Moodle does. `@@PLUGINFILE@@` is never touched (files are re-linked by context instead).
 */
import type {Db} from '../store/db.js';
import type {IdMap} from '../store/id-map.js';
import {finishAvailability, SECTION_CREATED} from './availability.js';
import {listActivityPlugins} from './registry.js';
import {restoredRows} from './restored-rows.js';
import type {DecodeContent, LinkRule, RestoreActivityContext} from './types.js';
import type {Notice} from '../notices.js';
import {placeholders} from '../store/in-list.js';

/** Course-level rules (backup_course_task / restore_course_task). */
export const COURSE_LINKS: readonly LinkRule[] = [
	{name: 'COURSEVIEWBYID', path: '/course/view.php?id=$1', mappings: ['course']},
	{name: 'GRADEINDEXBYID', path: '/grade/index.php?id=$1', mappings: ['course']},
	{name: 'GRADEREPORTINDEXBYID', path: '/grade/report/index.php?id=$1', mappings: ['course']},
	{name: 'BADGESVIEWBYID', path: '/badges/view.php?type=2&id=$1', mappings: ['course']},
	{name: 'USERINDEXVIEWBYID', path: '/user/index.php?id=$1', mappings: ['course']},
	{name: 'PLUGINFILEBYCONTEXT', path: '/pluginfile.php/$1', mappings: ['context']},
];

function allRules(): LinkRule[] {
	return [...COURSE_LINKS, ...listActivityPlugins().flatMap(plugin => plugin.links ?? [])];
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A regex matching a rule's URL on `wwwroot`; `&` also matches `&amp;` (HTML texts). Ids are digits only. */
function encodePattern(wwwroot: string, rule: LinkRule): RegExp {
	const parts = rule.path.split(/\$\d/);
	const body = parts.map(part => escapeRegex(part).replace(/&(amp;)?/g, '&(?:amp;)?')).join('(\\d+)');
	const trailing = rule.path.endsWith('$1') || /\$\d$/.test(rule.path) ? '(?!\\d)' : '';
	return new RegExp(escapeRegex(wwwroot) + body + trailing, 'g');
}

/**
 * The encoder for one backup: replaces this site's links by tokens. Course links are recognised on both the http
 * and https forms of wwwroot, module links on wwwroot as configured (as Moodle's encoders do). More specific rules
 * run first (discuss.php?d=X&parent=Y before discuss.php?d=X).
 */
export function createLinkEncoder(wwwroot: string): (text: string) => string {
	const base = wwwroot.replace(/\/+$/, '');
	const bothSchemes = [...new Set([base.replace(/^https:/, 'http:'), base.replace(/^http:/, 'https:')])];
	const bySpecificity = (a: LinkRule, b: LinkRule): number => b.path.length - a.path.length;
	const moduleRules = listActivityPlugins().flatMap(plugin => plugin.links ?? []).sort(bySpecificity);
	const patterns = [
		...bothSchemes.flatMap(root => [...COURSE_LINKS].sort(bySpecificity).map(rule => ({rule, pattern: encodePattern(root, rule)}))),
		...moduleRules.map(rule => ({rule, pattern: encodePattern(base, rule)})),
	];
	return (text: string): string => {
		if (!text.includes('://')) return text;
		let result = text;
		for (const {rule, pattern} of patterns) result = result.replace(pattern, (...match: string[]) => `$@${rule.name}*${match.slice(1, rule.mappings.length + 1).join('*')}@$`);
		return result;
	};
}

const decodePatterns = new WeakMap<LinkRule, RegExp>();

/** Decodes every token in one text. */
export function decodeLinks(text: string, idMap: IdMap, sourceWwwroot: string, targetWwwroot: string, rules: readonly LinkRule[] = allRules()): string {
	if (!text.includes('$@')) return text;
	const source = sourceWwwroot.replace(/\/+$/, '');
	const target = targetWwwroot.replace(/\/+$/, '');
	let result = text;
	for (const rule of rules) {
		// Most texts hold few tokens: a cheap look for the rule's name before its pattern (compiled once per rule).
		if (!result.includes(`$@${rule.name}`)) continue;
		let pattern = decodePatterns.get(rule);
		if (!pattern) decodePatterns.set(rule, pattern = new RegExp(`\\$@${rule.name}${'\\*(\\d+)'.repeat(rule.mappings.length)}@\\$`, 'g'));
		result = result.replace(pattern, (...match: string[]) => {
			const oldIds = match.slice(1, rule.mappings.length + 1).map(Number);
			const newIds = oldIds.map((id, index) => idMap.get(rule.mappings[index]!, id));
			const resolved = newIds.every(id => id !== undefined);
			const ids = resolved ? (newIds as number[]) : oldIds;
			const url = rule.path.replace(/\$(\d)/g, (_whole, index: string) => String(ids[Number(index) - 1]));
			return (resolved ? target : source) + url;
		});
	}
	return result;
}

/** Texts decoded for every restore: course summary and section summaries (the course restore maps them). */
const COURSE_CONTENTS: readonly DecodeContent[] = [
	{table: 'course', fields: ['summary'], itemname: 'course'},
	{table: 'course_sections', fields: ['summary'], itemname: 'course_section'},
	{table: 'event', fields: ['description'], itemname: 'event'},
];

/** Rows read per query when decoding: one SELECT per chunk of ids, not per row. */
const DECODE_CHUNK = 500;

async function decodeRows(db: Db, table: string, fields: readonly string[], ids: Iterable<number>, decode: (text: string) => string): Promise<number> {
	let changed = 0;
	const list = [...ids];
	// Only rows with a token can change: the database skips the others (`$` and `@` are plain characters in LIKE).
	const hasToken = fields.map(field => `${field} LIKE ?`).join(' OR ');
	for (let start = 0; start < list.length; start += DECODE_CHUNK) {
		const chunk = list.slice(start, start + DECODE_CHUNK);
		const rows = await db.all<Record<string, string | number | null>>(
			`SELECT id, ${fields.join(', ')} FROM {${table}} WHERE id IN (${placeholders(chunk.length)}) AND (${hasToken})`,
			[...chunk, ...fields.map(() => '%$@%')],
		);
		for (const row of rows) {
			const updates: string[] = [];
			const values: string[] = [];
			for (const field of fields) {
				const value = row[field];
				if (typeof value !== 'string' || !value.includes('$@')) continue;
				const decoded = decode(value);
				if (decoded !== value) {
					updates.push(`${field} = ?`);
					values.push(decoded);
				}
			}
			if (updates.length === 0) continue;
			await db.run(`UPDATE {${table}} SET ${updates.join(', ')} WHERE id = ?`, [...values, Number(row.id)]);
			changed++;
		}
	}
	return changed;
}

/**
 * Run once at the very end of a restore: first the availability conditions of the restored modules and sections
 * that name activities or grade items (they may have been restored after the module), then the links in every
 * text the plugins restored (their decodeContents) and in the course-level texts whose rows are targets of this
 * restore's id map. Returns how many rows' texts changed.
 */
export async function decodeContentLinks(ctx: Pick<RestoreActivityContext, 'db' | 'idMap' | 'originalWwwroot' | 'targetWwwroot' | 'cache' | 'dateOffset'> & {warn?(message: Notice | string): void}): Promise<number> {
	const warn = ctx.warn ?? ((): void => undefined);
	await finishAvailability(ctx.db, 'course_modules', restoredRows(ctx).get('course_modules') ?? [], ctx.idMap, warn, ctx.dateOffset ?? 0);
	// Only sections this restore created (see sections-step) hold the backup's conditions.
	const createdSections = [...ctx.idMap.entries('course_section')].filter(([, entry]) => entry.info === SECTION_CREATED && entry.newId > 0);
	await finishAvailability(ctx.db, 'course_sections', createdSections.map(([, entry]) => entry.newId), ctx.idMap, warn, ctx.dateOffset ?? 0);
	const rules = allRules();
	const decode = (text: string): string => decodeLinks(text, ctx.idMap, ctx.originalWwwroot, ctx.targetWwwroot, rules);
	const rows = restoredRows(ctx);
	let changed = 0;
	const contents = listActivityPlugins().flatMap(plugin => plugin.decodeContents ?? [{table: plugin.root.table, fields: ['intro'], itemname: plugin.modname}]);
	for (const content of contents) changed += await decodeRows(ctx.db, content.table, content.fields, rows.get(content.table) ?? [], decode);
	for (const content of COURSE_CONTENTS) {
		const ids = new Set<number>();
		for (const [, entry] of ctx.idMap.entries(content.itemname)) if (entry.newId > 0) ids.add(entry.newId);
		for (const id of rows.get(content.table) ?? []) ids.add(id);
		changed += await decodeRows(ctx.db, content.table, content.fields, ids, decode);
	}
	return changed;
}
