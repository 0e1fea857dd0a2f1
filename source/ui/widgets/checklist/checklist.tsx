import {Box, Text} from 'ink';
import {useI18n} from '../../i18n/index.js';
import {useChecklist, type UseChecklistOptions} from './use-checklist.js';
import {checkMark} from './use-checklist-state.js';
import {useLayout} from '../../app-context.js';
import {fitRow} from '../fit-row.js';

export type {ChecklistItem} from './use-checklist-state.js';

/** Settings as checkboxes: Space toggles; locked items are dimmed and say why. Long lists scroll. */
export function Checklist(props: UseChecklistOptions) {
	const {t} = useI18n();
	const layout = useLayout();
	const state = useChecklist(props);
	const visible = props.items.slice(state.offset, state.offset + props.height);
	const hiddenBelow = props.items.length - state.offset - props.height;
	return (
		<Box flexDirection="column">
			{state.offset > 0 ? <Text dimColor>  ↑ {t('tree.more', {count: state.offset})}</Text> : null}
			{visible.map((item, index) => {
				const selected = state.offset + index === state.cursor;
				const choice = item.kind === 'choice' ? item.options?.find(option => option.value === item.value)?.label ?? item.value : undefined;
				const head = `${selected ? '› ' : '  '}${checkMark(item)} `;
				// The label gives way first: the chosen value and the reason for a lock are what the row is read for.
				const suffix = `${choice === undefined ? '' : t('common.labelValue', {label: '', value: `< ${choice} >`})}${item.locked && item.reason ? ` (${item.reason})` : ''}`;
				return (
					<Text key={item.id} wrap="truncate-end" dimColor={item.locked} bold={selected && !item.locked} color={selected ? 'cyan' : undefined}>
						{head}{fitRow(item.label, suffix, layout.columns - head.length)}
					</Text>
				);
			})}
			{hiddenBelow > 0 ? <Text dimColor>  ↓ {t('tree.more', {count: hiddenBelow})}</Text> : null}
		</Box>
	);
}

