import {Box, Text} from 'ink';
import {useI18n} from '../../i18n/index.js';
import {useChecklist, type UseChecklistOptions} from './use-checklist.js';
import {checkMark} from './use-checklist-state.js';

export type {ChecklistItem} from './use-checklist-state.js';

/** Settings as checkboxes: Space toggles; locked items are dimmed and say why. Long lists scroll. */
export function Checklist(props: UseChecklistOptions) {
	const {t} = useI18n();
	const state = useChecklist(props);
	const visible = props.items.slice(state.offset, state.offset + props.height);
	const hiddenBelow = props.items.length - state.offset - props.height;
	return (
		<Box flexDirection="column">
			{state.offset > 0 ? <Text dimColor>  ↑ {t('tree.more', {count: state.offset})}</Text> : null}
			{visible.map((item, index) => {
				const selected = state.offset + index === state.cursor;
				const choice = item.kind === 'choice' ? item.options?.find(option => option.value === item.value)?.label ?? item.value : undefined;
				return (
					<Text key={item.id} wrap="truncate-end" dimColor={item.locked} bold={selected && !item.locked} color={selected ? 'cyan' : undefined}>
						{selected ? '› ' : '  '}{checkMark(item)} {choice === undefined ? item.label : t('common.labelValue', {label: item.label, value: `< ${choice} >`})}
						{item.locked && item.reason ? ` (${item.reason})` : ''}
					</Text>
				);
			})}
			{hiddenBelow > 0 ? <Text dimColor>  ↓ {t('tree.more', {count: hiddenBelow})}</Text> : null}
		</Box>
	);
}
