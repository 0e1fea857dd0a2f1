import test, {type ExecutionContext} from 'ava';
import {openRestore, type RestorePlan} from '../../source/engine/restore/restore-plan.js';
import {reviewLines} from '../../source/ui/restore/review-step.js';
import {countsText} from '../../source/ui/restore/restore-labels.js';
import {translator} from '../../source/ui/i18n/index.js';
import {fixturePath} from '../helpers/fixtures.js';
import {tempServices} from './temp-site.js';
import {buildRow} from '../../source/engine/restore/table-rows.js';

/** rich101_users.mbz opened on a fresh site, to be restored as a new course (closed when the test ends). */
async function rich101AsNewCourse(t: ExecutionContext): Promise<RestorePlan> {
	const {site} = await tempServices(t);
	const plan = await openRestore(site, fixturePath('rich101_users.mbz'));
	t.teardown(() => plan.close());
	await plan.setDestination({target: 'new', categoryId: 1});
	return plan;
}

test('the Review page names each enrolment method as Moodle does and says what becomes of it, with labelled counts, in English and French', async t => {
	const review = await (await rich101AsNewCourse(t)).review();
	const text = (lang: 'en' | 'fr') => reviewLines(review, {lang, t: translator(lang)}).map(line => line.text).join('\n');

	const english = text('en');
	t.regex(english, /^Enrolment methods:$/m);
	t.regex(english, /^ {2}Manual enrolments: restored, 10 user enrolments$/m);
	t.regex(english, /^ {2}Guest access: restored$/m);
	t.regex(english, /^ {2}Cohort sync "Cohort sync Promotion 2024": not restored, 5 user enrolments lost$/m);
	t.regex(english, /^Will restore:\n {2}7 of 7 sections · 17 of 17 activities \(Forum 2, Text and media area 2, Page 3, URL 1, File 2, Folder 1, Book 1, Chat 1, Choice 1, Assignment 1, Quiz 1, Glossary 1\)$/m);
	t.regex(english, /^ {2}3 enrolment methods · 10 user enrolments$/m);
	t.regex(english, /^ {2}3 groups, 2 groupings · 4 questions · 13 files$/m);
	t.notRegex(english, /usersToCreate|enrolMethods|activity\./, 'no internal names');

	const french = text('fr');
	t.regex(french, /^ {2}Inscription manuelle : méthode restaurée, 10 inscriptions d'utilisateurs$/m);
	t.regex(french, /^ {2}Synchronisation des cohortes « Cohort sync Promotion 2024 » : méthode non restaurée, 5 inscriptions d'utilisateurs perdues$/m);
	t.regex(french, /^ {2}Accès anonyme : méthode restaurée$/m, 'the outcome agrees with any method\'s gender');
	t.regex(english, /^Destination: Restore as a new course \(Category: Miscellaneous, id 1\)$/m);
	t.regex(french, /^Destination : Restaurer comme nouveau cours \(Catégorie : Miscellaneous, id 1\)$/m);
	t.regex(french, /^ {2}7 sections sur 7 · 17 activités sur 17 \(Forum 2, Zone texte et média 2, Page 3, /m);
	// The engine's warnings in the interface's language, the dropped method under Moodle's name.
	t.regex(english, /^ {2}! enrolment method Cohort sync "Cohort sync Promotion 2024" dropped: cohort id 5 belongs to the original site/m);
	t.regex(french, /^ {2}! le compte admin de la sauvegarde est restauré comme un nouveau compte « admin_[0-9a-f]{32} »/m);
	t.regex(french, /^ {2}! méthode d'inscription Synchronisation des cohortes « Cohort sync Promotion 2024 » non restaurée : la cohorte id 5 appartient au site d'origine et n'existe pas ici ; 4 utilisateur\(s\) perdent l'accès au cours : lroux, nvincent, ofournier, pmorel/m);
	for (const warning of review.warnings) t.false(french.includes(warning.text), `not in English: ${warning.text}`);
});

test('a refused review says why in the interface\'s language and which setting resolves it', async t => {
	const {site} = await tempServices(t);
	await site.db.insert('user', buildRow('user', {username: 'jdupont', email: 'someone.else@example.org', firstname: 'Other', lastname: 'Person', auth: 'manual', mnethostid: 1, confirmed: 1, timecreated: 1}));
	const plan = await openRestore(site, fixturePath('rich101_users.mbz'));
	t.teardown(() => plan.close());
	await plan.setDestination({target: 'new', categoryId: 1});
	const review = await plan.review();
	const french = reviewLines(review, {lang: 'fr', t: translator('fr')}).map(line => line.text).join('\n');
	t.regex(french, /^✗ .+\n {2}1 conflit\(s\) d'utilisateurs : jdupont \(le nom d'utilisateur « jdupont » existe ici avec une autre adresse de courriel \(sauvegarde [^ ]+, ici someone\.else@example\.org\) et aucun premier accès identique\)$/m);
	t.regex(french, /^ {2}Dans les réglages, choisissez « En cas de conflit de noms d'utilisateur » : « Restaurer sans les données utilisateur » \(recommandé\)/m);
	const english = reviewLines(review, {lang: 'en', t: translator('en')}).map(line => line.text).join('\n');
	t.regex(english, /^ {2}In Settings, set “When usernames conflict” to “Restore without user data” \(recommended\)/m);
	t.notRegex(english, /--on-conflict/, 'the wizard names its own setting, not the command\'s flag');
	// Mapping by email already chosen and not enough (nobody here has that address): it is not advised again.
	plan.setOptions({conflictPolicy: 'map-by-email'});
	const mapped = reviewLines(await plan.review(), {lang: 'en', t: translator('en')}).map(line => line.text).join('\n');
	t.regex(mapped, /^ {2}No account here has their e-mail address, so “Map to the account with the same e-mail” cannot resolve them: in Settings, set “When usernames conflict” to “Restore without user data”\.$/m);
});

test('the Complete page says what was restored in words, activity types after the activities, in English and French', async t => {
	const result = await (await rich101AsNewCourse(t)).execute();
	const english = countsText(result.counts, translator('en'));
	t.regex(english, /^courses 1, /);
	t.regex(english, /activities 17 \(Forum 2, Text and media area 2, Page 3, URL 1, File 2, Folder 1, Book 1, Chat 1, Choice 1, Assignment 1, Quiz 1, Glossary 1\)/, 'activity types by Moodle\'s module names');
	t.regex(english, /user enrolments 10\b/);
	// The activities' own role assignments, grade items, grades and comments are counted with the course's (as the database holds them).
	t.regex(english, /role assignments 12\b/);
	t.regex(english, /grade items 5, grades 40\b/);
	t.regex(english, /comments 3\b/);
	t.regex(english, /course-level files 3, files 13$/);
	t.regex(english, /group members 9\b/);
	t.regex(english, /questions 4\b/);
	t.notRegex(english, /[a-z][A-Z]|activity\./, 'no internal names');
	t.notRegex(english, /usersCreated|users created/, 'the users created have a line of their own');
	const french = countsText(result.counts, translator('fr'));
	t.regex(french, /activités 17 \(Forum 2, Zone texte et média 2, Page 3, URL 1, Fichier 2, Dossier 1, Livre 1, Chat 1, Sondage 1, Devoir 1, Test 1, Glossaire 1\)/);
	t.regex(french, /membres de groupes 9\b/);
	t.deepEqual(french.split(', ').length, english.split(', ').length);
});
