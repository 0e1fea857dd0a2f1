import test from 'ava';
import type {RestoreResult} from '../../source/engine/restore/types.js';
import {CompleteStep} from '../../source/ui/restore/complete-step.js';
import {renderScreen} from './helpers.js';
import {tempServices} from './temp-site.js';

const result = (counts: Record<string, number>): RestoreResult => ({
	courseId: 12, courseContextId: 40, fullname: 'Histoire', shortname: 'HIST', usersCreated: [], usersMapped: [],
	enrolments: [], counts, warnings: [],
});

test('Complete sends the admin to the participants only when users were enrolled', async t => {
	const services = await tempServices(t);
	const withUsers = await renderScreen(<CompleteStep result={result({sections: 3, userEnrolments: 10})} onDone={() => undefined} />, services);
	t.regex(withUsers.frame(), /What to check next: the participants/);
	withUsers.unmount();
	const withoutUsers = await renderScreen(<CompleteStep result={result({sections: 3})} onDone={() => undefined} />, services);
	t.regex(withoutUsers.frame(), /What to check next: the course contents and the gradebook\./);
	t.notRegex(withoutUsers.frame(), /participants/);
	withoutUsers.unmount();
});
