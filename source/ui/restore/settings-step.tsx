import {Box, Text} from 'ink';
import {useState} from 'react';
import type {RestorePlan} from '../../engine/restore/restore-plan.js';
import type {ConflictPolicy} from '../../engine/restore/user-precheck.js';
import {handleNavigationKey, useFooterKeys, useLayout, useShell} from '../app-context.js';
import {useI18n} from '../i18n/index.js';
import {checklistItems, cycleSetting, toggleSetting} from '../settings-view.js';
import {Checklist, type ChecklistItem} from '../widgets/checklist/checklist.js';

const POLICIES: readonly ConflictPolicy[] = ['abort', 'no-users', 'map-by-email'];
const POLICY_ID = 'conflict-policy';

/** Step 3 Settings: the root restore settings (enrolment methods select, manual enrolments …) and the conflict choice. */
export function RestoreSettingsStep({plan, onChanged, onNext, onBack}: {plan: RestorePlan; onChanged(): void; onNext(): void; onBack(): void}) {
	const {t, lang} = useI18n();
	const shell = useShell();
	const layout = useLayout();
	const [error, setError] = useState<string | undefined>(undefined);
	useFooterKeys([t('keys.move'), t('keys.toggle'), '←→', t('keys.next'), t('keys.back'), t('keys.quit')]);
	const settings = plan.settings;
	// Root settings, then the course's own switches (overwrite the configuration, keep roles / groups).
	const shown = [
		...settings.list('root').filter(item => item.visible && item.type !== 'file'),
		...settings.list('course').filter(item => item.visible && item.type === 'bool'),
	];
	const items: ChecklistItem[] = checklistItems(settings, shown, lang, t);
	const policyLabel = {abort: t('restore.policyAbort'), 'no-users': t('restore.policyNoUsers'), 'map-by-email': t('restore.policyMapEmail')};
	items.push({
		id: POLICY_ID, kind: 'choice', label: t('restore.conflictPolicy'), value: plan.options.conflictPolicy,
		options: POLICIES.map(policy => ({value: policy, label: policyLabel[policy]})),
	});
	return (
		<Box flexDirection="column">
			<Text bold>{t('restore.settingsTitle')}</Text>
			<Checklist items={items} height={Math.max(3, layout.bodyRows - 5)}
				onToggle={name => {
					setError(toggleSetting(settings, name));
					onChanged();
				}}
				onCycle={(name, direction) => {
					if (name === POLICY_ID) {
						const index = POLICIES.indexOf(plan.options.conflictPolicy);
						plan.setOptions({conflictPolicy: POLICIES[(index + direction + POLICIES.length) % POLICIES.length]!});
					} else setError(cycleSetting(settings, name, direction));
					onChanged();
				}}
				onSubmit={onNext}
				onUnhandled={stroke => handleNavigationKey(stroke, shell, onBack)} />
			{error ? <Text color="red">{error}</Text> : null}
		</Box>
	);
}
