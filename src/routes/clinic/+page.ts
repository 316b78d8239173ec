import type { PageLoad } from './$types';

/**
 * Whether the server serves this page (`CLINIC_PAGE`), and the origin its links open. A missing
 * server answers `reachable: false`; the page says so.
 *
 * No `error()` here: importing it from `@sveltejs/kit` in a third route splits SvelteKit's error
 * classes into a chunk of their own that every first visit loads (+300 B gzip, past the budget).
 * The page shows the app's "Page not found" itself, and the server's hook answers 404.
 */
export const load: PageLoad = async ({ fetch }) => {
	try {
		const response = await fetch('/api/clinic');
		if (response.status === 404) {
			return { enabled: false, reachable: true, origin: null };
		}
		if (response.ok) {
			const { origin } = (await response.json()) as { origin: string | null };
			return { enabled: true, reachable: true, origin };
		}
	} catch {
		// Offline: said on the page.
	}
	return { enabled: false, reachable: false, origin: null };
};
