import {Box, Text} from 'ink';
import {TextField} from '../widgets/text-field/text-field.js';
import {useRef, useState} from 'react';
import type {RestorePlan} from '../../engine/restore/restore-plan.js';
import {handleNavigationKey, useFooterKeys, useLayout, useShell} from '../app-context.js';
import {useI18n, type MessageKey} from '../i18n/index.js';
import {isKey, useKeys} from '../keys.js';
import {formatDate, parseDate} from '../format.js';
import {treeSections, treeSetting} from '../settings-view.js';
import {SchemaTree} from '../widgets/schema-tree/schema-tree.js';
import {COURSE_FULLNAME_MAX, COURSE_SHORTNAME_MAX} from '../../engine/settings/restore-settings.js';

const FIELDS: ReadonlyArray<{name: 'course_fullname' | 'course_shortname' | 'course_startdate'; label: MessageKey}> = [
	{name: 'course_fullname', label: 'restore.courseName'},
	{name: 'course_shortname', label: 'restore.courseShortName'},
	{name: 'course_startdate', label: 'restore.courseStartDate'},
];

/** Step 4 Schema: the course's name, short name and start date, then the sections and activities to restore. */
export function RestoreSchemaStep({plan, onChanged, onNext, onBack}: {plan: RestorePlan; onChanged(): void; onNext(): void; onBack(): void}) {
	const {t, lang} = useI18n();
	const shell = useShell();
	const layout = useLayout();
	const settings = plan.settings;
	const fields = FIELDS.filter(field => settings.has(field.name));
	const [focus, setFocus] = useState(fields.length);
	const [error, setError] = useState<string | undefined>(undefined);
	const initial = () => Object.fromEntries(fields.map(field => [field.name,
		field.name === 'course_startdate' ? formatDate(Number(settings.get(field.name))) : String(settings.get(field.name))]));
	const [texts, setTexts] = useState<Record<string, string>>(initial);
	const textsRef = useRef(texts);
	const treeFocused = focus >= fields.length;

	/** Writes a field into the plan; false (and a message) when the text is not valid. */
	const commit = (index: number): boolean => {
		const field = fields[index];
		if (!field || settings.item(field.name).locked) return true;
		const text = textsRef.current[field.name] ?? '';
		try {
			if (field.name === 'course_startdate') {
				const value = parseDate(text, Number(settings.get(field.name)));
				if (value === undefined) {
					// Well formed but not in the calendar (2025-02-30) is a different mistake from a badly written date.
					setError(/^\s*\d{4}-\d{2}-\d{2}\s*$/.test(text) ? t('restore.dateNotInCalendar', {date: text.trim()}) : t('restore.dateInvalid'));
					return false;
				}
				settings.set(field.name, value);
			} else {
				// Moodle's course form: both names required, within their column's length.
				const max = field.name === 'course_fullname' ? COURSE_FULLNAME_MAX : COURSE_SHORTNAME_MAX;
				const length = Array.from(text).length;
				if (text.trim() === '' || length > max) {
					setError(text.trim() === '' ? t('restore.fieldRequired', {field: t(field.label)}) : t('restore.fieldTooLong', {field: t(field.label), max, count: length}));
					return false;
				}
				settings.set(field.name, text);
			}
		} catch (failure) {
			setError(failure instanceof Error ? failure.message : String(failure));
			return false;
		}
		setError(undefined);
		onChanged();
		return true;
	};
	const move = (to: number) => {
		if (!treeFocused && !commit(focus)) return;
		setFocus((to + fields.length + 1) % (fields.length + 1));
	};

	useFooterKeys(treeFocused
		? [t('keys.move'), t('keys.toggle'), t('keys.userData'), t('keys.all'), t('keys.none'), t('keys.type'), t('keys.filterSlash'), t('keys.edit'), t('keys.next'), t('keys.back')]
		: [t('keys.edit'), t('keys.next'), t('keys.backEsc')]);

	// While a field has the focus: Tab / Enter go to the next field, Esc goes back a step.
	useKeys(stroke => {
		if (isKey(stroke, 'tab') || isKey(stroke, 'return') || isKey(stroke, 'down')) move(focus + 1);
		else if (isKey(stroke, 'up')) move(focus - 1);
		else handleNavigationKey(stroke, shell, onBack, true);
	}, {isActive: !treeFocused});

	const sections = treeSections(settings,
		plan.info.sections.filter(section => section.included).map(section => ({id: section.sectionId, name: section.title})),
		plan.info.activities.filter(activity => activity.included).map(activity => ({cmid: activity.cmid, modname: activity.modulename, sectionId: activity.sectionId, name: activity.title})),
		t);
	return (
		<Box flexDirection="column">
			{fields.length > 0 ? <Text bold>{t('restore.schemaTitle')}</Text> : null}
			{fields.map((field, index) => {
				const locked = settings.item(field.name).locked;
				return (
					// One line each, whatever the name's length: a wrapped value would push the tree below out of its rows.
					<Box key={field.name} height={1} overflow="hidden">
						<Box flexShrink={0}>
							<Text bold={focus === index} dimColor={locked}>{focus === index ? '› ' : '  '}{t('common.labelValue', {label: t(field.label), value: ''})}</Text>
						</Box>
						{locked
							? <Text dimColor wrap="truncate-end">{textsRef.current[field.name]}</Text>
							: <TextField value={texts[field.name] ?? ''} focus={focus === index} showCursor={focus === index}
								reserved={2 + Array.from(t('common.labelValue', {label: t(field.label), value: ''})).length}
								onChange={value => {
									textsRef.current = {...textsRef.current, [field.name]: value};
									setTexts(textsRef.current);
								}} />}
					</Box>
				);
			})}
			{error ? <Text color="red">{error}</Text> : null}
			<SchemaTree sections={sections} height={Math.max(3, layout.bodyRows - fields.length - 6)} isActive={treeFocused}
				setting={name => treeSetting(settings, name, lang, t)}
				onSet={(name, value) => {
					try {
						settings.set(name, value);
					} catch {
						// Locked meanwhile: the tree shows why.
					}
					onChanged();
				}}
				onSubmit={onNext}
				onUnhandled={stroke => {
					if (isKey(stroke, 'tab')) setFocus(0);
					else handleNavigationKey(stroke, shell, onBack);
				}} />
		</Box>
	);
}
