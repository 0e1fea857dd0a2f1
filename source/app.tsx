import {siteTimeZone} from './engine/backup/site-time-zone.js';
import {wrapLines} from './ui/widgets/text-view/text-view.js';
import {Box, Text, useApp} from 'ink';
import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import type {PreferenceStore} from './config.js';
import type {Site} from './engine/store/site.js';
import {InputGateContext, LayoutContext, ServicesContext, ShellContext, type Shell} from './ui/app-context.js';
import {I18nContext, translator, type Lang} from './ui/i18n/index.js';
import {isChar, isKey, KeyRegistryContext, useKeyRegistryRoot, useKeys} from './ui/keys.js';
import {AreasScreen} from './ui/screens/areas-screen.js';
import {AutomatedScreen} from './ui/screens/automated-screen.js';
import {MainMenu, type MenuChoice} from './ui/screens/main-menu.js';
import {SettingsScreen} from './ui/screens/settings-screen.js';
import {BackupWizard} from './ui/backup/backup-wizard.js';
import {RestoreWizard} from './ui/restore/restore-wizard.js';
import {useTerminalSize} from './ui/use-terminal-size.js';
import {KeyHelp} from './ui/widgets/key-help/key-help.js';

export type Screen = {name: 'menu'} | {name: 'backup'} | {name: 'restore'; file?: string} | {name: 'areas'} | {name: 'automated'} | {name: 'settings'};

export type AppProps = {
	site: Site;
	prefs: PreferenceStore;
	lang: Lang;
	initialScreen?: Screen;
	/** Called with the exit code just before the application exits. */
	onExit?(code: number): void;
};

const HEADER_ROWS = 3;
const FOOTER_ROWS = 3;

/** The wizard: header with the site, the current screen, and a footer with the keys that work on it. */
export function App({site, prefs, lang: initialLang, initialScreen, onExit}: AppProps) {
	const {exit} = useApp();
	const [lang, setLang] = useState<Lang>(initialLang);
	const i18n = useMemo(() => ({lang, t: translator(lang)}), [lang]);
	const {t} = i18n;
	const [screen, setScreen] = useState<Screen>(initialScreen ?? {name: 'menu'});
	const [lastMenuChoice, setLastMenuChoice] = useState<MenuChoice>('backup');
	const [footerKeys, setFooterKeys] = useState<readonly string[]>([]);
	// Times are shown in the zone backup names are stamped in (the admin's, else the site's).
	const [timeZone, setTimeZone] = useState<string | undefined>(undefined);
	useEffect(() => {
		siteTimeZone(site.db).then(setTimeZone, () => undefined);
	}, [site]);
	const [askingQuit, setAskingQuitState] = useState(false);
	// Read by the key handler, which can run several times before a re-render ("qy" in one burst).
	const askingQuitRef = useRef(false);
	const setAskingQuit = useCallback((value: boolean) => {
		askingQuitRef.current = value;
		setAskingQuitState(value);
	}, []);
	const ctrlCHandler = useRef<(() => void) | undefined>(undefined);
	const size = useTerminalSize();
	const keyRegistry = useKeyRegistryRoot();

	const quit = useCallback((code: number) => {
		onExit?.(code);
		exit();
	}, [exit, onExit]);

	const shell = useMemo<Shell>(() => ({
		setFooterKeys,
		requestQuit: () => setAskingQuit(true),
		setCtrlCHandler: handler => {
			ctrlCHandler.current = handler;
		},
	}), [setAskingQuit]);

	// The shell's own keys: the quit dialog, and Ctrl-C (cancel where a screen allows it, otherwise leave).
	useKeys(stroke => {
		if (isKey(stroke, 'ctrlC')) {
			if (ctrlCHandler.current) ctrlCHandler.current();
			else quit(130);
			return;
		}
		if (!askingQuitRef.current) return;
		if (isChar(stroke, 'y') || isChar(stroke, 'o') || isChar(stroke, 'Y') || isChar(stroke, 'O')) quit(0);
		else if (isChar(stroke, 'n') || isChar(stroke, 'N') || isKey(stroke, 'escape')) setAskingQuit(false);
	});

	const toMenu = useCallback(() => setScreen({name: 'menu'}), []);
	// A footer that wraps (many keys, or French at 80 columns) takes its extra lines from the body, not off the screen.
	const footerLines = Math.max(1, wrapLines([{text: footerKeys.join(' · ')}], size.columns).length);
	const layout = {columns: size.columns, rows: size.rows, bodyRows: Math.max(6, size.rows - HEADER_ROWS - FOOTER_ROWS - (footerLines - 1) - 1)};

	let body;
	switch (screen.name) {
		case 'menu':
			body = <MainMenu initial={lastMenuChoice} onChoose={choice => {
				setLastMenuChoice(choice);
				if (choice === 'quit') setAskingQuit(true);
				else setScreen({name: choice} as Screen);
			}} />;
			break;
		case 'backup':
			body = <BackupWizard onExit={toMenu} />;
			break;
		case 'restore':
			body = <RestoreWizard onExit={toMenu} {...(screen.file ? {initialFile: screen.file} : {})} />;
			break;
		case 'areas':
			body = <AreasScreen onBack={toMenu} onRestore={file => setScreen({name: 'restore', file})} />;
			break;
		case 'automated':
			body = <AutomatedScreen onBack={toMenu} />;
			break;
		case 'settings':
			body = <SettingsScreen onBack={toMenu} onLanguage={setLang} />;
			break;
	}

	const tooSmall = size.columns < 60 || size.rows < 16;
	return (
		<ServicesContext.Provider value={{site, prefs, ...(timeZone ? {timeZone} : {})}}>
			<I18nContext.Provider value={i18n}>
				<ShellContext.Provider value={shell}>
					<LayoutContext.Provider value={layout}>
						<Box flexDirection="column" width={size.columns} height={size.rows - 1}>
							<Box flexDirection="column" flexShrink={0}>
								<Text bold wrap="truncate-end">{t('app.title')}</Text>
								<Text dimColor wrap="truncate-middle">{t('app.site', {location: site.location, identifier: site.identifier})}</Text>
							</Box>
							<Box flexDirection="column" flexGrow={1} marginTop={1} overflow="hidden">
								{tooSmall ? <Text color="yellow">{t('app.tooSmall', {columns: size.columns, rows: size.rows})}</Text> : null}
								{/* Hidden, not unmounted, while the terminal is too small: a restore under way goes on and comes back. */}
								<Box flexDirection="column" display={tooSmall ? 'none' : 'flex'}>
									<KeyRegistryContext.Provider value={keyRegistry}>
										<InputGateContext.Provider value={!askingQuit}>{body}</InputGateContext.Provider>
									</KeyRegistryContext.Provider>
								</Box>
							</Box>
							{askingQuit ? <Text bold color="yellow">{t('app.quitConfirm')}</Text> : null}
							<KeyHelp keys={footerKeys} />
						</Box>
					</LayoutContext.Provider>
				</ShellContext.Provider>
			</I18nContext.Provider>
		</ServicesContext.Provider>
	);
}
