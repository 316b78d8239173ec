import { json } from '@sveltejs/kit';
import {
	answer,
	hashToken,
	newCredentials,
	readSubscriptionBody,
	vetEndpoint
} from '$lib/server/push/api';
import { pushRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * Registers a push subscription with its reminders. Answers the id and a bearer token for later
 * updates; the server keeps only the token's hash.
 */
export const POST: RequestHandler = ({ request }) =>
	answer(async () => {
		const { store, checkEndpoint } = pushRuntime();
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
