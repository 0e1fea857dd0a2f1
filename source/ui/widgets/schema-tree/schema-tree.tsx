import {Box, Text} from 'ink';
import {useI18n} from '../../i18n/index.js';
import {useSchemaTree, type UseSchemaTreeOptions} from './use-schema-tree.js';
import {treeRows, type TreeSetting} from './use-schema-tree-state.js';
import {fitRow} from '../fit-row.js';
import {useLayout} from '../../app-context.js';

export type {TreeSection, TreeActivity, TreeSetting} from './use-schema-tree-state.js';

function mark(setting: TreeSetting | undefined): string {
	if (!setting) return '   ';
	if (setting.locked && !setting.on) return '[-]';
	return setting.on ? '[x]' : '[ ]';
}

/** Sections and their activities: [x] included, then [x] user data; locked marks are [-] and dimmed. */
export function SchemaTree(props: UseSchemaTreeOptions) {
	const {t} = useI18n();
	const layout = useLayout();
	const state = useSchemaTree(props);
	const rows = treeRows(props.sections, state.filter);
	const visible = rows.slice(state.offset, state.offset + props.height);
	const below = rows.length - state.offset - props.height;
	return (
		<Box flexDirection="column">
			{state.filtering || state.filter !== '' ? <Text>{t('tree.filter', {text: state.filter})}{state.filtering ? <Text inverse> </Text> : null}</Text> : null}
			{rows.length === 0 ? <Text dimColor>{t('tree.empty')}</Text> : null}
			{state.offset > 0 ? <Text dimColor>  ↑ {t('tree.more', {count: state.offset})}</Text> : null}
			{visible.map((row, index) => {
				// Only the part of the screen that takes the keys shows a cursor (not the tree while a field is edited).
				const selected = props.isActive !== false && state.offset + index === state.cursor;
				const included = row.included ? props.setting(row.included) : undefined;
				const userData = row.userData ? props.setting(row.userData) : undefined;
				const indent = row.kind === 'activity' ? '    ' : '';
				const head = `${selected ? '› ' : '  '}${indent}${mark(included)} `;
				const userDataText = userData ? `  ${mark(userData)} ${t('tree.userData')}` : '';
				// A long name gives way to its type and its user-data box, which the row is read for.
				// A row locked out says why (e.g. a quiz without the question bank), as the settings checklist does.
				const why = included?.locked && !included.on && included.reason ? ` (${included.reason})` : '';
				const label = fitRow(row.label, `${row.kind === 'activity' ? ` (${row.typeLabel ?? row.modname})` : ''}${why}`, layout.columns - head.length - userDataText.length);
				return (
					<Text key={row.key} wrap="truncate-end" bold={selected || row.kind === 'section'} color={selected ? 'cyan' : undefined} dimColor={included?.locked === true && !included.on}>
						{head}{label}
						{userData ? <Text dimColor={userData.locked}>{userDataText}</Text> : null}
					</Text>
				);
			})}
			{below > 0 ? <Text dimColor>  ↓ {t('tree.more', {count: below})}</Text> : null}
		</Box>
	);
}
