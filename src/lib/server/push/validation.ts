import { createPublicKey } from 'node:crypto';
import * as v from 'valibot';
import { decodeBase64url } from './vapid-format';

/** Most reminders one subscription may hold: a month of preparation and recovery fits easily. */
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

const storableText = v.check(
	(text: string) => textProblem(text) === null,
	(issue: v.CheckIssue<string>) => textProblem(issue.input) ?? 'is not storable text'
);

// An instant: date, time and an explicit offset or Z. A local time without offset is ambiguous.
const isoInstant =
	/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Parses an ISO-8601 instant with an offset or `Z`, or returns `null` (also for impossible dates
 * such as February 30).
 * @param text e.g. `2026-05-04T19:00:00+02:00`
 */
export function parseInstant(text: string): number | null {
	const match = isoInstant.exec(text);
	if (!match) {
		return null;
	}
	const [, year, month, day, hour, minute, second = '0', , offsetHours = '0', offsetMinutes = '0'] =
		match.map((part) => part ?? undefined);
	const y = Number(year);
	const mo = Number(month);
	const d = Number(day);
	if (
		mo < 1 ||
		mo > 12 ||
		d < 1 ||
		d > new Date(Date.UTC(y, mo, 0)).getUTCDate() ||
		Number(hour) > 23 ||
		Number(minute) > 59 ||
		Number(second) > 59 ||
		Number(offsetHours) > 23 ||
		Number(offsetMinutes) > 59
	) {
		return null;
	}
	const ms = Date.parse(text);
	return Number.isFinite(ms) ? ms : null;
}

const base64urlText = /^[A-Za-z0-9_-]+={0,2}$/;

/** Whether `text` is an uncompressed point on the P-256 curve (what browsers give as p256dh). */
function isP256Point(text: string): boolean {
	const bytes = decodeBase64url(text);
	if (!bytes || bytes.length !== 65 || bytes[0] !== 0x04) {
		return false;
	}
	try {
		createPublicKey({
			key: {
				kty: 'EC',
				crv: 'P-256',
				x: bytes.subarray(1, 33).toString('base64url'),
				y: bytes.subarray(33).toString('base64url')
			},
			format: 'jwk'
		});
		return true;
	} catch {
		return false;
	}
}

const subscriptionSchema = v.object(
	{
		endpoint: v.pipe(
			v.string('must be a string'),
			v.nonEmpty('must not be empty'),
			v.maxLength(maxEndpointLength, `must be at most ${maxEndpointLength} characters`),
			storableText,
			v.check((text) => URL.canParse(text), 'must be a URL'),
			v.check((text) => text.startsWith('https://'), 'must be an https: URL')
		),
		keys: v.object(
			{
				p256dh: v.pipe(
					v.string('must be a string'),
					v.regex(base64urlText, 'must be base64url'),
					v.check(
						(text) => decodeBase64url(text)?.length === 65,
						'must decode to 65 bytes (an uncompressed P-256 public key)'
					),
					v.check(
						(text) => decodeBase64url(text)?.[0] === 0x04,
						'must be an uncompressed P-256 point (first byte 0x04)'
					),
					v.check(isP256Point, 'is not a point on the P-256 curve')
				),
				auth: v.pipe(
					v.string('must be a string'),
					v.regex(base64urlText, 'must be base64url'),
					v.check((text) => decodeBase64url(text)?.length === 16, 'must decode to 16 bytes')
				)
			},
			'must be an object with p256dh and auth'
		)
	},
	'must be an object with endpoint and keys'
);

const reminderSchema = v.object(
	{
		id: v.pipe(
			v.string('must be a string'),
			v.nonEmpty('must not be empty'),
			v.maxLength(maxReminderIdLength, `must be at most ${maxReminderIdLength} characters`),
			storableText
		),
		at: v.pipe(
			v.string('must be a string'),
			v.check(
				(text) => parseInstant(text) !== null,
				'must be an ISO-8601 instant with an offset or Z, e.g. 2026-05-04T19:00:00+02:00'
			)
		)
	},
	'must be an object with id and at'
);

const bodySchema = v.object(
	{
		subscription: subscriptionSchema,
		reminders: v.pipe(
			v.array(reminderSchema, 'must be an array'),
			v.maxLength(maxReminders, `must hold at most ${maxReminders} reminders`),
			v.check(
				(reminders) => new Set(reminders.map((reminder) => reminder.id)).size === reminders.length,
				'must not repeat a reminder id'
			)
		)
	},
	'must be an object with subscription and reminders'
);

/** A push subscription as the browser's `PushSubscription.toJSON()` gives it. */
export interface SubscriptionInput {
	endpoint: string;
	keys: { p256dh: string; auth: string };
}

/** One reminder: the phone's opaque id and the instant (epoch milliseconds) it is due. */
export interface ReminderInput {
	id: string;
	dueAt: number;
}

/** A valid subscription request body. */
export interface SubscriptionBody {
	subscription: SubscriptionInput;
	reminders: ReminderInput[];
}

/** The outcome of validating a request body. */
export type BodyResult = { ok: true; value: SubscriptionBody } | { ok: false; error: string };

/**
 * Validates the body of `POST /api/push/subscriptions` and `PUT …/{id}` (already JSON-parsed).
 * @param json the parsed body
 * @param now the server's clock: reminders must fall within a year ahead and a week behind it
 * @returns the typed body, or the first problem as `field: reason`
 */
export function parseSubscriptionBody(json: unknown, now: number = Date.now()): BodyResult {
	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		return { ok: false, error: 'body: must be a JSON object with subscription and reminders' };
	}
	const result = v.safeParse(bodySchema, json, { abortPipeEarly: true });
	if (!result.success) {
		const issue = result.issues[0];
		const path = v.getDotPath(issue);
		if (!path) {
			return { ok: false, error: `body: ${issue.message}` };
		}
		// valibot reports a missing key with the message of the object around it.
		const missing = issue.type === 'object' && issue.input === undefined;
		return { ok: false, error: `${path}: ${missing ? 'is missing' : issue.message}` };
	}
	const { subscription, reminders } = result.output;
	// Checked by the schema above.
	const dueTimes = reminders.map((reminder) => parseInstant(reminder.at) as number);
	const outOfRange = dueTimes.findIndex(
		(dueAt) => dueAt > now + maxReminderAheadMs || dueAt < now - maxReminderBehindMs
	);
	if (outOfRange >= 0) {
		return {
			ok: false,
			error: `reminders.${outOfRange}.at: must be at most a year ahead and at most 7 days past`
		};
	}
	return {
		ok: true,
		value: {
			subscription: {
				endpoint: subscription.endpoint,
				keys: { p256dh: subscription.keys.p256dh, auth: subscription.keys.auth }
			},
			reminders: reminders.map((reminder, index) => ({
				id: reminder.id,
				dueAt: dueTimes[index] as number
			}))
		}
	};
}
