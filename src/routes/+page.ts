import { CareStore } from '$lib/device/care-store';
import { getDb } from '$lib/device/db';
import type { PageLoad } from './$types';

/**
 * Today's screen, or null for a new visitor, whom the layout sends on to /welcome: a first visit
 * then never downloads Today's code. Decided here, alongside the layout's load, so that a patient's
 * Today is ready as soon as the layout is.
 */
export const load: PageLoad = async () => {
	// Storage that will not open shows nothing here: the layout tells the patient why.
	const patient = await new CareStore(getDb).hasPatient().catch(() => false);
	return { Today: patient ? (await import('./Today.svelte')).default : null };
};
