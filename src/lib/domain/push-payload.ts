/**
 * What the push server sends to the phone. It holds nothing about health: only an opaque id the
 * phone maps back to its own task, and generic words the phone shows should its own text be gone.
 * One module for both ends: the server's dispatcher builds the payload, the service worker reads
 * it, against the same schema.
 *
 * The payload is a Declarative Web Push message (docs/ios-safari.md): Safari
 * (iOS and iPadOS 18.4, macOS 18.5) shows its notification itself even when the service worker
 * does not run, and opens `navigate` on a tap; being `mutable`, the worker still gets a `push`
 * event first and shows the phone's own words instead. Other browsers hand the same JSON to the
 * worker as an ordinary push.
 */
import * as v from 'valibot';

/** The words every push carries, for when the phone has no text of its own for the reminder. */
export const genericReminder = {
	title: 'Aftercare reminder',
	body: 'You have a care step due. Open the app to see it.'
} as const;

/** The member and value that mark a declarative push message (RFC 8030's number). */
export const DECLARATIVE_WEB_PUSH = 8030;

/** A reminder push in the declarative format, as the server sends it. */
export interface DeclarativeReminderPush {
	web_push: typeof DECLARATIVE_WEB_PUSH;
	notification: {
		title: string;
		body: string;
		/** Where a tap goes: Today at this reminder's task, on the app's own origin. */
		navigate: string;
		/**
		 * The opaque reminder id, the only copy in the payload: the worker reads it here, and its
		 * notification, under the same tag, replaces this one rather than adding to it.
		 */
		tag: string;
		/** The generic words are English, left to right. */
		lang: 'en';
		dir: 'ltr';
		/**
		 * WebKit reads `mutable` (and `app_badge`) inside `notification` (NotificationJSONParser.cpp);
		 * the W3C draft has both at the top level. `mutable` goes in both places: each parser
		 * ignores members it does not know, and without it the worker never sees the push.
		 */
		mutable: true;
	};
	/** The W3C draft's place for `mutable` (see above). */
	mutable: true;
}

/** The format servers sent before the declarative one; a new worker still reads it. */
export interface LegacyReminderPush {
	v: 1;
	reminderId: string;
	title: string;
	body: string;
}

/** A push as the service worker uses it, from either format. */
export interface ReminderPush {
	/** Opaque reminder id, as the phone registered it. */
	reminderId: string;
	/** Generic fallback title. */
	title: string;
	/** Generic fallback body. */
	body: string;
}

const reminderId = v.pipe(v.string(), v.nonEmpty());
/** Blank or missing words become the generic ones: the notification is never empty. */
const words = (fallback: string) =>
	v.pipe(
		v.optional(v.unknown(), fallback),
		v.transform((value): string => (typeof value === 'string' && value.trim() ? value : fallback))
	);

const declarativeSchema = v.pipe(
	v.object({
		web_push: v.literal(DECLARATIVE_WEB_PUSH),
		notification: v.object({
			title: words(genericReminder.title),
			body: words(genericReminder.body),
			tag: reminderId
		})
	}),
	v.transform(({ notification }): ReminderPush => ({
		reminderId: notification.tag,
		title: notification.title,
		body: notification.body
	}))
);

const legacySchema = v.pipe(
	v.object({
		v: v.literal(1),
		reminderId,
		title: words(genericReminder.title),
		body: words(genericReminder.body)
	}),
	v.transform(({ reminderId, title, body }): ReminderPush => ({ reminderId, title, body }))
);

const pushSchema = v.union([declarativeSchema, legacySchema]);

/**
 * Checks a decoded push message; anything else is not ours to trust.
 * @param value the parsed JSON of a push message
 * @returns the reminder it names, or null when it is neither format
 */
export function parsePushPayload(value: unknown): ReminderPush | null {
	const result = v.safeParse(pushSchema, value);
	return result.success ? result.output : null;
}

/**
 * Where a reminder's notification leads: Today, which finds the task by the opaque id in the
 * phone's own mirror and offers Done and Snooze there (iOS shows no notification buttons).
 * @param origin the app's public origin, e.g. `https://care.example-clinic.org`
 * @param reminderId the opaque id
 */
export function reminderLink(origin: string, reminderId: string): string {
	const link = new URL('/', origin);
	// Escaped whatever the id holds: the link never leaves the app's origin or its Today.
	link.searchParams.set('reminder', reminderId);
	return link.href;
}

/**
 * The payload the server sends for one due reminder: the opaque id and the generic words only.
 * @param reminderId the opaque id the phone registered
 * @param origin the app's public origin (`ORIGIN`), for the link a tap opens; without one, the
 *   older format, which Safari shows only while the service worker runs
 */
export function reminderPushPayload(
	reminderId: string,
	origin: string | null
): DeclarativeReminderPush | LegacyReminderPush {
	if (origin === null) {
		return { v: 1, reminderId, ...genericReminder };
	}
	return {
		web_push: DECLARATIVE_WEB_PUSH,
		notification: {
			...genericReminder,
			navigate: reminderLink(origin, reminderId),
			tag: reminderId,
			lang: 'en',
			dir: 'ltr',
			mutable: true
		},
		mutable: true
	};
}
