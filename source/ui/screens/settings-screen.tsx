import {Box, Text} from 'ink';
import {TextField} from '../widgets/text-field/text-field.js';
import {useRef, useState} from 'react';
import {BACKUP_ROOT_SETTINGS, settingLabel} from '../../engine/settings/index.js';
import {handleNavigationKey, useFooterKeys, useLayout, useServices, useShell} from '../app-context.js';
import {settingLabelIn, useI18n, type Lang} from '../i18n/index.js';
import {isKey, useKeys} from '../keys.js';
import {Checklist, type ChecklistItem} from '../widgets/checklist/checklist.js';

/** Preferences: the site, the language and the default backup settings, saved as they change. */
export function SettingsScreen({onBack, onLanguage}: {onBack(): void; onLanguage(lang: Lang): void}) {
	const {t, lang} = useI18n();
	const {prefs} = useServices();
	const shell = useShell();
	const layout = useLayout();
	const [focus, setFocus] = useState<'site' | 'list'>('list');
	const [sitePath, setSitePath] = useState(prefs.get('site') ?? '');
	const sitePathRef = useRef(sitePath);
	const [defaults, setDefaults] = useState<Record<string, boolean>>(() => {
		const saved = prefs.get('backupDefaults') ?? {};
		return Object.fromEntries(BACKUP_ROOT_SETTINGS.map(setting => [setting.name, saved[setting.name] ?? setting.value]));
	});
	const defaultsRef = useRef(defaults);
	const [saved, setSaved] = useState(false);

	useFooterKeys(focus === 'site'
		? [t('keys.edit'), t('keys.confirm'), t('keys.backEsc')]
		: [t('keys.move'), t('keys.toggle'), t('keys.edit'), t('keys.back'), t('keys.quit')]);

	// Tab switches between the site field and the list (the field's own input ignores Tab).
	useKeys(stroke => {
		if (isKey(stroke, 'tab')) setFocus(current => (current === 'site' ? 'list' : 'site'));
		else if (isKey(stroke, 'escape')) onBack();
	}, {isActive: focus === 'site'});

	const items: ChecklistItem[] = [
		{id: 'lang', kind: 'choice', label: t('settings.language'), value: lang, options: [{value: 'en', label: t('settings.langEn')}, {value: 'fr', label: t('settings.langFr')}]},
		...BACKUP_ROOT_SETTINGS.map(setting => ({
			id: setting.name, kind: 'bool' as const, on: defaults[setting.name] ?? setting.value,
			label: settingLabelIn(lang, setting.name, settingLabel(setting.name)),
		})),
	];

	const saveDefaults = (next: Record<string, boolean>) => {
		prefs.set('backupDefaults', next);
		setSaved(true);
	};

	return (
		<Box flexDirection="column">
			<Text bold underline>{t('settings.title')}</Text>
			<Box>
				<Text bold={focus === 'site'}>{focus === 'site' ? '› ' : '  '}{t('common.labelValue', {label: t('settings.site'), value: ''})}</Text>
				<TextField value={sitePath} focus={focus === 'site'} showCursor={focus === 'site'}
					reserved={2 + Array.from(t('common.labelValue', {label: t('settings.site'), value: ''})).length}
					onChange={value => {
						sitePathRef.current = value;
						setSitePath(value);
					}}
					onSubmit={() => {
						const value = sitePathRef.current.trim();
						prefs.set('site', value === '' ? undefined : value);
						setSaved(true);
						setFocus('list');
					}} />
			</Box>
			<Text dimColor>  {t('settings.siteHelp')}</Text>
			<Text bold>{t('settings.language')} · {t('settings.backupDefaults')}</Text>
			<Checklist
				items={items}
				height={Math.max(3, layout.bodyRows - 6)}
				isActive={focus === 'list'}
				onToggle={id => {
					// Read through the ref: several Space presses can arrive before the next render.
					const next = {...defaultsRef.current, [id]: !defaultsRef.current[id]};
					defaultsRef.current = next;
					setDefaults(next);
					saveDefaults(next);
				}}
				onCycle={() => {
					const next: Lang = lang === 'en' ? 'fr' : 'en';
					prefs.set('lang', next);
					setSaved(true);
					onLanguage(next);
				}}
				onUnhandled={stroke => {
					if (isKey(stroke, 'tab')) setFocus('site');
					else handleNavigationKey(stroke, shell, onBack);
				}}
			/>
			{saved ? <Text color="green">{t('settings.saved', {path: prefs.path})}</Text> : null}
		</Box>
	);
}
