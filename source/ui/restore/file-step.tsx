import {Box, Text} from 'ink';
import {TextField} from '../widgets/text-field/text-field.js';
import {useEffect, useRef, useState} from 'react';
import {listAreas, type AreaFile} from '../../engine/areas/index.js';
import {handleNavigationKey, useFooterKeys, useLayout, useServices, useShell} from '../app-context.js';
import {useI18n, type MessageKey} from '../i18n/index.js';
import {isKey, useKeys} from '../keys.js';
import {formatSize, formatTime} from '../format.js';
import {Picker} from '../widgets/picker/picker.js';
import {ProgressBar} from '../widgets/progress-bar/progress-bar.js';

/** Step 1 (first half): a backup from the backup areas (filterable list), or a path typed after Tab. */
export function FileStep({onArea, onPath, onBack, busy, opening}: {
	onArea(file: AreaFile): void; onPath(path: string): void; onBack(): void; busy: boolean;
	/** How much of the backup being opened has been read (bytes), once it is known. */
	opening?: {done: number; total: number; startedAt: number};
}) {
	const {t, lang} = useI18n();
	const {site, timeZone} = useServices();
	const shell = useShell();
	const layout = useLayout();
	const [files, setFiles] = useState<AreaFile[] | undefined>(undefined);
	const [mode, setMode] = useState<'list' | 'path'>('list');
	const [path, setPath] = useState('');
	const latestPath = useRef('');
	useEffect(() => {
		listAreas(site).then(all => {
			// A Common Cartridge in an area is for other platforms: not offered for a restore.
			const found = all.filter(file => !file.filename.toLowerCase().endsWith('.imscc'));
			setFiles(found);
			if (found.length === 0) setMode('path');
		}, () => {
			setFiles([]);
			setMode('path');
		});
	}, [site]);
	// With no backup in the areas there is no list to go to: Tab stays on the path.
	const hasAreas = files !== undefined && files.length > 0;
	useFooterKeys(mode === 'list'
		? [t('keys.filter'), t('keys.move'), t('keys.select'), t('keys.tabPath'), t('keys.backEsc')]
		: [t('keys.confirm'), ...(hasAreas ? [t('keys.tabAreas')] : []), t('keys.backEsc')]);
	useKeys(stroke => {
		if (isKey(stroke, 'tab')) {
			if (hasAreas) setMode('list');
		} else handleNavigationKey(stroke, shell, onBack, true);
	}, {isActive: (mode === 'path' || files === undefined) && !busy});
	if (!files) return <Text>{t('common.loading')}</Text>;
	const areaKey = (area: AreaFile['area']) => `areaName.${area}` as MessageKey;
	return (
		<Box flexDirection="column">
			<Text bold>{t('restore.pickFile')}</Text>
			<Text bold={mode === 'list'} dimColor={mode !== 'list'}>{t('restore.fromAreas')}</Text>
			{files.length === 0 ? <Text dimColor>  {t('areas.empty')}</Text> : (
				<Picker
					isActive={mode === 'list' && !busy}
					items={files.map(file => ({value: String(file.id), label: file.filename, hint: `${formatTime(file.timemodified, timeZone)} · ${formatSize(file.filesize, lang)} · ${t(areaKey(file.area))}`}))}
					height={Math.max(2, layout.bodyRows - 9)}
					onSelect={value => {
						const file = files.find(candidate => String(candidate.id) === value);
						if (file) onArea(file);
					}}
					onUnhandled={stroke => {
						if (isKey(stroke, 'tab')) setMode('path');
						else handleNavigationKey(stroke, shell, onBack, true);
					}} />
			)}
			<Box marginTop={1}>
				<Text bold={mode === 'path'} dimColor={mode !== 'path'}>{t('restore.typePath')} </Text>
				<TextField value={path} focus={mode === 'path' && !busy} showCursor={mode === 'path'} reserved={Array.from(t('restore.typePath')).length + 1}
					onChange={value => {
						latestPath.current = value;
						setPath(value);
					}}
					onSubmit={() => {
						const typed = latestPath.current.trim();
						if (typed !== '') onPath(typed);
					}} />
			</Box>
			{busy && opening ? (
				<Box marginTop={1}>
					<ProgressBar done={opening.done} total={opening.total} item={t('restore.opening')} startedAt={opening.startedAt} width={layout.columns} format={bytes => formatSize(bytes, lang)} />
				</Box>
			) : busy ? <Text>{t('restore.opening')}</Text> : null}
		</Box>
	);
}
