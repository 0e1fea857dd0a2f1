import {ArchiveError} from '../../engine/errors.js';
import {createContext, useContext} from 'react';
import {en, type MessageKey} from './en.js';
import {fr} from './fr.js';
import {OPTION_LABELS_FR, SETTING_LABELS_FR} from './setting-labels-fr.js';
import {NOTICES_FR} from './notices-fr.js';
import {WIZARD_NOTICES_EN} from './notices-en.js';
import {fillTemplate, NOTICE_TEMPLATES, type Notice} from '../../engine/notices.js';

export type Lang = 'en' | 'fr';
export type {MessageKey};
export type Params = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, params?: Params) => string;

const TABLES: Record<Lang, Record<MessageKey, string>> = {en, fr};

export function translate(lang: Lang, key: MessageKey, params: Params = {}): string {
	const template = TABLES[lang][key] ?? en[key];
	return template
		// {count|file|files}: the word for the number (English: singular for 1 only; French: for 0 and 1 too).
		.replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/gu, (whole, name: string, one: string, many: string) => {
			if (!(name in params)) return whole;
			const count = Number(params[name]);
			return (lang === 'fr' ? count < 2 : count === 1) ? one : many;
		})
		.replace(/\{(\w+)\}/gu, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * A name the engine uses (a stage, a count, an enrolment plugin) in the interface's language, from the message
 * `<group>.<name>`; a name with no message of its own is shown as it is.
 */
export function nameIn(t: Translate, group: string, name: string): string {
	const key = `${group}.${name}`;
	return Object.hasOwn(en, key) ? t(key as MessageKey) : name;
}

/**
 * An engine notice (a warning, a refusal, a precheck reason) in the interface's language, notices within it too;
 * an enrolment plugin among its values goes by Moodle's name for it, as on the rest of the screen.
 */
export function noticeIn(i18n: I18n, item: Notice): string {
	const template = i18n.lang === 'fr' ? NOTICES_FR[item.code] : WIZARD_NOTICES_EN[item.code] ?? NOTICE_TEMPLATES[item.code];
	const plugin = item.params['plugin'];
	const params = typeof plugin === 'string' ? {...item.params, plugin: nameIn(i18n.t, 'enrol', plugin)} : item.params;
	return fillTemplate(template, params, (inner) => noticeIn(i18n, inner));
}

export function translator(lang: Lang): Translate {
	return (key, params) => translate(lang, key, params);
}

/** A setting's label: Moodle's French label in French, the engine's English label otherwise. */
export function settingLabelIn(lang: Lang, name: string, englishLabel: string): string {
	return lang === 'fr' ? (SETTING_LABELS_FR[name] ?? englishLabel) : englishLabel;
}

export function optionLabelIn(lang: Lang, labelKey: string, englishLabel: string): string {
	return lang === 'fr' ? (OPTION_LABELS_FR[labelKey] ?? englishLabel) : englishLabel;
}

export {resolveLanguage} from '../../config.js';

export type I18n = {lang: Lang; t: Translate};

export const I18nContext = createContext<I18n>({lang: 'en', t: translator('en')});

export function useI18n(): I18n {
	return useContext(I18nContext);
}

/**
 * A failure in the interface's language where the engine gave its reason as a notice (an unreadable archive):
 * the file and entry as they are, the reason translated. Other failures keep their English line.
 */
export function errorIn(i18n: I18n, error: unknown): string {
	if (error instanceof ArchiveError && error.reason) {
		const where = error.entry ? i18n.t('common.labelValue', {label: error.file, value: error.entry}) : error.file;
		return i18n.t('common.labelValue', {label: where, value: noticeIn(i18n, error.reason)});
	}
	return error instanceof Error ? error.message : String(error);
}
