import { answer, readSubscriptionBody, subscribe, vetEndpoint } from '$lib/server/push/api';
import { pushRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * Registers a push subscription with its reminders. Answers the id and a bearer token for later
 * updates; the server keeps only the token's hash. Idempotent: the same browser asking again
 * renews its subscription (see `subscribe`).
 */
export const POST: RequestHandler = ({ request }) =>
	answer(async () => {
		const { store, checkEndpoint } = pushRuntime();
		const body = await readSubscriptionBody(request);
		await vetEndpoint(checkEndpoint, body.subscription.endpoint);
		return subscribe(store, body, Date.now());
	});
