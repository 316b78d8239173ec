import {
	ApiError,
	answer,
	authorize,
	budgetedStore,
	limitRate,
	maxBodyBytes,
	readSubscriptionBody,
	replace,
	vetEndpoint
} from '$lib/server/push/api';
import { pushRuntime, rateLimiters } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** Replaces the subscription's endpoint, keys and whole reminder set at once; marks it seen. */
export const PUT: RequestHandler = ({ params, request, getClientAddress }) =>
	answer(async () => {
		limitRate(rateLimiters().update, getClientAddress);
		const { checkEndpoint } = pushRuntime();
		const store = budgetedStore(pushRuntime().store);
		// Refuse an oversized body before looking anything up.
		if (Number(request.headers.get('content-length') ?? 0) > maxBodyBytes) {
			throw new ApiError(413, `body: must be at most ${maxBodyBytes} bytes`);
		}
		await authorize(store, params.id, request.headers.get('authorization'));
		const body = await readSubscriptionBody(request);
		await vetEndpoint(checkEndpoint, body.subscription.endpoint);
		return replace(store, params.id, body, Date.now());
	});

/** Forgets the subscription and every reminder not yet sent. */
export const DELETE: RequestHandler = ({ params, request, getClientAddress }) =>
	answer(async () => {
		limitRate(rateLimiters().update, getClientAddress);
		const store = budgetedStore(pushRuntime().store);
		await authorize(store, params.id, request.headers.get('authorization'));
		await store.deleteSubscription(params.id);
		return new Response(null, { status: 204 });
	});
