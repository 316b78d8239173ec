import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { maxReminders, textProblem } from '$lib/domain/push-contract';
import { parseInstant, parseSubscriptionBody as parseAt } from './validation';

// The bodies below are due in May 2026: the server's clock is set to the day before.
const now = Date.UTC(2026, 4, 3, 12);
const parseSubscriptionBody = (json: unknown) => parseAt(json, now);
const day = 24 * 60 * 60 * 1000;

const browserKey = createECDH('prime256v1');
browserKey.generateKeys();
const p256dh = browserKey.getPublicKey().toString('base64url');
const auth = randomBytes(16).toString('base64url');

// The cases below break the body in every way a client could, so it is typed loosely on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Draft = Record<string, any>;

/** A valid body, with `patch` applied to a copy. */
function body(patch: (value: Draft) => void = () => {}): unknown {
	const value: Draft = {
		subscription: {
			endpoint: 'https://fcm.googleapis.com/fcm/send/abc:def',
			expirationTime: null,
			keys: { p256dh, auth }
		},
		reminders: [
			{ id: 's1:evening-cleanse:-3:evening', at: '2026-05-04T19:00:00+02:00' },
			{ id: 's1:ice:1:morning', at: '2026-05-08T07:30:00.000Z' }
		]
	};
	patch(value);
	return value;
}

function errorOf(json: unknown): string {
	const result = parseSubscriptionBody(json);
	if (result.ok) {
		throw new Error('expected a problem');
	}
	return result.error;
}

