import {mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Box, Text} from 'ink';
import {useEffect, useState} from 'react';
import {deleteAreaFile, exportAreaFile, listAreas, type AreaFile} from '../../engine/areas/index.js';
import {handleNavigationKey, useFooterKeys, useLayout, useServices, useShell} from '../app-context.js';
import {useI18n, type MessageKey} from '../i18n/index.js';
import {isChar, isKey, useKeys} from '../keys.js';
import {formatSize, formatTime} from '../format.js';
import {useReducerRef} from '../use-reducer-ref.js';
import {followCursor} from '../widgets/scroll.js';
import {shortenMiddle} from '../widgets/fit-row.js';

type ListState = {cursor: number; offset: number};

function listReducer(state: ListState, action: {delta: number; count: number; height: number}): ListState {
	if (action.count === 0) return state;
	const cursor = Math.max(0, Math.min(action.count - 1, state.cursor + action.delta));
	return {cursor, offset: followCursor(state.offset, cursor, action.height, action.count)};
}

const EXPORT_PREFIX = 'mbz-wizard-';

/** Whether `file` is a copy made by exportForRestore (so the restore wizard removes it when done). */
export function isExportedCopy(file: string): boolean {
	const dir = path.dirname(file);
	return path.dirname(dir) === tmpdir() && path.basename(dir).startsWith(EXPORT_PREFIX);
}

/** Copies an area file out of the pool into a private temporary file, for the restore wizard. */
export async function exportForRestore(site: Parameters<typeof exportAreaFile>[0], file: AreaFile): Promise<string> {
	const dir = await mkdtemp(path.join(tmpdir(), EXPORT_PREFIX));
	const out = path.join(dir, file.filename);
	await exportAreaFile(site, file.id, out);
	return out;
}

/** Every backup file of the site's backup areas: restore it (Enter) or delete it (d, confirmed). */
export function AreasScreen({onBack, onRestore}: {onBack(): void; onRestore(file: string): void}) {
	const {t, lang} = useI18n();
	const {site, timeZone} = useServices();
	const shell = useShell();
	const layout = useLayout();
	const height = Math.max(3, layout.bodyRows - 4);
	const [files, setFiles] = useState<AreaFile[] | undefined>(undefined);
	const [message, setMessage] = useState<string | undefined>(undefined);
	const [confirmDelete, setConfirmDelete] = useState<AreaFile | undefined>(undefined);
	const [state, dispatch, ref] = useReducerRef(listReducer, {cursor: 0, offset: 0});
	useEffect(() => {
		listAreas(site).then(setFiles, (error: Error) => setMessage(t('app.error', {message: error.message})));
	}, [site]);

	useFooterKeys(confirmDelete ? [t('keys.yes'), t('keys.no')] : [t('keys.move'), t('keys.restore'), t('keys.delete'), t('keys.back'), t('keys.quit')]);

	useKeys(stroke => {
		const list = files ?? [];
		if (confirmDelete) {
			if (isChar(stroke, 'y') || isChar(stroke, 'o')) {
				const doomed = confirmDelete;
				deleteAreaFile(site, doomed.id).then(() => {
					// The list changes with the message, so the next key never acts on the deleted file.
					const remaining = (files ?? []).filter(file => file.id !== doomed.id);
					setFiles(remaining);
					dispatch({delta: 0, count: remaining.length, height});
					setMessage(t('areas.deleted', {file: doomed.filename}));
				}, (error: Error) => setMessage(t('app.error', {message: error.message})));
				setConfirmDelete(undefined);
			} else if (isChar(stroke, 'n') || isKey(stroke, 'escape')) {
				setConfirmDelete(undefined);
			}
			return;
		}
		const current = list[ref.current.cursor];
		if (isKey(stroke, 'up') || isKey(stroke, 'down')) dispatch({delta: isKey(stroke, 'up') ? -1 : 1, count: list.length, height});
		else if ((isKey(stroke, 'return') || isChar(stroke, 'r')) && current && current.filename.toLowerCase().endsWith('.imscc')) {
			setMessage(t('areas.cartridgeNotRestored'));
		} else if ((isKey(stroke, 'return') || isChar(stroke, 'r')) && current) {
			exportForRestore(site, current).then(onRestore, (error: Error) => setMessage(t('app.error', {message: error.message})));
		} else if (isChar(stroke, 'd') && current) setConfirmDelete(current);
		else handleNavigationKey(stroke, shell, onBack);
	});

	const areaKey = (area: AreaFile['area']) => `areaName.${area}` as MessageKey;
	return (
		<Box flexDirection="column">
			<Text bold underline>{t('areas.title')}</Text>
			{files === undefined ? <Text>{t('common.loading')}</Text> : null}
			{files?.length === 0 ? <Text>{t('areas.empty')}</Text> : null}
			{files && files.length > 0 ? <Text dimColor>  {t('areas.columns')}</Text> : null}
			{(files ?? []).slice(state.offset, state.offset + height).map((file, index) => {
				const selected = state.offset + index === state.cursor;
				// The details stay whole; the file name gives way in its middle, keeping its course and its date.
				const details = ` · ${formatTime(file.timemodified, timeZone)} · ${formatSize(file.filesize, lang)} · ${t(areaKey(file.area))}`;
				return (
					<Text key={file.id} wrap="truncate-end" bold={selected} color={selected ? 'cyan' : undefined}>
						{selected ? '› ' : '  '}{shortenMiddle(file.filename, layout.columns - 2 - Array.from(details).length)}{details}
					</Text>
				);
			})}
			{confirmDelete ? <Text bold color="yellow">{t('areas.deleteConfirm', {file: confirmDelete.filename})}</Text> : null}
			{message ? <Text>{message}</Text> : null}
		</Box>
	);
}
