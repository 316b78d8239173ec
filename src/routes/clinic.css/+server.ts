import { clinicThemeCss } from '$lib/domain/clinic-brand';
import { config } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * The clinic's accent as the light theme's brand colour: a stylesheet, so it applies before the
 * first paint with no script, and the CSP's `style-src 'self'` allows it. app.html links it; the
 * service worker keeps a copy for offline starts.
 */
export const GET: RequestHandler = () =>
	new Response(clinicThemeCss(config().protocol.clinic), {
		headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }
	});
