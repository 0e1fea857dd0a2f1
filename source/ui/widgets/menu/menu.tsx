import {Box, Text} from 'ink';
import {useMenu, type UseMenuOptions} from './use-menu.js';

export type {MenuItem} from './use-menu-state.js';

/** A numbered list of actions; the highlighted one is marked with "›". */
export function Menu(props: UseMenuOptions) {
	const state = useMenu(props);
	return (
		<Box flexDirection="column">
			{props.items.map((item, index) => {
				const selected = index === state.cursor;
				return <Text key={item.value} bold={selected} color={selected ? 'cyan' : undefined}>{selected ? '› ' : '  '}{index + 1}. {item.label}</Text>;
			})}
		</Box>
	);
}
