import {Box, Text} from 'ink';
import {useI18n} from '../../i18n/index.js';
import {usePicker, type UsePickerOptions} from './use-picker.js';
import {filterItems} from './use-picker-state.js';

export type {PickerItem} from './use-picker-state.js';

/** A filterable list: the filter line, a window of `height` rows with the cursor marked by "›", and a count. */
export function Picker(props: UsePickerOptions) {
	const {t} = useI18n();
	const state = usePicker(props);
	const shown = filterItems(props.items, state.filter);
	const visible = shown.slice(state.offset, state.offset + props.height);
	return (
		<Box flexDirection="column">
			<Text>{t('picker.filter', {text: state.filter})}{props.isActive === false ? ' ' : <Text inverse> </Text>} <Text dimColor>({t('picker.count', {shown: shown.length, total: props.items.length})})</Text></Text>
			{shown.length === 0 ? <Text dimColor>{t('picker.empty')}</Text> : null}
			{visible.map((item, index) => {
				// No cursor while another part of the screen takes the keys (the path field beside the list).
				const selected = props.isActive !== false && state.offset + index === state.cursor;
				return (
					<Text key={item.value} wrap="truncate-end" bold={selected} color={selected ? 'cyan' : undefined}>
						{selected ? '› ' : '  '}{item.label}{item.hint ? <Text dimColor> {item.hint}</Text> : null}
					</Text>
				);
			})}
			{shown.length > state.offset + props.height ? <Text dimColor>  {t('tree.more', {count: shown.length - state.offset - props.height})}</Text> : null}
		</Box>
	);
}
