import { openCarePlan } from '$lib/state/session.svelte';
import type { PageLoad } from './$types';

/**
 * A clinic's link starts a plan or adds to one, so it opens the plan. The screen comes with it, by
 * `import()`: the app's entry lists every route's own files and styles, and every first visit
 * downloads it, so this route keeps one file there.
 */
export const load: PageLoad = async ({ parent }) => {
	const [{ protocol }, screen] = await Promise.all([
		parent(),
		import('$lib/components/enrol/EnrolmentScreen.svelte')
	]);
	try {
		await openCarePlan(protocol);
		return { EnrolmentScreen: screen.default };
	} catch (cause) {
		console.error(cause);
		return { EnrolmentScreen: null };
	}
};
