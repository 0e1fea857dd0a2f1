import type {SettingsPlan} from '../engine/settings/settings-plan.js';
import type {ActivityRef, LockReason, SectionRef, SettingItem} from '../engine/settings/types.js';
import {activitySettingName, sectionSettingName} from '../engine/settings/names.js';
import {nameIn, optionLabelIn, settingLabelIn, type Lang, type Translate} from './i18n/index.js';
import type {ChecklistItem} from './widgets/checklist/checklist.js';
import {sectionDisplayName} from './format.js';
import type {TreeSection, TreeSetting} from './widgets/schema-tree/schema-tree.js';

/** A lock reason in the interface language, e.g. "needs: Include enrolled users". */
export function lockReasonText(reason: LockReason | undefined, lang: Lang, t: Translate, plan: SettingsPlan): string | undefined {
	if (!reason) return undefined;
	const parent = reason.setting && plan.has(reason.setting) ? plan.item(reason.setting) : undefined;
	const label = parent ? settingLabelIn(lang, parent.name, parent.label) : (reason.setting ?? '');
	const option = parent?.options?.find(candidate => candidate.value === reason.value);
	const value = option ? optionLabelIn(lang, option.labelKey, option.label) : (reason.value ?? '');
	return t(`checklist.${reason.code}`, {setting: label, value});
}

/** Checklist rows for settings of the plan (booleans as checkboxes, selects as choices). */
export function checklistItems(plan: SettingsPlan, items: readonly SettingItem[], lang: Lang, t: Translate): ChecklistItem[] {
	return items.map(item => {
		const reason = item.locked ? lockReasonText(item.lockReason, lang, t, plan) : undefined;
		const row: ChecklistItem = item.type === 'select'
			? {
				id: item.name, kind: 'choice', label: settingLabelIn(lang, item.name, item.label), value: String(item.value),
				options: (item.options ?? []).map(option => ({value: option.value, label: optionLabelIn(lang, option.labelKey, option.label)})),
			}
			: {id: item.name, kind: 'bool', label: settingLabelIn(lang, item.name, item.label), on: Boolean(item.value)};
		if (item.locked) row.locked = true;
		if (reason) row.reason = reason;
		return row;
	});
}

/** Space on a checkbox: flips a boolean setting. Returns the error text if the plan refuses. */
export function toggleSetting(plan: SettingsPlan, name: string): string | undefined {
	try {
		plan.set(name, !plan.isOn(name));
		return undefined;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

/** Space or ←/→ on a select: the next or previous option. */
export function cycleSetting(plan: SettingsPlan, name: string, direction: 1 | -1): string | undefined {
	const item = plan.item(name);
	const options = item.options ?? [];
	if (options.length === 0) return undefined;
	const index = options.findIndex(option => option.value === String(item.value));
	const next = options[(index + direction + options.length) % options.length]!;
	try {
		plan.set(name, next.value);
		return undefined;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

/** The schema tree of a plan's sections and activities (activities outside any listed section get their own group). */
export function treeSections(plan: SettingsPlan, sections: readonly SectionRef[], activities: readonly ActivityRef[], t: Translate): TreeSection[] {
	const result: TreeSection[] = [];
	const listed = new Set<number>();
	const activityRow = (activity: ActivityRef) => {
		const included = activitySettingName(activity.modname, activity.cmid, 'included');
		const userData = activitySettingName(activity.modname, activity.cmid, 'userinfo');
		return {key: `cm${activity.cmid}`, modname: activity.modname, typeLabel: nameIn(t, 'mod', activity.modname), label: activity.name, included, ...(plan.has(userData) ? {userData} : {})};
	};
	for (const section of sections) {
		listed.add(section.id);
		const included = sectionSettingName(section.id, 'included');
		const userData = sectionSettingName(section.id, 'userinfo');
		result.push({
			key: `s${section.id}`, label: sectionDisplayName(section.name, t),
			...(plan.has(included) ? {included} : {}), ...(plan.has(userData) ? {userData} : {}),
			activities: activities.filter(activity => activity.sectionId === section.id && plan.has(activitySettingName(activity.modname, activity.cmid, 'included'))).map(activityRow),
		});
	}
	const others = activities.filter(activity => !listed.has(activity.sectionId) && plan.has(activitySettingName(activity.modname, activity.cmid, 'included')));
	if (others.length > 0) result.push({key: 'others', label: t('tree.otherActivities'), activities: others.map(activityRow)});
	return result;
}

export function treeSetting(plan: SettingsPlan, name: string, lang: Lang, t: Translate): TreeSetting {
	const item = plan.item(name);
	const reason = item.locked ? lockReasonText(item.lockReason, lang, t, plan) : undefined;
	return {on: plan.isOn(name), locked: item.locked, ...(reason ? {reason} : {})};
}
