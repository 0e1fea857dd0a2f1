import {UsageError} from '../errors.js';
import {lockReason, settingLabel, settingLabelKey} from './labels.js';
import type {
	ActivityRef, DependencyKind, LockKind, LockReason, MoodleSettingEntry, SectionRef, SettingItem,
	SettingLevel, SettingOption, SettingType, SettingValue,
} from './types.js';

export type SettingDefinition = {
	name: string;
	level: SettingLevel;
	type: SettingType;
	value: SettingValue;
	labelKey?: string;
	label?: string;
	options?: readonly SettingOption[];
	section?: SectionRef;
	activity?: ActivityRef;
	visible?: boolean;
	/** Text settings: a value is required (not only spaces); at most this many characters (Moodle's form limits). */
	required?: boolean;
	maxLength?: number;
};

type Dependency = {
	parent: string;
	kind: DependencyKind;
	/** Value the child takes while the dependency fires; by default off (false / 0 / first option) or its own value for text. */
	forcedValue?: SettingValue;
	/** coveredByValue: the parent's value that fires it. */
	whenValue?: SettingValue;
};

type FixedLock = {kind: 'config' | 'permission' | 'content'; reason: LockReason};

type SettingState = {
	definition: SettingDefinition;
	default: SettingValue;
	/** What was chosen (default, admin default or user): Moodle's "unlocked value", restored when a lock clears. */
	chosen: SettingValue;
	dependencies: Dependency[];
	/** Position in definition order (parents come first). */
	order: number;
	fixedLock?: FixedLock;
	// Computed by evaluate():
	value: SettingValue;
	lockKind?: LockKind;
	lockReason?: LockReason;
};

const LEVEL_RANK: Record<SettingLevel, number> = {root: 0, course: 1, section: 2, activity: 3};

/** Truthiness as Moodle's checkbox dependencies test it. */
function isOn(value: SettingValue): boolean {
	if (typeof value === 'string') return value !== '' && value !== '0';
	return Boolean(value);
}

/**
 * One settings engine for backup and restore (Moodle's base_setting + setting_dependency): values, defaults,
 * dependencies and locks, each lock with a reason.
 *
 * Deliberate difference from Moodle: a dependency that fires always switches its child off, whatever lock the
 * child has. Moodle leaves config-locked children untouched, which is how `users=0` plus the admin default
 * `role_assignments=1` yields the inconsistent "no users" backup of fixtures/MANIFEST.md (the quirk). Values are
 * derived from the choices on every change, so no order of defaults can produce that state here.
 * Also, a parent locked at an enabling value (e.g. the admin locks `activities` on) does not lock its children.
 */
export class SettingsPlan {
	private readonly states = new Map<string, SettingState>();
	/** Values and locks are recomputed lazily, so building a plan of thousands of settings stays linear. */
	private dirty = false;

	constructor(readonly direction: 'backup' | 'restore') {}

	/** Adds a setting; parents must be added before the settings that depend on them. */
	add(definition: SettingDefinition): void {
		if (this.states.has(definition.name)) throw new Error(`setting "${definition.name}" defined twice`);
		this.states.set(definition.name, {
			definition, default: definition.value, chosen: definition.value, dependencies: [], value: definition.value, order: this.states.size,
		});
		this.dirty = true;
	}

	/** Makes `child` depend on `parent` (Moodle: `parent->add_dependency(child)`). */
	addDependency(parent: string, child: string, kind: DependencyKind = 'disabledIfNot', forcedValue?: SettingValue): void {
		const parentState = this.state(parent);
		const childState = this.state(child);
		if (parentState.order > childState.order) throw new Error(`setting "${parent}" must be defined before "${child}"`);
		const dependency: Dependency = {parent, kind};
		if (forcedValue !== undefined) dependency.forcedValue = forcedValue;
		childState.dependencies.push(dependency);
		this.dirty = true;
	}

	/**
	 * While `parent` is `parentValue`, that choice already does what `child` asks: the child shows as on and locked,
	 * and its own choice comes back when the parent changes.
	 */
	addCoveredBy(parent: string, parentValue: SettingValue, child: string): void {
		this.addDependency(parent, child, 'coveredByValue', true);
		this.state(child).dependencies.at(-1)!.whenValue = parentValue;
	}

