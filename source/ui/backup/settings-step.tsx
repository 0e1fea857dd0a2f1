import {Box, Text} from 'ink';
import {useState} from 'react';
import type {SettingsPlan} from '../../engine/settings/settings-plan.js';
import {handleNavigationKey, useFooterKeys, useLayout, useShell} from '../app-context.js';
import {useI18n} from '../i18n/index.js';
import {isChar} from '../keys.js';
import {checklistItems, toggleSetting} from '../settings-view.js';
import {Checklist} from '../widgets/checklist/checklist.js';

/** Step 1: the root settings (Space toggles; locked ones say why), Enter next, j jumps to the final step. */
export function BackupSettingsStep({plan, onChanged, onNext, onJump, onBack}: {plan: SettingsPlan; onChanged(): void; onNext(): void; onJump(): void; onBack(): void}) {
	const {t, lang} = useI18n();
	const shell = useShell();
	const layout = useLayout();
	const [error, setError] = useState<string | undefined>(undefined);
	useFooterKeys([t('keys.move'), t('keys.toggle'), t('keys.next'), t('keys.jump'), t('keys.back'), t('keys.quit')]);
	const items = checklistItems(plan, plan.list('root').filter(item => item.visible && item.name !== 'filename'), lang, t);
	return (
		<Box flexDirection="column">
			<Text bold>{t('backup.settingsTitle')}</Text>
			<Checklist items={items} height={Math.max(3, layout.bodyRows - 5)}
				onToggle={name => {
					setError(toggleSetting(plan, name));
					onChanged();
				}}
				onSubmit={onNext}
				onUnhandled={stroke => {
					if (isChar(stroke, 'j')) onJump();
					else handleNavigationKey(stroke, shell, onBack);
				}} />
			<Text dimColor>[j] {t('backup.jump')}</Text>
			{error ? <Text color="red">{error}</Text> : null}
		</Box>
	);
}
