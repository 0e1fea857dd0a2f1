import {Box, Text} from 'ink';
import type {BackupStructure} from '../../engine/backup/course-structure.js';
import type {SettingsPlan} from '../../engine/settings/settings-plan.js';
import {handleNavigationKey, useFooterKeys, useLayout, useShell} from '../app-context.js';
import {useI18n} from '../i18n/index.js';
import {treeSections, treeSetting} from '../settings-view.js';
import {SchemaTree} from '../widgets/schema-tree/schema-tree.js';

/** Step 2: sections and activities to include, with or without user data. */
export function BackupSchemaStep({plan, structure, onChanged, onNext, onBack}: {plan: SettingsPlan; structure: BackupStructure; onChanged(): void; onNext(): void; onBack(): void}) {
	const {t, lang} = useI18n();
	const shell = useShell();
	const layout = useLayout();
	useFooterKeys([t('keys.move'), t('keys.toggle'), t('keys.userData'), t('keys.all'), t('keys.none'), t('keys.type'), t('keys.filterSlash'), t('keys.next'), t('keys.back')]);
	const sections = treeSections(plan, structure.sectionRefs, structure.activityRefs, t);
	return (
		<Box flexDirection="column">
			<Text bold>{t('backup.schemaTitle')}</Text>
			<SchemaTree sections={sections} height={Math.max(3, layout.bodyRows - 4)}
				setting={name => treeSetting(plan, name, lang, t)}
				onSet={(name, value) => {
					try {
						plan.set(name, value);
					} catch {
						// Locked meanwhile (its section was just excluded): the tree shows the lock.
					}
					onChanged();
				}}
				onSubmit={onNext}
				onUnhandled={stroke => handleNavigationKey(stroke, shell, onBack)} />
		</Box>
	);
}
