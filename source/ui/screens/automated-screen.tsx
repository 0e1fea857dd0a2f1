import {Box, Text} from 'ink';
import {useRef, useState} from 'react';
import {loadAutomatedSettings, saveAutomatedSettings, type AutomatedSettings} from '../../engine/areas/automated-settings.js';
import {handleNavigationKey, useFooterKeys, useServices, useShell} from '../app-context.js';
import {useI18n} from '../i18n/index.js';
import {Checklist, type ChecklistItem} from '../widgets/checklist/checklist.js';

const KEEP_CHOICES = [0, 1, 2, 3, 5, 10, 20, 30];
/** backup_auto_skip_modif_days: 0 is off. */
const SKIP_DAYS_CHOICES = [0, 1, 7, 14, 30, 60, 90, 180, 365];

/** The automated backup preferences (Moodle's backup_auto_*); the runs themselves come from cron. */
export function AutomatedScreen({onBack}: {onBack(): void}) {
	const {t} = useI18n();
	const {prefs} = useServices();
	const shell = useShell();
	// The same settings, with the same defaults, as `mbz automated run` reads from cron.
	const [settings, setSettings] = useState<AutomatedSettings>(() => loadAutomatedSettings(prefs));
	const settingsRef = useRef(settings);
	useFooterKeys([t('keys.move'), t('keys.toggle'), t('keys.back'), t('keys.quit')]);

	const update = (change: Partial<AutomatedSettings>) => {
		const next = saveAutomatedSettings(change, prefs);
		settingsRef.current = next;
		setSettings(next);
	};
	// A value the admin set by command (say 4) is offered among the choices.
	const withValue = (values: readonly number[], value: number) => [...new Set([...values, value])].sort((a, b) => a - b);
	const choices = {keep: withValue(KEEP_CHOICES, settings.keep), skipModifiedDays: withValue(SKIP_DAYS_CHOICES, settings.skipModifiedDays)};
	const items: ChecklistItem[] = [
		{id: 'activeOnly', kind: 'bool', on: settings.activeOnly, label: t('automated.activeOnly')},
		{id: 'skipUnmodified', kind: 'bool', on: settings.skipUnmodified, label: t('automated.skipUnmodified')},
		{id: 'skipModifiedDays', kind: 'choice', label: t('automated.skipDays'), value: String(settings.skipModifiedDays), options: choices.skipModifiedDays.map(value => ({value: String(value), label: value === 0 ? t('automated.skipDaysOff') : String(value)}))},
		{id: 'keep', kind: 'choice', label: t('automated.keep'), value: String(settings.keep), options: choices.keep.map(value => ({value: String(value), label: value === 0 ? t('automated.keepAll') : String(value)}))},
	];
	return (
		<Box flexDirection="column">
			<Text bold underline>{t('automated.title')}</Text>
			<Checklist items={items} height={6}
				onToggle={id => {
					const key = id as 'activeOnly' | 'skipUnmodified';
					update({[key]: !settingsRef.current[key]});
				}}
				onCycle={(id, direction) => {
					// Stops at the ends: from "all" one step left does not jump to 30.
					const key = id as 'keep' | 'skipModifiedDays';
					const values = choices[key];
					const index = values.indexOf(settingsRef.current[key]);
					const next = values[Math.min(values.length - 1, Math.max(0, index + direction))]!;
					if (next !== settingsRef.current[key]) update({[key]: next});
				}}
				onUnhandled={stroke => handleNavigationKey(stroke, shell, onBack)} />
			<Text dimColor wrap="wrap">{t('automated.help')}</Text>
		</Box>
	);
}
