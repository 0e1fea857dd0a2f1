import {Box, Text} from 'ink';
import type {EnrolmentReview, RestoreReview} from '../../engine/restore/types.js';
import {handleNavigationKey, useFooterKeys, useLayout, useShell} from '../app-context.js';
import {nameIn, noticeIn, useI18n, type I18n, type MessageKey} from '../i18n/index.js';
import {isKey} from '../keys.js';
import {formatDate} from '../format.js';
import {TextView, type TextLine} from '../widgets/text-view/text-view.js';
import {activityTypes} from './restore-labels.js';

export function destinationText(review: RestoreReview, {t}: I18n): string {
	const destination = review.destination;
	if (destination.target === 'new') return `${t('restore.destNew')} (${t('common.labelValue', {label: t('restore.category'), value: `${review.destinationName}, id ${destination.categoryId}`})})`;
	return t('common.labelValue', {label: destination.target === 'merge' ? t('restore.destMerge') : t('restore.destReplace'), value: `${review.destinationName}, id ${destination.courseId}`});
}

/** The Review page as lines: blockers first, then destination, course, users, enrolments, counts and warnings. */
export function reviewLines(review: RestoreReview, i18n: I18n): TextLine[] {
	const {t} = i18n;
	const lines: TextLine[] = [];
	if (review.blockers.length > 0) {
		lines.push({text: `✗ ${t('restore.reviewBlockers')}`, color: 'red', bold: true});
		for (const blocker of review.blockers) lines.push({text: `  ${noticeIn(i18n, blocker)}`, color: 'red'});
		if (review.precheck.conflicts.length > 0) {
			// Mapping by email is already chosen and leaves these conflicts: only leaving the users out is left to advise.
			const key = review.conflictPolicy === 'map-by-email' ? 'restore.conflictRecommendationNoUsers' : 'restore.conflictRecommendation';
			lines.push({text: `  ${t(key, {setting: t('restore.conflictPolicy'), noUsers: t('restore.policyNoUsers'), mapEmail: t('restore.policyMapEmail')})}`, color: 'yellow'});
		}
		lines.push({text: ''});
	}
	lines.push({text: t('restore.reviewDestination', {destination: destinationText(review, i18n)})});
	lines.push({text: t('restore.reviewCourse', {fullname: review.course.fullname, shortname: review.course.shortname, date: formatDate(review.course.startdate)})});
	// Users in conflict are neither created nor mapped: the line says so rather than a tick beside a refusal.
	const conflicts = review.usersIncluded ? review.precheck.conflicts.length : 0;
	lines.push({
		text: t('restore.reviewUsers', {users: review.usersIncluded
			? `${conflicts > 0 ? t('common.off') : t('common.on')} ${t('restore.toCreate', {count: review.precheck.toCreate.length, mapped: review.precheck.toMap.length})}${conflicts > 0 ? ` · ${t('restore.inConflict', {count: conflicts})}` : ''}`
			: `${t('common.off')} ${t('common.none')}`}),
		...(conflicts > 0 ? {color: 'red'} : {}),
	});
	const missingCohorts = review.enrolments.filter(enrolment => enrolment.method === 'cohort' && enrolment.outcome !== 'restored' && enrolment.outcome !== 'reused');
	if (missingCohorts.length > 0) {
		lines.push({text: `! ${t('restore.cohortsMissing', {list: missingCohorts.map(enrolment => t('restore.enrolLine', {method: enrolment.name ?? enrolment.method, outcome: t(OUTCOME_KEYS[enrolment.outcome]), users: '', detail: ''})).join('; ')})}`, color: 'yellow'});
	}
	if (review.enrolments.length > 0) {
		lines.push({text: t('restore.reviewEnrolments')});
		for (const enrolment of review.enrolments) lines.push({text: `  ${enrolmentLine(enrolment, i18n)}`, dim: enrolment.outcome === 'dropped'});
	}
	const counts = review.counts;
	const count = (name: string): number => counts[name] ?? 0;
	const types = activityTypes(counts, t);
	lines.push({text: t('restore.reviewCounts')});
	lines.push({text: `  ${t('restore.reviewSchema', {
		sections: count('sections'), sectionsTotal: review.sections.length, activities: count('activities'), activitiesTotal: review.activities.length,
		types: types ? ` (${types})` : '',
	})}`});
	if (review.type === 'course') lines.push({text: `  ${t('restore.reviewEnrolCounts', {methods: count('enrolMethods'), enrolments: count('userEnrolments')})}`});
	lines.push({text: `  ${t('restore.reviewOtherCounts', {groups: count('groups'), groupings: count('groupings'), questions: count('questions'), files: count('files')})}`});
	if (review.warnings.length > 0) {
		lines.push({text: t('restore.warnings'), color: 'yellow', bold: true});
		for (const warning of review.warnings) lines.push({text: `  ! ${noticeIn(i18n, warning)}`, color: 'yellow'});
	}
	return lines;
}

/** 'manual' is the manual method itself, restored into the course's manual instance. */
const OUTCOME_KEYS: Record<EnrolmentReview['outcome'], MessageKey> = {
	restored: 'enrolOutcome.restored', reused: 'enrolOutcome.reused', manual: 'enrolOutcome.restored', 'converted to manual': 'enrolOutcome.convertedToManual',
	'rescued as manual': 'enrolOutcome.rescuedAsManual', dropped: 'enrolOutcome.dropped', guest: 'enrolOutcome.guest',
};

/** One enrolment method as Moodle names it, what becomes of it, and how many user enrolments it brings. */
export function enrolmentLine(enrolment: EnrolmentReview, i18n: I18n): string {
	const {t} = i18n;
	const method = nameIn(t, 'enrol', enrolment.method);
	// A dropped method's user enrolments are what is lost: said so, not counted as if they came along.
	const users = enrolment.method === 'guest' ? '' : `, ${t(enrolment.outcome === 'dropped' ? 'restore.enrolUsersLost' : 'restore.enrolUsers', {count: enrolment.users})}`;
	// What a kept method will enrol from the live site; why others are dropped or converted is in the warnings.
	const detail = enrolment.detail && (enrolment.outcome === 'restored' || enrolment.outcome === 'reused') ? ` — ${noticeIn(i18n, enrolment.detail)}` : '';
	return t('restore.enrolLine', {method: enrolment.name ? `${method} ${t('common.quoted', {text: enrolment.name})}` : method, outcome: t(OUTCOME_KEYS[enrolment.outcome]), users, detail});
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
