import {
	answer,
	budgetedStore,
	limitRate,
	readSubscriptionBody,
	subscribe,
	vetEndpoint
} from '$lib/server/push/api';
import { pushRuntime, rateLimiters } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * Registers a push subscription with its reminders. Answers the id and a bearer token for later
 * updates; the server keeps only the token's hash. Idempotent: the same browser asking again
 * renews its subscription (see `subscribe`).
 */
export const POST: RequestHandler = ({ request, getClientAddress }) =>
	answer(async () => {
		// Anyone may subscribe, so this is the route a flood would use: counted before any work.
		limitRate(rateLimiters().subscribe, getClientAddress);
		const { checkEndpoint } = pushRuntime();
		const store = budgetedStore(pushRuntime().store);
		const body = await readSubscriptionBody(request);
		await vetEndpoint(checkEndpoint, body.subscription.endpoint);
		return subscribe(store, body, Date.now());
	});
