import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import yauzl from 'yauzl';
import {backupFileName, cleanFilename} from '../../../source/engine/backup/file-name.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../fixtures');

/** moodle_backup.xml of a fixture, read with the system tar (tgz) or yauzl (zip), independently of our reader. */
async function moodleBackupXml(file: string): Promise<string> {
	const head = readFileSync(file).subarray(0, 2);
	if (head[0] === 0x1f && head[1] === 0x8b) {
		return execFileSync('tar', ['xzf', file, '-O', 'moodle_backup.xml'], {encoding: 'utf8'});
	}
	return new Promise((resolve, reject) => {
		yauzl.open(file, {lazyEntries: true}, (error, zip) => {
			if (error || !zip) return reject(error);
			zip.on('entry', (entry: yauzl.Entry) => {
				if (entry.fileName !== 'moodle_backup.xml') return zip.readEntry();
				zip.openReadStream(entry, (streamError, stream) => {
					if (streamError || !stream) return reject(streamError);
					const chunks: Buffer[] = [];
					stream.on('data', (chunk: Buffer) => chunks.push(chunk));
					stream.on('end', () => { zip.close(); resolve(Buffer.concat(chunks).toString('utf8')); });
				});
			});
			zip.on('end', () => reject(new Error(`no moodle_backup.xml in ${file}`)));
			zip.readEntry();
		});
	});
}

function field(xml: string, name: string): string {
	const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
	if (!match) throw new Error(`no <${name}>`);
	return match[1]!;
}

function rootSetting(xml: string, name: string): string {
	const match = new RegExp(`<level>root</level>\\s*<name>${name}</name>\\s*<value>([^<]*)</value>`).exec(xml);
	if (!match) throw new Error(`no root setting ${name}`);
	return match[1]!;
}

const fixtures = readdirSync(FIXTURES).filter(name => name.endsWith('.mbz')).sort();

test('there are real fixtures to check names against', t => {
	t.true(fixtures.length >= 10);
});

for (const fixture of fixtures) {
	test(`the name Moodle gave ${fixture} is reproduced`, async t => {
		const xml = await moodleBackupXml(path.join(FIXTURES, fixture));
		const expected = field(xml, 'name');
		const type = field(xml, 'type') as 'course' | 'activity';
		const activity = /<activity>\s*<moduleid>(\d+)<\/moduleid>\s*<sectionid>\d+<\/sectionid>\s*<modulename>(\w+)<\/modulename>/.exec(xml);
		const id = type === 'course' ? Number(field(xml, 'original_course_id')) : Number(activity![1]);
		// Moodle computed the name a few seconds before writing backup_date, within the same minute for every fixture.
		const name = backupFileName({
			type,
			id,
			name: field(xml, 'original_course_shortname'),
			...(activity ? {modname: activity[2]!} : {}),
			users: rootSetting(xml, 'users') === '1',
			anonymized: rootSetting(xml, 'anonymize') === '1',
			date: new Date(Number(field(xml, 'backup_date')) * 1000),
			timeZone: 'UTC',
		});
		t.is(name, expected);
		t.is(rootSetting(xml, 'filename'), expected);
	});
}

test('the French example follows 4.1: apostrophe removed, accents and case folding kept', t => {
	const name = backupFileName({
		type: 'course', id: 32780, name: 'Développer mes compétences d\'apprentissage en classe', users: true,
		date: new Date(Date.UTC(2019, 5, 27, 7, 22)), timeZone: 'Europe/Paris', lang: 'fr',
	});
	t.is(name, 'sauvegarde-moodle2-course-32780-développer_mes_compétences_dapprentissage_en_classe-20190627-0922.mbz');
});

test('flags: -nu wins over -an, -nf is appended', t => {
	const base = {type: 'course' as const, id: 42, name: 'BIO101', date: new Date(Date.UTC(2024, 3, 29, 10, 15)), timeZone: 'UTC'};
	t.is(backupFileName({...base, users: true}), 'backup-moodle2-course-42-bio101-20240429-1015.mbz');
	t.is(backupFileName({...base, users: false, anonymized: true}), 'backup-moodle2-course-42-bio101-20240429-1015-nu.mbz');
	t.is(backupFileName({...base, users: true, anonymized: true}), 'backup-moodle2-course-42-bio101-20240429-1015-an.mbz');
	t.is(backupFileName({...base, users: false, files: false}), 'backup-moodle2-course-42-bio101-20240429-1015-nu-nf.mbz');
	t.is(backupFileName({...base, users: true, useIdOnly: true}), 'backup-moodle2-course-42-20240429-1015.mbz');
});

test('section and activity names', t => {
	const date = new Date(Date.UTC(2024, 3, 29, 10, 15));
	t.is(backupFileName({type: 'section', id: 377, name: 'Week 3', users: true, anonymized: true, date, timeZone: 'UTC'}),
		'backup-moodle2-section-377-week_3-20240429-1015-an.mbz');
	t.is(backupFileName({type: 'section', id: 378, name: '', sectionNumber: 4, users: true, date, timeZone: 'UTC'}),
		'backup-moodle2-section-378-4-20240429-1015.mbz');
	t.is(backupFileName({type: 'activity', id: 1234, modname: 'quiz', users: false, files: false, date, timeZone: 'UTC'}),
		'backup-moodle2-activity-1234-quiz1234-20240429-1015-nu-nf.mbz');
});

test('the time is taken in the given time zone', t => {
	const date = new Date(Date.UTC(2024, 11, 31, 23, 30));
	t.is(backupFileName({type: 'course', id: 1, name: 'X', users: true, date, timeZone: 'UTC'}), 'backup-moodle2-course-1-x-20241231-2330.mbz');
	t.is(backupFileName({type: 'course', id: 1, name: 'X', users: true, date, timeZone: 'Europe/Paris'}), 'backup-moodle2-course-1-x-20250101-0030.mbz');
});

test('cleaning removes what PARAM_FILE removes, and format_string escapes ampersands first', t => {
	t.is(cleanFilename('a&b<c>d"e`f|g\'h:i\\j/k\u0007l'), 'abcdefghijkl');
	const date = new Date(Date.UTC(2024, 0, 1));
	t.is(backupFileName({type: 'course', id: 5, name: 'R&D: Intro / 1', users: true, date, timeZone: 'UTC'}),
		'backup-moodle2-course-5-ramp;d_intro__1-20240101-0000.mbz');
	t.is(backupFileName({type: 'course', id: 6, name: '_Über Kurs_', users: true, date, timeZone: 'UTC'}),
		'backup-moodle2-course-6-über_kurs-20240101-0000.mbz');
});