	/** Locks a setting at `value` (config, permission or "not in the backup"). A stronger existing lock wins. */
	lock(name: string, kind: FixedLock['kind'], reason: LockReason, value?: SettingValue): void {
		const state = this.state(name);
		const rank = {config: 1, permission: 2, content: 3};
		if (state.fixedLock && rank[state.fixedLock.kind] >= rank[kind]) return;
		if (value !== undefined) {
			this.checkValue(state, value);
			state.chosen = value;
		}
		state.fixedLock = {kind, reason};
		this.dirty = true;
	}

	/** Changes the default of a setting (before any choice is made), e.g. admin defaults. Ignored on fixed locks. */
	applyDefault(name: string, value: SettingValue, lockedByConfig = false): void {
		const state = this.states.get(name);
		if (!state || state.fixedLock) return;
		// A value that does not fit (e.g. an option not offered) falls back to the first option, as Moodle does.
		try {
			this.checkValue(state, value);
		} catch {
			const first = state.definition.options?.[0];
			if (!first) return;
			value = first.value;
		}
		state.chosen = value;
		if (lockedByConfig) state.fixedLock = {kind: 'config', reason: lockReason('adminLocked')};
		this.dirty = true;
	}

	has(name: string): boolean {
		return this.states.has(name);
	}

	get(name: string): SettingValue {
		this.ensureEvaluated();
		return this.state(name).value;
	}

	/** The value as a boolean (checkboxes; for selects: anything but '' / '0'). */
	isOn(name: string): boolean {
		return isOn(this.get(name));
	}

	/** Sets a value chosen by the user. Throws UsageError naming the setting and the reason if it is locked. */
	set(name: string, value: SettingValue): void {
		this.ensureEvaluated();
		const state = this.state(name);
		if (state.lockReason) {
			throw new UsageError(`setting "${name}" (${this.labelOf(state)}) is locked: ${state.lockReason.text}`);
		}
		this.checkValue(state, value);
		state.chosen = value;
		this.dirty = true;
	}

	/**
	 * What was chosen for a setting, whatever a dependency forces now (Moodle's unlocked value): what it comes back to
	 * when the lock clears, and what "last used" remembers. A backup without users must not make the next one lose
	 * its role assignments.
	 */
	chosen(name: string): SettingValue {
		return this.state(name).chosen;
	}

	item(name: string): SettingItem {
		this.ensureEvaluated();
		return this.toItem(this.state(name));
	}

	/** Display-ready settings in Moodle's order, optionally of one level. */
	list(level?: SettingLevel): SettingItem[] {
		this.ensureEvaluated();
		const items: SettingItem[] = [];
		for (const state of this.states.values()) {
			if (level === undefined || state.definition.level === level) items.push(this.toItem(state));
		}
		return items;
	}

	/** Settings as moodle_backup.xml lists them (root, section, activity), booleans as 1/0. */
	toMoodleSettings(): MoodleSettingEntry[] {
		this.ensureEvaluated();
		const entries: MoodleSettingEntry[] = [];
		for (const state of this.states.values()) {
			const {level, section, activity, name} = state.definition;
			if (level === 'course') continue;
			const value = typeof state.value === 'boolean' ? (state.value ? '1' : '0') : String(state.value);
			const entry: MoodleSettingEntry = {level, name, value};
			if (level === 'section' && section) entry.section = `section_${section.id}`;
			if (level === 'activity' && activity) entry.activity = `${activity.modname}_${activity.cmid}`;
			entries.push(entry);
		}
		return entries;
	}

	/** Current values by name (for JSON output and preferences). */
	values(level?: SettingLevel): Record<string, SettingValue> {
		this.ensureEvaluated();
		const result: Record<string, SettingValue> = {};
		for (const state of this.states.values()) {
			if (level === undefined || state.definition.level === level) result[state.definition.name] = state.value;
		}
		return result;
	}

	private state(name: string): SettingState {
		const state = this.states.get(name);
		if (!state) throw new UsageError(`unknown ${this.direction} setting "${name}"`);
		return state;
	}

