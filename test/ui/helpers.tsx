import {act, type ReactElement} from 'react';
import {render} from 'ink-testing-library';
import {I18nContext, translator, type Lang} from '../../source/ui/i18n/index.js';
import {LayoutContext, ServicesContext, ShellContext, type AppServices, type Layout, type Shell} from '../../source/ui/app-context.js';

(globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = true;

export const KEY = {
	pageUp: '\u001b[5~', pageDown: '\u001b[6~',
	up: '\u001b[A', down: '\u001b[B', right: '\u001b[C', left: '\u001b[D',
	enter: '\r', escape: '\u001b', space: ' ', backspace: '\u007f', tab: '\t', ctrlC: '\u0003',
} as const;

export type Rendered = ReturnType<typeof render> & {press(...keys: string[]): Promise<void>; frame(): string};

/** Renders inside act() with the i18n context; `press` writes each key inside act(). */
export async function renderUi(element: ReactElement, lang: Lang = 'en'): Promise<Rendered> {
	let result: ReturnType<typeof render> | undefined;
	await act(async () => {
		result = render(<I18nContext.Provider value={{lang, t: translator(lang)}}>{element}</I18nContext.Provider>);
	});
	const rendered = result!;
	const unmount = rendered.unmount;
	return Object.assign(rendered, {
		unmount() {
			void act(() => {
				unmount();
			});
		},
		async press(...keys: string[]) {
			for (const key of keys) {
				await act(async () => {
					rendered.stdin.write(key);
				});
			}
		},
		frame() {
			// With CI=true the last frame can be empty after exit: the last non-empty one is what was on screen.
			return rendered.lastFrame() || [...rendered.frames].reverse().find(frame => frame !== '') || '';
		},
	});
}

/** Waits (inside act) until `check` holds, for async work such as database reads. */
export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
	const started = Date.now();
	while (!check()) {
		if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
		await act(async () => {
			await new Promise(resolve => setTimeout(resolve, 20));
		});
	}
}

/** Renders a screen inside the application's contexts (site, preferences, shell) without the whole App. */
export async function renderScreen(element: ReactElement, services: AppServices, options: {lang?: Lang; shell?: Partial<Shell>; layout?: Partial<Layout>} = {}): Promise<Rendered & {footer: () => readonly string[]; quitRequests: () => number}> {
	let footer: readonly string[] = [];
	let quits = 0;
	const shell: Shell = {
		setFooterKeys: keys => {
			footer = keys;
		},
		requestQuit: () => {
			quits++;
		},
		setCtrlCHandler: () => undefined,
		...options.shell,
	};
	const layout: Layout = {columns: 100, rows: 30, bodyRows: 22, ...options.layout};
	const rendered = await renderUi(
		<ServicesContext.Provider value={services}>
			<ShellContext.Provider value={shell}>
				<LayoutContext.Provider value={layout}>{element}</LayoutContext.Provider>
			</ShellContext.Provider>
		</ServicesContext.Provider>,
		options.lang ?? 'en',
	);
	return Object.assign(rendered, {footer: () => footer, quitRequests: () => quits});
}
