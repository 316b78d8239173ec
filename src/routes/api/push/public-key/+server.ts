import { json } from '@sveltejs/kit';
import { pushRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** The VAPID public key the phone passes to `pushManager.subscribe` as `applicationServerKey`. */
export const GET: RequestHandler = () =>
	json({ publicKey: pushRuntime().vapid.publicKey }, { headers: { 'cache-control': 'no-cache' } });
