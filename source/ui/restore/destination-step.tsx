import {Box, Text} from 'ink';
import {useEffect, useState} from 'react';
import {listCategories, listCourses, type CategorySummary, type CourseSummary} from '../../engine/catalog.js';
import type {RestoreDestination} from '../../engine/restore/types.js';
import {handleNavigationKey, useFooterKeys, useLayout, useServices, useShell} from '../app-context.js';
import {useI18n} from '../i18n/index.js';
import {Menu} from '../widgets/menu/menu.js';
import {Picker} from '../widgets/picker/picker.js';

type Target = RestoreDestination['target'];

/**
 * Step 2 Destination: a new course in a category, merge into a course, or delete a course's contents and
 * restore; then the category or course. The previous choice is preselected when coming back.
 */
export function DestinationStep({backupType, target, current, busy, onTarget, onChoose, onBack}: {
	backupType: 'course' | 'section' | 'activity'; target: Target; current?: RestoreDestination; busy: boolean;
	onTarget(target: Target): void; onChoose(destination: RestoreDestination): void; onBack(): void;
}) {
	const {t} = useI18n();
	const {site} = useServices();
	const shell = useShell();
	const layout = useLayout();
	const [phase, setPhase] = useState<'target' | 'pick'>('target');
	const [categories, setCategories] = useState<CategorySummary[] | undefined>(undefined);
	const [courses, setCourses] = useState<CourseSummary[] | undefined>(undefined);
	useEffect(() => {
		listCategories(site).then(setCategories, () => setCategories([]));
		listCourses(site).then(setCourses, () => setCourses([]));
	}, [site]);
	useFooterKeys(phase === 'target'
		? [t('keys.move'), t('keys.select'), t('keys.back'), t('keys.quit')]
		: [t('keys.filter'), t('keys.move'), t('keys.select'), t('keys.backEsc')]);

	const targets: Array<{value: Target; label: string}> = [
		{value: 'new', label: t('restore.destNew')},
		{value: 'merge', label: t('restore.destMerge')},
		...(backupType === 'course' ? [{value: 'replace' as const, label: t('restore.destReplace')}] : []),
	];
	if (phase === 'target') {
		return (
			<Box flexDirection="column">
				<Text bold>{t('steps.destination')}</Text>
				<Menu items={targets} initialValue={target} isActive={!busy}
					onSelect={value => {
						onTarget(value as Target);
						setPhase('pick');
					}}
					onUnhandled={stroke => handleNavigationKey(stroke, shell, onBack)} />
				{busy ? <Text>{t('common.loading')}</Text> : null}
			</Box>
		);
	}
	const height = Math.max(3, layout.bodyRows - 6);
	const back = () => setPhase('target');
	if (target === 'new') {
		if (!categories) return <Text>{t('common.loading')}</Text>;
		const selected = current?.target === 'new' ? categories.findIndex(category => category.id === current.categoryId) : -1;
		return (
			<Box flexDirection="column">
				<Text bold>{t('restore.pickCategory')}</Text>
				{categories.length === 0 ? <Text>{t('restore.noCategories')}</Text> : null}
				<Picker items={categories.map(category => ({value: String(category.id), label: category.path, hint: `id ${category.id}`}))}
					height={height} isActive={!busy} {...(selected >= 0 ? {initial: {cursor: selected}} : {})}
					onSelect={value => onChoose({target: 'new', categoryId: Number(value)})}
					onUnhandled={stroke => handleNavigationKey(stroke, shell, back, true)} />
				{busy ? <Text>{t('common.loading')}</Text> : null}
			</Box>
		);
	}
	if (!courses) return <Text>{t('common.loading')}</Text>;
	const selected = current && current.target !== 'new' ? courses.findIndex(course => course.id === current.courseId) : -1;
	return (
		<Box flexDirection="column">
			<Text bold>{t('restore.pickCourse')}</Text>
			<Text dimColor>{target === 'merge' ? t('restore.destMerge') : t('restore.destReplace')}</Text>
			<Picker items={courses.map(course => ({value: String(course.id), label: course.fullname, hint: `${course.shortname} · id ${course.id}`}))}
				height={height} isActive={!busy} {...(selected >= 0 ? {initial: {cursor: selected}} : {})}
				onSelect={value => onChoose(target === 'merge' ? {target: 'merge', courseId: Number(value)} : {target: 'replace', courseId: Number(value)})}
				onUnhandled={stroke => handleNavigationKey(stroke, shell, back, true)} />
			{busy ? <Text>{t('common.loading')}</Text> : null}
		</Box>
	);
}
