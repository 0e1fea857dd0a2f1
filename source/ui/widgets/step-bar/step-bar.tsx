import {Box, Text} from 'ink';

const ARROW = ' ► ';

/** What the step bar shows: every step numbered, the current one in brackets (so it is marked without colour). */
export function stepBarParts(labels: readonly string[], current: number, width: number): Array<{text: string; current: boolean}> {
	const full = labels.map((label, index) => (index === current ? `[${index + 1}. ${label}]` : `${index + 1}. ${label}`));
	const fullLength = full.join(ARROW).length;
	// Narrow terminals: the other steps shrink to their number, the current one keeps its name.
	const parts = fullLength <= width ? full : labels.map((label, index) => (index === current ? `[${index + 1}. ${label}]` : String(index + 1)));
	return parts.map((text, index) => ({text, current: index === current}));
}

export function StepBar({labels, current, width}: {labels: readonly string[]; current: number; width: number}) {
	const parts = stepBarParts(labels, current, width);
	return (
		<Box flexShrink={0}>
			<Text wrap="truncate-end">
				{parts.map((part, index) => (
					<Text key={part.text}>
						{index > 0 ? <Text dimColor>{ARROW}</Text> : null}
						{part.current ? <Text bold inverse>{part.text}</Text> : <Text dimColor={index > current}>{part.text}</Text>}
					</Text>
				))}
			</Text>
		</Box>
	);
}
