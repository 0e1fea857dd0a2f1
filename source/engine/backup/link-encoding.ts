import {createLinkEncoder} from '../plugins/content-links.js';
import type {Site} from '../store/site.js';

/**
 * The content-link encoder of one backup (backup_xml_transformer, spec §8.1): this site's links to courses,
 * activities and their items become `$@...*id@$` tokens in every text the XML writer emits.
 */
export async function createEncoder(site: Site, _courseId: number): Promise<(text: string) => string> {
	return createLinkEncoder(site.wwwroot);
}