// The format phones sent before `dueAt`: still read, for pages and workers not yet updated.
describe('parseSubscriptionBody', () => {
	it('accepts what PushSubscription.toJSON() gives, with instants as epoch milliseconds', () => {
		const result = parseSubscriptionBody(body());
		expect(result).toEqual({
			ok: true,
			value: {
				subscription: {
					endpoint: 'https://fcm.googleapis.com/fcm/send/abc:def',
					keys: { p256dh, auth }
				},
				reminders: [
					{ id: 's1:evening-cleanse:-3:evening', dueAt: Date.UTC(2026, 4, 4, 17) },
					{ id: 's1:ice:1:morning', dueAt: Date.UTC(2026, 4, 8, 7, 30) }
				]
			}
		});
	});

	it('accepts an empty reminder list (the patient turned every reminder off)', () => {
		expect(parseSubscriptionBody(body((b) => (b.reminders = [])))).toMatchObject({ ok: true });
	});

	it.each([
		['a non-object body', null, 'body:'],
		['an array body', [], 'body:'],
		['no subscription', body((b) => delete b.subscription), 'subscription: is missing'],
		['no reminders', body((b) => delete b.reminders), 'reminders'],
		['no endpoint', body((b) => delete b.subscription.endpoint), 'subscription.endpoint'],
		[
			'an endpoint that is no URL',
			body((b) => (b.subscription.endpoint = 'push me')),
			'subscription.endpoint: must be a URL'
		],
		[
			'an http endpoint',
			body((b) => (b.subscription.endpoint = 'http://fcm.googleapis.com/x')),
			'subscription.endpoint: must be an https: URL'
		],
		['no keys', body((b) => delete b.subscription.keys), 'subscription.keys'],
		[
			'no p256dh',
			body((b) => delete b.subscription.keys.p256dh),
			'subscription.keys.p256dh: is missing'
		],
		[
			'p256dh not base64url',
			body((b) => (b.subscription.keys.p256dh = 'a+b/c')),
			'subscription.keys.p256dh: must be base64url'
		],
		[
			'p256dh of 64 bytes',
			body((b) => (b.subscription.keys.p256dh = randomBytes(64).toString('base64url'))),
			'subscription.keys.p256dh: must decode to 65 bytes'
		],
		[
			'a compressed p256dh',
			body(
				(b) =>
					(b.subscription.keys.p256dh = Buffer.concat([Buffer.from([2]), randomBytes(64)]).toString(
						'base64url'
					))
			),
			'first byte 0x04'
		],
		[
			'p256dh off the curve',
			body(
				(b) =>
					(b.subscription.keys.p256dh = Buffer.concat([
						Buffer.from([4]),
						Buffer.alloc(64, 1)
					]).toString('base64url'))
			),
			'not a point on the P-256 curve'
		],
		[
			'auth of 12 bytes',
			body((b) => (b.subscription.keys.auth = randomBytes(12).toString('base64url'))),
			'subscription.keys.auth: must decode to 16 bytes'
		],
		[
			'auth a number',
			body((b) => (b.subscription.keys.auth = 16)),
			'subscription.keys.auth: must be a string'
		],
		[
			'a subscription that is a string',
			body((b) => (b.subscription = 'x')),
			'subscription: must be an object with endpoint and keys'
		],
		['reminders not an array', body((b) => (b.reminders = {})), 'reminders: must be an array'],
		['a reminder without id', body((b) => delete b.reminders[1].id), 'reminders.1.id'],
		[
			'an empty reminder id',
			body((b) => (b.reminders[0].id = '')),
			'reminders.0.id: must not be empty'
		],
		[
			'a reminder id of 129 characters',
			body((b) => (b.reminders[0].id = 'x'.repeat(129))),
			'reminders.0.id: must be at most 128'
		],
		[
			'a local time without offset',
			body((b) => (b.reminders[0].at = '2026-05-04T19:00:00')),
			'reminders.0.at: must be an ISO-8601 instant'
		],
		['a date only', body((b) => (b.reminders[0].at = '2026-05-04')), 'reminders.0.at'],
		['February 30', body((b) => (b.reminders[0].at = '2026-02-30T10:00:00Z')), 'reminders.0.at'],
		[
			'a number instant',
			body((b) => (b.reminders[0].at = 1777914000000)),
			'reminders.0.at: must be a string'
		],
		[
			'a repeated reminder id',
			body((b) => (b.reminders[1].id = b.reminders[0].id)),
			'reminders: must not repeat a reminder id'
		],
		[
			'a NUL in a reminder id',
			body((b) => (b.reminders[1].id = 'a\u0000b')),
			'reminders.1.id: must not contain control characters'
		],
		[
			'a line feed in a reminder id',
			body((b) => (b.reminders[0].id = 'a\nb')),
			'reminders.0.id: must not contain control characters'
		],
		[
			'a lone high surrogate in a reminder id',
			body((b) => (b.reminders[0].id = 'a\ud800')),
			'reminders.0.id: must be well-formed Unicode'
		],
		[
			'a lone low surrogate in a reminder id',
			body((b) => (b.reminders[0].id = '\udc00a')),
			'reminders.0.id: must be well-formed Unicode'
		],
		[
			'a NUL in the endpoint',
			body((b) => (b.subscription.endpoint = 'https://fcm.googleapis.com/fcm/send/a\u0000b')),
			'subscription.endpoint: must not contain control characters'
		],
		[
			'a lone surrogate in the endpoint',
			body((b) => (b.subscription.endpoint = 'https://fcm.googleapis.com/fcm/send/\ud800')),
			'subscription.endpoint: must be well-formed Unicode'
		],
		[
			'a reminder due more than a year ahead',
			body((b) => (b.reminders[1].at = new Date(now + 367 * day).toISOString())),
			'reminders.1.at: must be at most a year ahead'
		],
		[
			'a reminder due in year 9999',
			body((b) => (b.reminders[0].at = '9999-12-31T23:59:59Z')),
			'reminders.0.at: must be at most a year ahead'
		],
		[
			'a reminder due more than a week ago',
			body((b) => (b.reminders[0].at = new Date(now - 8 * day).toISOString())),
			'reminders.0.at: must be at most a year ahead and at most 7 days past'
		]
	])('refuses %s, naming the field', (_, json, message) => {
		expect(errorOf(json)).toContain(message);
	});

	it(`accepts ${maxReminders} reminders and refuses one more`, () => {
		const many = (count: number) =>
			body((b) => {
				b.reminders = Array.from({ length: count }, (_, i) => ({
					id: `r${i}`,
					at: '2026-05-04T19:00:00Z'
				}));
			});
		expect(parseSubscriptionBody(many(maxReminders)).ok).toBe(true);
		expect(errorOf(many(maxReminders + 1))).toContain(`at most ${maxReminders} reminders`);
	});
});

