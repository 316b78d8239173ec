import { isPatient, session } from '$lib/state/session.svelte';
import type { PageLoad } from './$types';

/**
 * Today's screen, or null for a new visitor, whom the layout sends on to /welcome: a first visit
 * then never downloads Today's code. For a patient, Today's code loads alongside the layout's load.
 */
export const load: PageLoad = async ({ parent }) => {
	// Storage that will not open shows nothing here: the layout tells the patient why.
	const patient = await isPatient().catch(() => false);
	const [today] = await Promise.all([patient ? import('./Today.svelte') : null, parent()]);
	return { Today: today && session.carePlan?.onboarded ? today.default : null };
};
