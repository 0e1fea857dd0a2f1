import type {Row} from '../store/db.js';

/**
 * Moodle's backup_anonymizer_helper: every anonymisable field gets a per-field counter that advances once per
 * user, so the k-th user written becomes anon<k> / anonfirstname<k> / anon<k>@doesntexist.invalid, Perth, AU.
 * Fields not listed (ids, timestamps, lang, timezone ...) are kept.
 */
export class UserAnonymizer {
	private counter = 0;

	anonymize(user: Row): Row {
		this.counter++;
		const k = this.counter;
		const result: Row = {...user};
		const replace = (field: string, value: string | number): void => {
			if (field in result) result[field] = value;
		};
		replace('username', `anon${k}`);
		replace('idnumber', '');
		replace('email', `anon${k}@doesntexist.invalid`);
		replace('phone1', '');
		replace('phone2', '');
		replace('institution', '');
		replace('department', '');
		replace('address', '');
		replace('city', 'Perth');
		replace('country', 'AU');
		replace('lastip', '127.0.0.1');
		replace('picture', 0);
		replace('description', '');
		replace('descriptionformat', 0);
		replace('imagealt', '');
		replace('auth', 'manual');
		replace('firstname', `anonfirstname${k}`);
		replace('lastname', `anonlastname${k}`);
		replace('firstnamephonetic', `anonfirstnamephonetic${k}`);
		replace('lastnamephonetic', `anonlastnamephonetic${k}`);
		replace('middlename', `anonmiddlename${k}`);
		replace('alternatename', `anonalternatename${k}`);
		return result;
	}
}
