import { error, json } from '@sveltejs/kit';
import { config } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * What the clinic page needs from the server, which keeps nothing for it: whether it is served
 * (`CLINIC_PAGE`; 404 when off), the origin its links open when `ORIGIN` is set (staff may reach
 * the server by an inside address the patients' phones cannot), and the protocols to choose from,
 * the default first. A page server load would say the same, but would add SvelteKit's
 * server-data code to every first visit (2.2 KB gzip).
 */
export const GET: RequestHandler = () => {
	const current = config();
	if (!current.clinicPage) {
		error(404, 'Not Found');
	}
	const { protocol: fallback, protocols } = current;
	const list = [fallback, ...[...protocols.values()].filter((one) => one.id !== fallback.id)];
	return json(
		{
			origin: current.push.publicOrigin,
			protocols: list.map(({ id, title }) => ({ id, title }))
		},
		{ headers: { 'cache-control': 'no-store' } }
	);
};
