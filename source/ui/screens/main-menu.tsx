import {Box, Text} from 'ink';
import {handleNavigationKey, useFooterKeys, useShell} from '../app-context.js';
import {useI18n} from '../i18n/index.js';
import {isChar} from '../keys.js';
import {Menu} from '../widgets/menu/menu.js';

export type MenuChoice = 'backup' | 'restore' | 'areas' | 'automated' | 'settings' | 'quit';

const CHOICES: ReadonlyArray<{value: MenuChoice; key: 'menu.backup' | 'menu.restore' | 'menu.areas' | 'menu.automated' | 'menu.settings' | 'menu.quit'}> = [
	{value: 'backup', key: 'menu.backup'},
	{value: 'restore', key: 'menu.restore'},
	{value: 'areas', key: 'menu.areas'},
	{value: 'automated', key: 'menu.automated'},
	{value: 'settings', key: 'menu.settings'},
	{value: 'quit', key: 'menu.quit'},
];

export function MainMenu({initial, onChoose}: {initial?: MenuChoice; onChoose(choice: MenuChoice): void}) {
	const {t} = useI18n();
	const shell = useShell();
	useFooterKeys([t('keys.move'), '1-6', t('keys.select'), t('keys.quit')]);
	return (
		<Box flexDirection="column">
			<Text bold underline>{t('menu.title')}</Text>
			<Menu
				items={CHOICES.map(choice => ({value: choice.value, label: t(choice.key)}))}
				{...(initial ? {initialValue: initial} : {})}
				onSelect={value => onChoose(value as MenuChoice)}
				onUnhandled={stroke => {
					if (!isChar(stroke, 'b')) handleNavigationKey(stroke, shell, undefined);
				}}
			/>
		</Box>
	);
}
