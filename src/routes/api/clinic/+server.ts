import { error, json } from '@sveltejs/kit';
import { config } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * What the clinic page needs from the server, which keeps nothing for it: whether it is served
 * (`CLINIC_PAGE`; 404 when off), and the origin its links open when `ORIGIN` is set (staff may
 * reach the server by an inside address the patients' phones cannot). A page server load would
 * say the same, but would add SvelteKit's server-data code to every first visit (2.2 KB gzip).
 */
export const GET: RequestHandler = () => {
	const current = config();
	if (!current.clinicPage) {
		error(404, 'Not Found');
	}
	return json({ origin: current.push.publicOrigin }, { headers: { 'cache-control': 'no-store' } });
};
