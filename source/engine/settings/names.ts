/** Moodle's names of the section and activity settings. */
export function sectionSettingName(sectionId: number, kind: 'included' | 'userinfo'): string {
	return `section_${sectionId}_${kind}`;
}

export function activitySettingName(modname: string, cmid: number, kind: 'included' | 'userinfo'): string {
	return `${modname}_${cmid}_${kind}`;
}
