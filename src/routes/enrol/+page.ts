import { error } from '@sveltejs/kit';
import { openCarePlan } from '$lib/state/session.svelte';
import type { PageLoad } from './$types';

/** A clinic's link fills the plan or adds to it, so it opens the plan (its code loads here). */
export const load: PageLoad = async ({ parent }) => {
	const { protocol } = await parent();
	try {
		await openCarePlan(protocol);
	} catch (cause) {
		console.error(cause);
		error(503, 'This browser would not open the app’s storage. Private browsing can cause this.');
	}
};
