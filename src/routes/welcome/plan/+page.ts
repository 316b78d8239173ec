import { error } from '@sveltejs/kit';
import { openCarePlan } from '$lib/state/session.svelte';
import { m } from '$lib/paraglide/messages';
import type { PageLoad } from './$types';

/** The form fills the care plan, so it opens one (its code loads here, not on the welcome screen). */
export const load: PageLoad = async ({ parent }) => {
	const { protocol } = await parent();
	try {
		await openCarePlan(protocol);
	} catch (cause) {
		console.error(cause);
		error(503, m.welcome_plan_storage_refused());
	}
};
