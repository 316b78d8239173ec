import { json } from '@sveltejs/kit';
import { pushRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** Liveness for load balancers and tests, with the store in use. */
export const GET: RequestHandler = () =>
	json({ ok: true, store: pushRuntime().store.name }, { headers: { 'cache-control': 'no-store' } });
