/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { CareStore } from '$lib/device/care-store';
import { DB_NAME, DB_VERSION, openCareDb, type CareDb } from '$lib/device/db';
import { ReminderStore } from '$lib/device/reminder-store';
import { parsePushPayload, reminderLink } from '$lib/domain/push-payload';
import { SNOOZE_MS } from '$lib/domain/reminders';
import { fetchPublicKey } from '$lib/pwa/push-api';
import { uploadReminders } from '$lib/pwa/reminder-upload';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';

const sw = self as unknown as ServiceWorkerGlobalScope;

let opening: Promise<CareDb> | null = null;

/** The app's database, opened with the app's own upgrade steps; closed when a newer one waits. */
function openDb(): Promise<CareDb> {
	opening ??= openCareDb(DB_NAME, DB_VERSION, (db) => {
		opening = null;
		db.close();
	}).catch((error: unknown) => {
		opening = null;
		throw error;
	});
	return opening;
}

const store = new ReminderStore(openDb);
/** The care plan's storage: a Done here is written as the page writes it. */
const careStore = new CareStore(openDb);

/** What a reminder notification carries back to `notificationclick`. */
interface ReminderData {
	reminderId: string;
	occurrenceId: string | null;
}

/**
 * `NotificationOptions` with the action buttons the DOM types leave out, and `navigate`: where
 * Safari goes on a tap without asking the worker (Declarative Web Push; others ignore it).
 */
type ReminderOptions = NotificationOptions & {
	actions: { action: string; title: string }[];
	navigate?: string;
};

/**
 * Shows the notification for a push: the task's words from this phone when the mirror has them,
 * the payload's generic words when not. Every push shows a notification, as browsers demand of
 * `userVisibleOnly` subscriptions, even one that cannot be read. A declarative push (Safari shows
 * its generic words itself when the worker does not answer) is replaced under the same tag; the
 * older format, from a server not yet updated, is read too.
 * @param data the push message's data
 */
export async function showReminder(data: PushMessageData | null): Promise<void> {
	let payload = null;
	try {
		payload = parsePushPayload(data?.json());
	} catch {
		// Not JSON: still show something.
	}
	const record = payload
		? await store.reminder(payload.reminderId).catch((error: unknown) => {
				console.error(error);
				return undefined;
			})
		: undefined;
	// The worker has no localStorage: the page wrote the language with each reminder's words.
	const locale = record?.locale ?? (await mirrorLocale());
	const words = locale ? { locale } : undefined;
	const reminderData: ReminderData = {
		reminderId: payload?.reminderId ?? '',
		occurrenceId: record?.occurrenceId ?? null
	};
	const options: ReminderOptions = {
		// The payload's own words are the server's generic English: the phone's generic words are
		// the same, in the patient's language.
		body: record?.body ?? m.reminders_generic_body({}, words),
		icon: '/icons/icon-192.png',
		badge: '/icons/badge-72.png',
		tag: payload?.reminderId || 'aftercare-reminder',
		data: reminderData,
		// Built here, not taken from the payload: the worker knows its own origin.
		navigate: payload ? reminderLink(sw.location.origin, payload.reminderId) : undefined,
		// An appointment is never ticked off: its reminder has no "Done".
		actions: payload
			? [
					...(record?.tickable === false
						? []
						: [{ action: 'done', title: m.reminders_action_done({}, words) }]),
					{ action: 'snooze', title: m.reminders_action_snooze({}, words) }
				]
			: []
	};
	await sw.registration.showNotification(
		record?.title ?? m.reminders_generic_title({}, words),
		options
	);
}

/**
 * The language the mirror's words are in, for a push whose reminder the phone no longer has;
 * undefined when no record says (the phone's languages then).
 */
async function mirrorLocale(): Promise<Locale | undefined> {
	try {
		return (await store.mirror()).find((record) => record.locale)?.locale;
	} catch (error) {
		console.error(error);
		return undefined;
	}
}

/**
 * Answers a tap on a reminder: "Done" ticks the task off without opening the app, "Snooze"
 * puts it off by an hour, and a tap elsewhere opens Today at that task, at the same link a
 * declarative push opens (where Today offers Done and Snooze too).
 * @param notification the tapped notification
 * @param action the button tapped, '' for the notification itself
 */
export async function handleClick(notification: Notification, action: string): Promise<void> {
	notification.close();
	const data = (notification.data ?? {}) as Partial<ReminderData>;
	const reminderId = data.reminderId ?? '';
	if (action === 'done' && reminderId) {
		await markDone(reminderId);
		await tellPages();
		return;
	}
	if (action === 'snooze' && reminderId) {
		await store.snooze(reminderId, Date.now() + SNOOZE_MS);
		await tellPages();
		// The page sends the snooze on its next sync too; this tries at once.
		await resync().catch((error: unknown) => console.error(error));
		return;
	}
	await openApp(
		reminderId
			? reminderLink(sw.location.origin, reminderId)
			: new URL('/', sw.location.origin).href
	);
}

/**
 * Ticks off the task a reminder is for, with the page's own write (`CareStore.setDone`), and
 * drops the reminder from the mirror.
 * @param reminderId the opaque id
 */
async function markDone(reminderId: string): Promise<void> {
	const record = await store.reminder(reminderId);
	if (!record) {
		return;
	}
	await careStore.setDone(record.occurrenceId, true, Date.now());
	await store.forget(reminderId);
}

/** Focuses an open window of the app on `url`, or opens one. */
async function openApp(url: string): Promise<void> {
	const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
	const open = windows[0];
	if (open) {
		const focused = await open.focus();
		await focused.navigate(url).catch(() => sw.clients.openWindow(url));
		return;
	}
	await sw.clients.openWindow(url);
}

/** Open pages reload the plan: a task was ticked or snoozed here. */
async function tellPages(): Promise<void> {
	const windows = await sw.clients.matchAll({ type: 'window' });
	for (const client of windows) {
		client.postMessage({ type: 'reminders-changed' });
	}
}

/**
 * Sends the mirror's reminders to the server, with the page's own upload (`uploadReminders`).
 * @param subscription the subscription to register; the current one when not given
 */
export async function resync(subscription?: PushSubscription | null): Promise<void> {
	await uploadReminders(
		{
			pushManager: sw.registration.pushManager,
			fetch: (input, init) => fetch(input, init),
			online: () => sw.navigator.onLine
		},
		store,
		{ now: Date.now(), subscription }
	);
}

/**
 * The browser replaced or dropped the subscription: subscribe again with the same key, and tell
 * the server the new endpoint.
 * @param event the `pushsubscriptionchange` event
 */
export async function renewSubscription(event: PushSubscriptionChangeEvent): Promise<void> {
	const { wanted } = await store.push();
	if (!wanted) {
		return;
	}
	const key = event.oldSubscription?.options.applicationServerKey ?? (await fetchPublicKey(fetch));
	const subscription =
		event.newSubscription ??
		(await sw.registration.pushManager.subscribe({
			userVisibleOnly: true,
			applicationServerKey: key
		}));
	await resync(subscription);
}
