/**
 * The push API's request body, for both ends: the phone builds it (the page and the service
 * worker alike), the server checks it against the same schema and limits. What only the server can
 * check (that `p256dh` is a point on the curve, where an endpoint may point) stays in
 * `$lib/server/push/validation.ts`.
 *
 * Instants travel as epoch milliseconds, the phone's own representation: the phone converts a
 * task's date, time and zone once (`PlannedTask.at`), the server stores the number as it came.
 *
 * The schemas are built by functions, not at module load, so the page, which needs only the
 * limits and types, carries none of valibot.
 */
import * as v from 'valibot';

/** Most reminders one subscription may hold: the phone sends the next ones, up to this many. */
export const maxReminders = 500;

/** Longest opaque reminder id. */
export const maxReminderIdLength = 128;

/** Longest endpoint URL accepted (push services use a few hundred characters). */
export const maxEndpointLength = 2048;

/** How far ahead a reminder may be due: a care plan spans weeks, never more than a year. */
export const maxReminderAheadMs = 366 * 24 * 60 * 60 * 1000;

/**
 * How far in the past a reminder may be due. The phone sends only reminders still to come by its
 * own clock; a week's slack keeps a phone with a wrong clock subscribed (such reminders expire).
 */
export const maxReminderBehindMs = 7 * 24 * 60 * 60 * 1000;

/** A subscription as the browser gives it (`PushSubscription.toJSON()`). */
export interface SubscriptionJson {
	endpoint: string;
	keys: { p256dh: string; auth: string };
}

/** One reminder on the wire: the phone's opaque id and when it is due. */
export interface WireReminder {
	id: string;
	/** Epoch milliseconds, a safe integer. */
	dueAt: number;
}

/** The body of `POST /api/push/subscriptions` and `PUT …/{id}`. */
export interface SubscriptionBody {
	subscription: SubscriptionJson;
	reminders: WireReminder[];
}

/**
 * Whether a reminder due at `dueAt` may be registered at `now` (at most a year ahead, a week past).
 * @param dueAt epoch milliseconds
 * @param now the clock it is judged by
 */
export function withinReminderWindow(dueAt: number, now: number): boolean {
	return dueAt <= now + maxReminderAheadMs && dueAt >= now - maxReminderBehindMs;
}

/** What the server says of a reminder outside the window. */
export const outsideWindowMessage = 'must be at most a year ahead and at most 7 days past';

// Control characters (C0, DEL, C1) and lone surrogates: PostgreSQL refuses NUL in text, and turns
// lone surrogates into U+FFFD, so two distinct ids would collide; SQLite keeps both. Refused alike.
const controlCharacter = /\p{Cc}/u;
const loneSurrogate = /\p{Cs}/u;

/**
 * Why `text` cannot be stored as an id or endpoint, or `null` when it can.
 * @param text from outside: a body field or a path parameter
 */
export function textProblem(text: string): string | null {
	if (controlCharacter.test(text)) {
		return 'must not contain control characters';
	}
	if (loneSurrogate.test(text)) {
		return 'must be well-formed Unicode (no lone surrogates)';
	}
	return null;
}

/** A check that refuses text `textProblem` finds fault with, saying why. */
export function storableText() {
	return v.check(
		(text: string) => textProblem(text) === null,
		(issue: v.CheckIssue<string>) => textProblem(issue.input) ?? 'is not storable text'
	);
}

/** An opaque reminder id: non-empty, bounded, storable. */
export function reminderIdSchema() {
	return v.pipe(
		v.string('must be a string'),
		v.nonEmpty('must not be empty'),
		v.maxLength(maxReminderIdLength, `must be at most ${maxReminderIdLength} characters`),
		storableText()
	);
}

/**
 * One reminder, due within the window around `now`.
 * @param now the clock the window is judged by
 */
export function wireReminderSchema(now: number) {
	return v.object(
		{
			id: reminderIdSchema(),
			dueAt: v.pipe(
				v.number('must be a number (epoch milliseconds)'),
				v.safeInteger('must be a whole number of milliseconds'),
				v.check((dueAt) => withinReminderWindow(dueAt, now), outsideWindowMessage)
			)
		},
		'must be an object with id and dueAt'
	);
}

/**
 * The reminder list: at most `maxReminders`, no id twice.
 * @param reminder the schema of one reminder (the server adds the format older phones send)
 */
export function reminderListSchema<
	TReminder extends v.GenericSchema<unknown, { id: string; dueAt: number }>
>(reminder: TReminder) {
	return v.pipe(
		v.array(reminder, 'must be an array'),
		v.maxLength(maxReminders, `must hold at most ${maxReminders} reminders`),
		v.check(
			(reminders) => new Set(reminders.map((one) => one.id)).size === reminders.length,
			'must not repeat a reminder id'
		)
	);
}

/** The endpoint: an https: URL, bounded and storable. */
export function endpointSchema() {
	return v.pipe(
		v.string('must be a string'),
		v.nonEmpty('must not be empty'),
		v.maxLength(maxEndpointLength, `must be at most ${maxEndpointLength} characters`),
		storableText(),
		v.check((text) => URL.canParse(text), 'must be a URL'),
		v.check((text) => text.startsWith('https://'), 'must be an https: URL')
	);
}

/**
 * The whole body as the phone sends it. The server's schema is this one with stricter keys and
 * the older reminder format beside this one.
 * @param now the clock reminders are judged by
 */
export function subscriptionBodySchema(now: number) {
	return v.object(
		{
			subscription: v.object(
				{
					endpoint: endpointSchema(),
					keys: v.object(
						{ p256dh: v.string('must be a string'), auth: v.string('must be a string') },
						'must be an object with p256dh and auth'
					)
				},
				'must be an object with endpoint and keys'
			),
			reminders: reminderListSchema(wireReminderSchema(now))
		},
		'must be an object with subscription and reminders'
	);
}
