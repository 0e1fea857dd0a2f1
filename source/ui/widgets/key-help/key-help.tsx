import {Box, Text} from 'ink';

/** The footer: the keys that work on this screen, separated by middle dots. */
export function KeyHelp({keys}: {keys: readonly string[]}) {
	return (
		<Box borderStyle="single" borderTop borderBottom={false} borderLeft={false} borderRight={false} flexShrink={0}>
			<Text dimColor wrap="wrap">{keys.join(' · ')}</Text>
		</Box>
	);
}
