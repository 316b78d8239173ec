import { json } from '@sveltejs/kit';
import { config } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** The server's protocols, for a clinic's page to choose from: id, title and version, default first. */
export const GET: RequestHandler = () => {
	const { protocol: fallback, protocols } = config();
	const list = [fallback, ...[...protocols.values()].filter((one) => one.id !== fallback.id)];
	return json(
		list.map(({ id, title, version }) => ({ id, title, version, default: id === fallback.id })),
		{ headers: { 'cache-control': 'no-cache' } }
	);
};
