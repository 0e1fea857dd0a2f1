import {createContext, useContext, useEffect} from 'react';
import type {PreferenceStore} from '../config.js';
import type {Site} from '../engine/store/site.js';
import {isChar, isKey, type Keystroke} from './keys.js';

/** What every screen can use: the open site and the preferences. */
/** `timeZone`: the site's (its admin's), in which times are shown as backup names are stamped; absent: UTC. */
export type AppServices = {site: Site; prefs: PreferenceStore; timeZone?: string};

export const ServicesContext = createContext<AppServices | undefined>(undefined);

export function useServices(): AppServices {
	const services = useContext(ServicesContext);
	if (!services) throw new Error('useServices() outside the application');
	return services;
}

/** The application's shell: footer keys, quitting, and who handles Ctrl-C. */
export type Shell = {
	setFooterKeys(keys: readonly string[]): void;
	requestQuit(): void;
	/** A screen that can be cancelled (restore Process) takes Ctrl-C; undefined gives it back to the shell (exit). */
	setCtrlCHandler(handler: (() => void) | undefined): void;
};

export const ShellContext = createContext<Shell>({
	setFooterKeys: () => undefined,
	requestQuit: () => undefined,
	setCtrlCHandler: () => undefined,
});

export function useShell(): Shell {
	return useContext(ShellContext);
}

/** False while a dialog (quit confirmation) owns the keyboard: every screen's keys are then ignored. */
export const InputGateContext = createContext(true);

/** Terminal size and the rows left for a screen's body. */
export type Layout = {columns: number; rows: number; bodyRows: number};

export const LayoutContext = createContext<Layout>({columns: 80, rows: 24, bodyRows: 18});

export function useLayout(): Layout {
	return useContext(LayoutContext);
}

/** Declares the keys shown in the footer while this screen is displayed. */
export function useFooterKeys(keys: readonly string[]): void {
	const shell = useShell();
	const joined = keys.join('\u0000');
	useEffect(() => {
		shell.setFooterKeys(joined === '' ? [] : joined.split('\u0000'));
	}, [joined, shell]);
}

/**
 * The navigation keys every screen shares: Esc (and `b` when no text is being typed) goes back one step,
 * `q` asks before quitting. Returns whether the key was one of them.
 */
export function handleNavigationKey(stroke: Keystroke, shell: Shell, onBack: (() => void) | undefined, textEntry = false): boolean {
	if (isKey(stroke, 'escape') || (!textEntry && isChar(stroke, 'b'))) {
		onBack?.();
		return true;
	}
	if (!textEntry && isChar(stroke, 'q')) {
		shell.requestQuit();
		return true;
	}
	return false;
}
