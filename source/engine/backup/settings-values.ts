/**
 * The backup writer reads settings by Moodle name (`users`, `section_143_included`, `forum_445_userinfo` ...).
 * It accepts the settings engine's plan (anything exposing each setting's value by name) or a plain record, and
 * normalises to booleans/strings once, so every part of the writer asks the same question the same way.
 */
export type SettingValue = boolean | number | string;

export type SettingsPlanLike =
	| {readonly settings: ReadonlyArray<{readonly name: string; readonly value: unknown}> | ReadonlyMap<string, {readonly value: unknown}>}
	| {get(name: string): unknown}
	| ReadonlyMap<string, unknown>
	| Readonly<Record<string, unknown>>;

export class BackupSettings {
	private readonly values = new Map<string, SettingValue>();

	constructor(source: SettingsPlanLike) {
		for (const [name, value] of readPairs(source)) this.values.set(name, normalise(value));
	}

	has(name: string): boolean {
		return this.values.has(name);
	}

	/** Boolean view: absent settings use `fallback` (Moodle's initial value, 1 for nearly all). */
	on(name: string, fallback = true): boolean {
		const value = this.values.get(name);
		if (value === undefined) return fallback;
		if (typeof value === 'boolean') return value;
		if (typeof value === 'number') return value !== 0;
		return value !== '' && value !== '0';
	}

	text(name: string): string | undefined {
		const value = this.values.get(name);
		return value === undefined ? undefined : String(value === true ? 1 : value === false ? 0 : value);
	}

	set(name: string, value: SettingValue): void {
		this.values.set(name, value);
	}
}

function normalise(value: unknown): SettingValue {
	if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
	if (value && typeof value === 'object' && 'value' in value) return normalise((value as {value: unknown}).value);
	return Boolean(value);
}

function * readPairs(source: SettingsPlanLike): Iterable<[string, unknown]> {
	if (source instanceof Map) {
		yield * (source as ReadonlyMap<string, unknown>).entries();
		return;
	}
	if ('settings' in source && typeof source.settings === 'object' && source.settings !== null) {
		const settings = source.settings as unknown;
		if (settings instanceof Map) {
			for (const [name, setting] of settings as Map<string, unknown>) yield [name, setting];
			return;
		}
		if (Array.isArray(settings)) {
			for (const setting of settings as Array<{name: string; value: unknown}>) yield [setting.name, setting.value];
			return;
		}
	}
	if ('values' in source && typeof source['values'] === 'function') {
		const values = (source['values'] as () => unknown).call(source);
		if (values instanceof Map) {
			yield * (values as Map<string, unknown>).entries();
			return;
		}
		if (values && typeof values === 'object') {
			yield * Object.entries(values);
			return;
		}
	}
	for (const [name, value] of Object.entries(source)) {
		if (typeof value !== 'function') yield [name, value];
	}
}
