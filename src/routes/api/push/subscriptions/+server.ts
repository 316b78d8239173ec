import { json } from '@sveltejs/kit';
import {
	answer,
	budgetedStore,
	hashToken,
	limitRate,
	newCredentials,
	readSubscriptionBody,
	vetEndpoint
} from '$lib/server/push/api';
import { pushRuntime, rateLimiters } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * Registers a push subscription with its reminders. Answers the id and a bearer token for later
 * updates; the server keeps only the token's hash.
 */
export const POST: RequestHandler = ({ request, getClientAddress }) =>
	answer(async () => {
		// Anyone may subscribe, so this is the route a flood would use: counted before any work.
		limitRate(rateLimiters().subscribe, getClientAddress);
		const { checkEndpoint } = pushRuntime();
		const store = budgetedStore(pushRuntime().store);
		const body = await readSubscriptionBody(request);
		await vetEndpoint(checkEndpoint, body.subscription.endpoint);
		const { id, token } = newCredentials();
		await store.createSubscription(
			{
				id,
				tokenHash: hashToken(token),
				endpoint: body.subscription.endpoint,
				...body.subscription.keys
			},
			body.reminders
		);
		return json({ id, token }, { status: 201, headers: { 'cache-control': 'no-store' } });
	});
