import { createPublicKey } from 'node:crypto';
import * as v from 'valibot';
import {
	endpointSchema,
	outsideWindowMessage,
	reminderIdSchema,
	reminderListSchema,
	withinReminderWindow,
	wireReminderSchema,
	type SubscriptionBody
} from '$lib/domain/push-contract';
import { decodeBase64url } from './vapid-format';

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
		endpoint: endpointSchema(),
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

/**
 * A reminder as phones sent it before the contract had `dueAt`: `at` as an ISO-8601 instant.
 * A page or service worker installed before the change keeps sending it until it updates, so the
 * server reads it as long as such phones may be out there.
 * @param now the clock the window is judged by
 */
function legacyReminderSchema(now: number) {
	return v.pipe(
		v.object(
			{
				id: reminderIdSchema(),
				at: v.pipe(
					v.string('must be a string'),
					v.check(
						(text) => parseInstant(text) !== null,
						'must be an ISO-8601 instant with an offset or Z, e.g. 2026-05-04T19:00:00+02:00'
					),
					v.check(
						(text) => withinReminderWindow(parseInstant(text) as number, now),
						outsideWindowMessage
					)
				)
			},
			'must be an object with id and at'
		),
		// Checked above.
		v.transform(({ id, at }) => ({ id, dueAt: parseInstant(at) as number }))
	);
}

/**
 * The body as the server takes it: the shared contract, with the keys checked on the curve and
 * each reminder in either format (`dueAt`, or an older phone's `at`).
 * @param now the clock reminders are judged by
 */
function bodySchema(now: number) {
	const current = wireReminderSchema(now);
	const legacy = legacyReminderSchema(now);
	const reminder = v.lazy((input: unknown) =>
		typeof input === 'object' && input !== null && 'at' in input && !('dueAt' in input)
			? legacy
			: current
	);
	return v.object(
		{ subscription: subscriptionSchema, reminders: reminderListSchema(reminder) },
		'must be an object with subscription and reminders'
	);
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
	const result = v.safeParse(bodySchema(now), json, { abortPipeEarly: true });
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
	// Copied field by field: valibot's objects drop unknown keys, this keeps the shape exact.
	return {
		ok: true,
		value: {
			subscription: {
				endpoint: subscription.endpoint,
				keys: { p256dh: subscription.keys.p256dh, auth: subscription.keys.auth }
			},
			reminders: reminders.map(({ id, dueAt }) => ({ id, dueAt }))
		}
	};
}
