import type { PushSetting } from '$lib/device/db';
import { fromBase64url } from '$lib/device/opaque-id';
import type { SubscriptionBody } from '$lib/domain/push-contract';
import { wireReminders, type ReminderRecord } from '$lib/domain/reminders';
import { fetchPublicKey, PushApiError, subscriptionJson, upsertSubscription } from './push-api';

/**
 * Sending the phone's reminders to the push server: one implementation for the page (after each
 * change of plan) and the service worker (after a snooze, or when the browser renewed the
 * subscription). No DOM here: only the push manager, `fetch` and the reminder store.
 */

/** What an upload reads and writes on the phone (`ReminderStore`). */
export interface UploadStore {
	mirror(): Promise<ReminderRecord[]>;
	push(): Promise<PushSetting>;
	putPush(value: PushSetting): Promise<void>;
}

/** The browser's side of an upload, from the page or the service worker. */
export interface UploadPlatform {
	pushManager: PushManager;
	fetch: typeof fetch;
	/** `navigator.onLine`: a failed subscribe while offline is the connection's fault. */
	online(): boolean;
}

/** What an upload told the server. */
export interface UploadCoverage {
	/** How many reminders the server holds now. */
	sent: number;
	/** How many more are ahead, for later uploads (`WireReminders.heldBack`). */
	heldBack: number;
	/** When the last reminder sent is due, epoch milliseconds; null when none was sent. */
	lastDueAt: number | null;
}

/** How an upload ended. */
export type UploadResult =
	/** The patient has not asked for reminders: nothing was sent. */
	| { outcome: 'not-wanted' }
	/**
	 * The browser would not subscribe (it has no push service it can reach): reminders are no
	 * longer wanted, so no sync tries again by itself until the patient asks.
	 */
	| { outcome: 'no-push-service' }
	/** The server holds the reminders: just sent, or already the same. */
	| { outcome: 'sent' | 'unchanged'; body: string; coverage: UploadCoverage };

/** What to upload, and what is known of the last upload. */
export interface UploadOptions {
	/** The current instant: reminders before it are not sent. */
	now: number;
	/** The subscription to register (the browser's new one); else the current one, or a new one. */
	subscription?: PushSubscription | null;
	/** The body the server last accepted (`body` of a result): the same again is not sent. */
	lastSent?: string | null;
}

/**
 * Sends the mirror's reminders under the stored registration, subscribing with the browser when
 * it has no subscription, registering anew when the server lost the registration, and taking a
 * new endpoint when the server holds this one under other keys. Never asks for permission.
 * @param platform the push manager, fetch and connection
 * @param store the choice, the registration and the mirror
 * @param options the instant, and what is known already
 * @throws `ReminderServerError` when the server failed, `TypeError` when no answer came
 */
export async function uploadReminders(
	platform: UploadPlatform,
	store: UploadStore,
	options: UploadOptions
): Promise<UploadResult> {
	const setting = await store.push();
	if (!setting.wanted) {
		return { outcome: 'not-wanted' };
	}
	let subscription =
		options.subscription ??
		(await platform.pushManager.getSubscription()) ??
		(await subscribe(platform));
	if (!subscription) {
		return givenUp(store, setting);
	}
	const { reminders, heldBack } = wireReminders(await store.mirror(), options.now);
	const coverage: UploadCoverage = {
		sent: reminders.length,
		heldBack,
		lastDueAt: reminders.at(-1)?.dueAt ?? null
	};
	let body: SubscriptionBody = { subscription: subscriptionJson(subscription), reminders };
	const text = JSON.stringify(body);
	if (setting.server?.endpoint === body.subscription.endpoint && text === options.lastSent) {
		return { outcome: 'unchanged', body: text, coverage };
	}
	let server;
	try {
		server = await upsertSubscription(platform.fetch, setting.server, body);
	} catch (error) {
		if (!(error instanceof PushApiError && error.endpointTaken)) {
			throw error;
		}
		// The server knows this endpoint under other keys: a new one from the browser.
		await subscription.unsubscribe();
		subscription = await subscribe(platform);
		if (!subscription) {
			return givenUp(store, setting);
		}
		body = { ...body, subscription: subscriptionJson(subscription) };
		server = await upsertSubscription(platform.fetch, null, body);
	}
	await store.putPush({ wanted: true, server });
	return { outcome: 'sent', body: JSON.stringify(body), coverage };
}

/**
 * Subscribes with the browser's push service, with the server's key.
 * @returns null when the browser would not: it has no push service it can reach ("AbortError:
 *   Registration failed - permission denied" although notifications are allowed). That is the
 *   browser's doing, not the app's server's, and trying again by itself would fail the same way.
 */
async function subscribe(platform: UploadPlatform): Promise<PushSubscription | null> {
	const publicKey = await fetchPublicKey(platform.fetch);
	try {
		return await platform.pushManager.subscribe({
			userVisibleOnly: true,
			applicationServerKey: fromBase64url(publicKey)
		});
	} catch (error) {
		if (!platform.online()) {
			throw error;
		}
		console.warn('The browser would not subscribe to push:', error);
		return null;
	}
}

/** Stops wanting reminders this browser cannot deliver; a registration left is deleted later. */
async function givenUp(store: UploadStore, setting: PushSetting): Promise<UploadResult> {
	await store.putPush({ ...setting, wanted: false });
	return { outcome: 'no-push-service' };
}
