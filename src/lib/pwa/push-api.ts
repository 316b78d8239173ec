import type { PushRegistration } from '$lib/device/db';
import type { SubscriptionBody, SubscriptionJson } from '$lib/domain/push-contract';

/**
 * The push server's HTTP API, for the page and the service worker alike (no DOM here).
 * What it sends: the browser's push endpoint and keys, and opaque reminder ids with instants, as
 * `$lib/domain/push-contract` says.
 */

/** The app's push server failed: it answered with an error, or not as the contract says. */
export class ReminderServerError extends Error {
	override name = 'ReminderServerError';
}

/** The server answered with an error status. */
export class PushApiError extends ReminderServerError {
	/**
	 * @param status the HTTP status
	 * @param doing what was asked, for the message
	 */
	constructor(
		readonly status: number,
		doing: string
	) {
		super(`The reminder service answered ${status} to ${doing}`);
		this.name = 'PushApiError';
	}

	/** The server no longer knows the subscription (or its token): subscribe again. */
	get gone(): boolean {
		return this.status === 401 || this.status === 404 || this.status === 410;
	}

	/**
	 * The server holds this endpoint under other keys (a stale registration of this browser, or
	 * someone else's): only a new endpoint from the browser helps.
	 */
	get endpointTaken(): boolean {
		return this.status === 409;
	}
}

/**
 * Whether a failure means there was no connection, rather than an answer.
 * @param error whatever was thrown
 */
export function isNetworkFailure(error: unknown): boolean {
	// fetch rejects with a TypeError when no response came at all.
	return error instanceof TypeError;
}

/**
 * The subscription's JSON, checked.
 * @param subscription from `pushManager.subscribe` or `getSubscription`
 */
export function subscriptionJson(subscription: PushSubscription): SubscriptionJson {
	const json = subscription.toJSON();
	const { p256dh, auth } = json.keys ?? {};
	if (!json.endpoint || !p256dh || !auth) {
		throw new Error('The browser gave a push subscription without endpoint or keys');
	}
	return { endpoint: json.endpoint, keys: { p256dh, auth } };
}

/**
 * The server's VAPID public key, base64url.
 * @param fetcher `fetch`
 */
export async function fetchPublicKey(fetcher: typeof fetch): Promise<string> {
	const response = await fetcher('/api/push/public-key');
	if (!response.ok) {
		throw new PushApiError(response.status, 'the request for its key');
	}
	const { publicKey } = (await response.json()) as { publicKey?: unknown };
	if (typeof publicKey !== 'string' || publicKey.length === 0) {
		throw new ReminderServerError('The reminder service sent no public key');
	}
	return publicKey;
}

/**
 * Registers a subscription and its reminders.
 * @param fetcher `fetch`
 * @param body subscription and reminders
 * @returns the new registration
 */
export async function createSubscription(
	fetcher: typeof fetch,
	body: SubscriptionBody
): Promise<PushRegistration> {
	const response = await fetcher('/api/push/subscriptions', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	if (response.status !== 201 && !response.ok) {
		throw new PushApiError(response.status, 'a new subscription');
	}
	const { id, token } = (await response.json()) as { id?: unknown; token?: unknown };
	if (typeof id !== 'string' || typeof token !== 'string') {
		throw new ReminderServerError('The reminder service sent no subscription id or token');
	}
	return { id, token, endpoint: body.subscription.endpoint };
}

/**
 * Replaces the subscription and all its reminders.
 * @param fetcher `fetch`
 * @param registration what the server gave at registration
 * @param body subscription and reminders
 */
export async function replaceSubscription(
	fetcher: typeof fetch,
	registration: PushRegistration,
	body: SubscriptionBody
): Promise<void> {
	const response = await fetcher(subscriptionUrl(registration), {
		method: 'PUT',
		headers: { 'content-type': 'application/json', ...authorization(registration) },
		body: JSON.stringify(body)
	});
	if (!response.ok) {
		throw new PushApiError(response.status, 'a change of reminders');
	}
}

/**
 * Deletes the subscription and its reminders; one the server no longer knows counts as deleted.
 * @param fetcher `fetch`
 * @param registration what the server gave at registration
 */
export async function deleteSubscription(
	fetcher: typeof fetch,
	registration: PushRegistration
): Promise<void> {
	const response = await fetcher(subscriptionUrl(registration), {
		method: 'DELETE',
		headers: authorization(registration)
	});
	const error = new PushApiError(response.status, 'turning reminders off');
	if (!response.ok && !error.gone) {
		throw error;
	}
}

/**
 * Sends the reminders under the stored registration, registering anew when the server lost it.
 * @param fetcher `fetch`
 * @param registration the stored registration, or null for none yet
 * @param body subscription and reminders
 * @returns the registration now valid
 */
export async function upsertSubscription(
	fetcher: typeof fetch,
	registration: PushRegistration | null,
	body: SubscriptionBody
): Promise<PushRegistration> {
	if (registration) {
		try {
			await replaceSubscription(fetcher, registration, body);
			return { ...registration, endpoint: body.subscription.endpoint };
		} catch (error) {
			if (!(error instanceof PushApiError && error.gone)) {
				throw error;
			}
		}
	}
	return createSubscription(fetcher, body);
}

function subscriptionUrl(registration: PushRegistration): string {
	return `/api/push/subscriptions/${encodeURIComponent(registration.id)}`;
}

function authorization(registration: PushRegistration): Record<string, string> {
	return { authorization: `Bearer ${registration.token}` };
}
