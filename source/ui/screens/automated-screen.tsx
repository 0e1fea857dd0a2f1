import {Box, Text} from 'ink';
import {useRef, useState} from 'react';
import type {Preferences} from '../../config.js';
import {handleNavigationKey, useFooterKeys, useServices, useShell} from '../app-context.js';
import {useI18n} from '../i18n/index.js';
import {Checklist, type ChecklistItem} from '../widgets/checklist/checklist.js';

type Automated = NonNullable<Preferences['automated']>;

const KEEP_CHOICES = [0, 1, 2, 3, 5, 10, 20, 30];

/** The automated backup preferences (Moodle's backup_auto_*); the runs themselves come from cron. */
export function AutomatedScreen({onBack}: {onBack(): void}) {
	const {t} = useI18n();
	const {prefs} = useServices();
	const shell = useShell();
	const [settings, setSettings] = useState<Automated>(() => ({activeOnly: true, skipUnmodified: true, keep: 1, ...prefs.get('automated')}));
	const settingsRef = useRef(settings);
	useFooterKeys([t('keys.move'), t('keys.toggle'), t('keys.back'), t('keys.quit')]);

	const update = (change: Partial<Automated>) => {
		const next = {...settingsRef.current, ...change};
		settingsRef.current = next;
		setSettings(next);
		prefs.set('automated', next);
	};
	const keep = settings.keep ?? 1;
	const items: ChecklistItem[] = [
		{id: 'activeOnly', kind: 'bool', on: settings.activeOnly ?? true, label: t('automated.activeOnly')},
		{id: 'skipUnmodified', kind: 'bool', on: settings.skipUnmodified ?? true, label: t('automated.skipUnmodified')},
		{id: 'keep', kind: 'choice', label: t('automated.keep', {count: keep}), value: String(keep), options: KEEP_CHOICES.map(value => ({value: String(value), label: String(value)}))},
	];
	return (
		<Box flexDirection="column">
			<Text bold underline>{t('automated.title')}</Text>
			<Checklist items={items} height={6}
				onToggle={id => {
					const key = id as 'activeOnly' | 'skipUnmodified';
					update({[key]: !(settingsRef.current[key] ?? true)});
				}}
				onCycle={(_id, direction) => {
					const index = KEEP_CHOICES.indexOf(settingsRef.current.keep ?? 1);
					const next = KEEP_CHOICES[(Math.max(0, index) + direction + KEEP_CHOICES.length) % KEEP_CHOICES.length]!;
					update({keep: next});
				}}
				onUnhandled={stroke => handleNavigationKey(stroke, shell, onBack)} />
			<Text dimColor wrap="wrap">{t('automated.help')}</Text>
		</Box>
	);
}
