import { json } from '@sveltejs/kit';
import { answer, budgetedStore } from '$lib/server/push/api';
import { pushRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * For load balancers and tests: 200 with the store in use when the store answers, 503 (with
 * Retry-After) while it does not, so a balancer can tell a process that cannot save subscriptions.
 */
export const GET: RequestHandler = () =>
	answer(async () => {
		const store = budgetedStore(pushRuntime().store);
		await store.ping();
		return json({ ok: true, store: store.name }, { headers: { 'cache-control': 'no-store' } });
	});
