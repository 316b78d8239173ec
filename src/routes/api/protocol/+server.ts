import { gzipSync } from 'node:zlib';
import { config } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** The protocol never changes while the server runs: serialise and compress it once. */
let cached: { json: string; gzip: Buffer } | null = null;

/** The clinic's care protocol. The same for every patient; the phone keeps a copy for offline. */
export const GET: RequestHandler = ({ request }) => {
	cached ??= (() => {
		const json = JSON.stringify(config().protocol);
		return { json, gzip: gzipSync(json, { level: 9 }) };
	})();
	const headers = {
		'content-type': 'application/json',
		'cache-control': 'no-cache',
		vary: 'accept-encoding'
	};
	// adapter-node compresses static files only; this answer is read at every start of the app.
	if (/\bgzip\b/.test(request.headers.get('accept-encoding') ?? '')) {
		return new Response(new Uint8Array(cached.gzip), {
			headers: { ...headers, 'content-encoding': 'gzip' }
		});
	}
	return new Response(cached.json, { headers });
};
