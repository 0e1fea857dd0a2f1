import {Box, Text} from 'ink';
import {useEffect, useState} from 'react';
import {listCourses, type CourseSummary} from '../../engine/catalog.js';
import {handleNavigationKey, useFooterKeys, useLayout, useServices, useShell} from '../app-context.js';
import {useI18n} from '../i18n/index.js';
import {Picker} from '../widgets/picker/picker.js';

/** Step 0: which course to back up (type to filter). */
export function CourseStep({selectedId, onChoose, onBack}: {selectedId?: number; onChoose(course: CourseSummary): void; onBack(): void}) {
	const {t} = useI18n();
	const {site} = useServices();
	const shell = useShell();
	const layout = useLayout();
	const [courses, setCourses] = useState<CourseSummary[] | undefined>(undefined);
	const [error, setError] = useState<string | undefined>(undefined);
	useEffect(() => {
		listCourses(site).then(setCourses, (failure: Error) => setError(failure.message));
	}, [site]);
	useFooterKeys([t('keys.filter'), t('keys.move'), t('keys.select'), t('keys.backEsc')]);
	if (error) return <Text color="red">{t('app.error', {message: error})}</Text>;
	if (!courses) return <Text>{t('common.loading')}</Text>;
	return (
		<Box flexDirection="column">
			<Text bold>{t('backup.pickCourse')}</Text>
			{courses.length === 0 ? <Text>{t('backup.noCourses')}</Text> : null}
			<Picker
				items={courses.map(course => ({value: String(course.id), label: course.fullname, hint: `${course.shortname} · id ${course.id}`}))}
				height={Math.max(3, layout.bodyRows - 5)}
				{...(selectedId !== undefined ? {initial: {cursor: Math.max(0, courses.findIndex(course => course.id === selectedId))}} : {})}
				onSelect={value => {
					const course = courses.find(candidate => String(candidate.id) === value);
					if (course) onChoose(course);
				}}
				onUnhandled={stroke => handleNavigationKey(stroke, shell, onBack, true)}
			/>
		</Box>
	);
}
