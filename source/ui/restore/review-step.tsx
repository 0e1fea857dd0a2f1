import {Box, Text} from 'ink';
import type {RestoreReview} from '../../engine/restore/types.js';
import {handleNavigationKey, useFooterKeys, useLayout, useShell} from '../app-context.js';
import {useI18n, type I18n} from '../i18n/index.js';
import {isKey} from '../keys.js';
import {formatDate} from '../format.js';
import {TextView, type TextLine} from '../widgets/text-view/text-view.js';

export function destinationText(review: RestoreReview, {t}: I18n): string {
	const destination = review.destination;
	if (destination.target === 'new') return `${t('restore.destNew')} (${t('restore.category')} ${destination.categoryId})`;
	return `${destination.target === 'merge' ? t('restore.destMerge') : t('restore.destReplace')} (id ${destination.courseId})`;
}

/** The Review page as lines: blockers first, then destination, course, users, enrolments, counts and warnings. */
export function reviewLines(review: RestoreReview, i18n: I18n): TextLine[] {
	const {t} = i18n;
	const lines: TextLine[] = [];
	if (review.blockers.length > 0) {
		lines.push({text: `✗ ${t('restore.reviewBlockers')}`, color: 'red', bold: true});
		for (const blocker of review.blockers) lines.push({text: `  ${blocker}`, color: 'red'});
		if (review.precheck.recommendation) lines.push({text: `  ${review.precheck.recommendation}`, color: 'yellow'});
		lines.push({text: ''});
	}
	lines.push({text: t('restore.reviewDestination', {destination: destinationText(review, i18n)})});
	lines.push({text: t('restore.reviewCourse', {fullname: review.course.fullname, shortname: review.course.shortname, date: formatDate(review.course.startdate)})});
	lines.push({text: t('restore.reviewUsers', {users: review.usersIncluded
		? `${t('common.on')} ${t('restore.toCreate', {count: review.precheck.toCreate.length, mapped: review.precheck.toMap.length})}`
		: `${t('common.off')} ${t('common.none')}`})});
	const missingCohorts = review.enrolments.filter(enrolment => enrolment.method === 'cohort' && enrolment.outcome !== 'restored' && enrolment.outcome !== 'reused');
	if (missingCohorts.length > 0) {
		lines.push({text: `! ${t('restore.cohortsMissing', {list: missingCohorts.map(enrolment => `${enrolment.name ?? enrolment.method}: ${enrolment.outcome}${enrolment.detail ? ` (${enrolment.detail})` : ''}`).join('; ')})}`, color: 'yellow'});
	}
	for (const enrolment of review.enrolments) {
		lines.push({text: `  ${enrolment.method}${enrolment.name ? ` "${enrolment.name}"` : ''}: ${enrolment.outcome}, ${enrolment.users}${enrolment.detail ? ` — ${enrolment.detail}` : ''}`, dim: enrolment.outcome === 'dropped'});
	}
	const counts = Object.entries(review.counts).filter(([, count]) => count > 0).map(([name, count]) => `${name} ${count}`).join(', ');
	lines.push({text: t('restore.reviewCounts', {counts: counts || t('common.none')})});
	const sections = review.sections.filter(section => section.included).length;
	const activities = review.activities.filter(activity => activity.included).length;
	lines.push({text: `  ${t('restore.sections')}: ${sections}/${review.sections.length} · ${activities}/${review.activities.length}`});
	if (review.warnings.length > 0) {
		lines.push({text: t('restore.warnings'), color: 'yellow', bold: true});
		for (const warning of review.warnings) lines.push({text: `  ! ${warning}`, color: 'yellow'});
	}
	return lines;
}

/** Step 5 Review: nothing has been written; Enter performs the restore (unless something blocks it). */
export function ReviewStep({review, onPerform, onBack}: {review: RestoreReview; onPerform(): void; onBack(): void}) {
	const i18n = useI18n();
	const {t} = i18n;
	const shell = useShell();
	const layout = useLayout();
	const blocked = review.blockers.length > 0;
	useFooterKeys([t('keys.move'), ...(blocked ? [] : [t('keys.perform')]), t('keys.back'), t('keys.quit')]);
	return (
		<Box flexDirection="column">
			<Text bold>{t('restore.reviewTitle')}</Text>
			<TextView lines={reviewLines(review, i18n)} height={Math.max(3, layout.bodyRows - 6)} onUnhandled={stroke => {
				if (isKey(stroke, 'return')) {
					if (!blocked) onPerform();
				} else handleNavigationKey(stroke, shell, onBack);
			}} />
			{blocked ? null : <Text bold>{t('restore.performHint')}</Text>}
		</Box>
	);
}
