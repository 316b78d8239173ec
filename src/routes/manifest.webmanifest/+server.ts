import { webManifest } from '$lib/domain/clinic-brand';
import { config } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * The web app manifest, from the clinic's configuration: the installed app is called after the
 * clinic and takes its colour. The service worker keeps a copy for offline starts.
 */
export const GET: RequestHandler = () =>
	new Response(JSON.stringify(webManifest(config().protocol.clinic), null, '\t'), {
		headers: { 'content-type': 'application/manifest+json', 'cache-control': 'no-cache' }
	});