describe('reminders with dueAt (epoch milliseconds), as phones send them now', () => {
	const at = (dueAt: unknown, id = 'r1') =>
		body((b) => {
			b.reminders = [{ id, dueAt }];
		});

	it('takes the number as it came', () => {
		const result = parseSubscriptionBody(at(Date.UTC(2026, 4, 4, 17)));
		expect(result.ok && result.value.reminders).toEqual([
			{ id: 'r1', dueAt: Date.UTC(2026, 4, 4, 17) }
		]);
	});

	it('accepts a reminder a year ahead and one a week behind, and the older format beside it', () => {
		const result = parseSubscriptionBody(
			body((b) => {
				b.reminders = [
					{ id: 'late', dueAt: now + 366 * day },
					{ id: 'early', dueAt: now - 7 * day },
					{ id: 'older-phone', at: '2026-05-04T19:00:00Z' }
				];
			})
		);
		expect(result.ok && result.value.reminders.map((reminder) => reminder.dueAt)).toEqual([
			now + 366 * day,
			now - 7 * day,
			Date.UTC(2026, 4, 4, 19)
		]);
	});

	it.each([
		[
			'more than a year ahead',
			now + 366 * day + 1,
			'reminders.0.dueAt: must be at most a year ahead'
		],
		['more than a week past', now - 7 * day - 1, 'and at most 7 days past'],
		['a fraction of a millisecond', now + 0.5, 'reminders.0.dueAt: must be a whole number'],
		['beyond safe integers', 2 ** 53, 'reminders.0.dueAt: must be a whole number'],
		['not a number', 'soon', 'reminders.0.dueAt: must be a number'],
		['an ISO string', '2026-05-04T19:00:00Z', 'reminders.0.dueAt: must be a number'],
		['null', null, 'reminders.0.dueAt: must be a number']
	])('refuses one due %s', (_, dueAt, message) => {
		expect(errorOf(at(dueAt))).toContain(message);
	});

	it('refuses a reminder with neither dueAt nor at', () => {
		expect(errorOf(body((b) => (b.reminders = [{ id: 'r1' }])))).toBe(
			'reminders.0.dueAt: is missing'
		);
	});

	it(`accepts ${maxReminders} reminders and refuses one more`, () => {
		const many = (count: number) =>
			body((b) => {
				b.reminders = Array.from({ length: count }, (_, i) => ({ id: `r${i}`, dueAt: now + i }));
			});
		expect(parseSubscriptionBody(many(maxReminders)).ok).toBe(true);
		expect(errorOf(many(maxReminders + 1))).toContain(`at most ${maxReminders} reminders`);
	});
});

describe('textProblem', () => {
	it('accepts any well-formed text, emoji and non-Latin scripts included', () => {
		expect(textProblem('s1:ice:1:morning')).toBeNull();
		expect(textProblem('😀 Pflege – ケア')).toBeNull();
	});

	it.each(['\u0000', '\u001f', '\u007f', '\u0085', '\ud83d', '\ude00x'])('refuses %j', (text) => {
		expect(textProblem(`id${text}`)).not.toBeNull();
	});
});

describe('reminder instants', () => {
	it('accepts a reminder a year ahead and one a week behind', () => {
		const result = parseSubscriptionBody(
			body((b) => {
				b.reminders = [
					{ id: 'late', at: new Date(now + 366 * day).toISOString() },
					{ id: 'early', at: new Date(now - 7 * day).toISOString() }
				];
			})
		);
		expect(result.ok).toBe(true);
	});
});

describe('parseInstant', () => {
	it.each([
		['2026-05-04T19:00:00Z', Date.UTC(2026, 4, 4, 19)],
		['2026-05-04T19:00Z', Date.UTC(2026, 4, 4, 19)],
		['2026-05-04T19:00:00.123456+02:00', Date.UTC(2026, 4, 4, 17, 0, 0, 123)],
		['2026-05-04T19:00:00-04:30', Date.UTC(2026, 4, 4, 23, 30)],
		['2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29)]
	])('reads %s', (text, ms) => {
		expect(parseInstant(text)).toBe(ms);
	});

	it.each([
		'2026-05-04 19:00:00Z',
		'2026-05-04T19:00:00',
		'2026-05-04T24:00:00Z',
		'2026-13-01T00:00:00Z',
		'2027-02-29T00:00:00Z',
		'2026-05-04T19:00:00+2:00',
		'tomorrow'
	])('refuses %s', (text) => {
		expect(parseInstant(text)).toBeNull();
	});
});
