import { json } from '@sveltejs/kit';
import { config } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** The clinic's care protocol. The same for every patient, so caches may keep it briefly. */
export const GET: RequestHandler = () =>
	json(config().protocol, { headers: { 'cache-control': 'no-cache' } });