	private labelOf(state: SettingState): string {
		return state.definition.label ?? settingLabel(state.definition.name);
	}

	/** The label of a select's current option (its value when it has none). */
	private optionLabelOf(state: SettingState): string {
		const option = state.definition.options?.find(candidate => candidate.value === state.value);
		return option?.label ?? String(state.value);
	}

	private checkValue(state: SettingState, value: SettingValue): void {
		const {type, name, options} = state.definition;
		const ok =
			type === 'bool' ? typeof value === 'boolean'
				: type === 'int' ? typeof value === 'number' && Number.isInteger(value)
					: type === 'select' ? options?.some(option => option.value === value) === true
						: typeof value === 'string';
		if (!ok) {
			const expected = type === 'select' ? `one of ${options?.map(option => option.value).join(', ')}` : type === 'bool' ? 'true or false' : type;
			throw new UsageError(`setting "${name}" expects ${expected}, got ${JSON.stringify(value)}`);
		}
		if ((type === 'file' || state.definition.required) && (value as string).trim() === '') throw new UsageError(`setting "${name}" (${this.labelOf(state)}) cannot be empty`);
		const {maxLength} = state.definition;
		if (maxLength !== undefined && Array.from(value as string).length > maxLength) {
			throw new UsageError(`setting "${name}" (${this.labelOf(state)}) takes at most ${maxLength} characters, got ${Array.from(value as string).length}`);
		}
	}

	private offValue(state: SettingState): SettingValue {
		switch (state.definition.type) {
			case 'bool': return false;
			case 'int': return 0;
			case 'select': return state.definition.options?.[0]?.value ?? '';
			default: return state.chosen;
		}
	}

	private ensureEvaluated(): void {
		if (!this.dirty) return;
		this.dirty = false;
		this.evaluate();
	}

	/** Recomputes every value and lock from the choices, parents first (definition order). */
	private evaluate(): void {
		for (const state of this.states.values()) {
			state.lockKind = undefined;
			state.lockReason = undefined;
			state.value = state.chosen;
			if (state.fixedLock?.kind === 'content') {
				state.lockKind = 'content';
				state.lockReason = state.fixedLock.reason;
				continue;
			}
			const firing = state.dependencies.find(dependency => {
				const parent = this.states.get(dependency.parent)!;
				switch (dependency.kind) {
					case 'disabledIfNot': return !isOn(parent.value);
					case 'disabledIfChecked': return isOn(parent.value);
					case 'coveredByValue': return parent.value === dependency.whenValue;
				}
			});
			if (firing) {
				const parent = this.states.get(firing.parent)!;
				// Moodle's disabledif_checked sets its dependant to its off value too: an IMS CC export has no users.
				state.value = firing.forcedValue ?? this.offValue(state);
				state.lockKind = LEVEL_RANK[parent.definition.level] < LEVEL_RANK[state.definition.level] ? 'hierarchy' : 'dependency';
				state.lockReason = firing.kind === 'coveredByValue'
					? lockReason('coveredBy', {
						setting: firing.parent, settingLabel: this.labelOf(parent), value: String(parent.value), valueLabel: this.optionLabelOf(parent),
					})
					: lockReason(firing.kind === 'disabledIfNot' ? 'needs' : 'excludedBy', {setting: firing.parent, settingLabel: this.labelOf(parent)});
				continue;
			}
			if (state.fixedLock) {
				state.lockKind = state.fixedLock.kind;
				state.lockReason = state.fixedLock.reason;
			}
		}
	}

	private toItem(state: SettingState): SettingItem {
		const {definition} = state;
		const item: SettingItem = {
			name: definition.name,
			level: definition.level,
			type: definition.type,
			value: state.value,
			default: state.default,
			locked: state.lockReason !== undefined,
			visible: definition.visible ?? true,
			labelKey: definition.labelKey ?? settingLabelKey(definition.name),
			label: this.labelOf(state),
		};
		if (state.lockKind) item.lockKind = state.lockKind;
		if (state.lockReason) item.lockReason = state.lockReason;
		if (definition.options) item.options = definition.options;
		if (definition.section) item.section = definition.section;
		if (definition.activity) item.activity = definition.activity;
		return item;
	}
}
