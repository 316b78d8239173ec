import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	decideOutcome,
	isExpired,
	retryAfterAt,
	type RetryPolicy,
	type SendResult
} from './outcome';

const t0 = Date.UTC(2026, 4, 4, 17);
const hour = 3_600_000;
const policy: RetryPolicy = { maxAttempts: 5, retryBaseMs: 30_000, retryMaxMs: hour };
/** The middle of the jitter range: backoffs come out exact. */
const middle = 0.5;

const answered = (status: number, retryAfter: string | null = null, body = ''): SendResult => ({
	kind: 'answered',
	status,
	retryAfter,
	body
});

/** The decision for a first attempt ending at t0, unless told otherwise. */
const decide = (result: SendResult, attempts = 1, jitter = middle) =>
	decideOutcome(result, attempts, t0, jitter, policy);

describe('decideOutcome', () => {
	it.each([200, 201, 202])('counts HTTP %i as sent', (status) => {
		expect(decide(answered(status))).toEqual({ kind: 'sent' });
	});

	it.each([404, 410])('drops the subscription on HTTP %i, whatever the attempt', (status) => {
		expect(decide(answered(status))).toEqual({ kind: 'drop-subscription' });
		expect(decide(answered(status), 5)).toEqual({ kind: 'drop-subscription' });
	});

	it.each([429, 500, 502, 503])('retries HTTP %i, doubling the delay per attempt', (status) => {
		const retryAt = (attempts: number) => {
			const outcome = decide(answered(status, null, 'busy'), attempts);
			expect(outcome).toMatchObject({ kind: 'retry', attempts, error: `HTTP ${status}: busy` });
			return outcome.kind === 'retry' ? outcome.at - t0 : NaN;
		};
		expect([retryAt(1), retryAt(2), retryAt(4)]).toEqual([30_000, 60_000, 240_000]);
	});

	it('jitters its own backoff by up to ±20 %', () => {
		const delay = (jitter: number) => {
			const outcome = decide(answered(503), 1, jitter);
			return outcome.kind === 'retry' ? outcome.at - t0 : NaN;
		};
		expect(delay(0)).toBe(24_000);
		expect(delay(0.999)).toBeCloseTo(35_988, -1);
	});

	it('honours Retry-After in seconds and as an HTTP date, at least a second and at most retryMaxMs', () => {
		const date = new Date(t0 + 90_000).toUTCString();
		const delay = (retryAfter: string) => {
			const outcome = decide(answered(503, retryAfter));
			return outcome.kind === 'retry' ? outcome.at - t0 : NaN;
		};
		expect(delay('120')).toBe(120_000);
		expect(delay(date)).toBe(Date.parse(date) - t0);
		expect(delay('0')).toBe(1000);
		expect(delay('86400')).toBe(hour);
		// Unusable: our own backoff instead.
		expect(delay('soon')).toBe(30_000);
	});

	it('gives a 5xx up after the last attempt, with a line for the log', () => {
		expect(decide(answered(503, '1', 'down'), 5)).toEqual({
			kind: 'fail',
			attempts: 5,
			error: 'HTTP 503: down',
			warning: 'Push failed after 5 attempts: HTTP 503: down'
		});
	});

	it('retries when no answer came, and gives up after the last attempt', () => {
		const unreachable: SendResult = { kind: 'unreachable', reason: 'ECONNREFUSED: connect' };
		expect(decide(unreachable, 4)).toEqual({
			kind: 'retry',
			at: t0 + 240_000,
			attempts: 4,
			error: 'ECONNREFUSED: connect'
		});
		expect(decide(unreachable, 5)).toMatchObject({
			kind: 'fail',
			attempts: 5,
			error: 'ECONNREFUSED: connect'
		});
	});

	it('fails a refused endpoint at once', () => {
		expect(decide({ kind: 'refused', reason: '10.0.0.1 is a private address' })).toEqual({
			kind: 'fail',
			attempts: 1,
			error: 'endpoint refused: 10.0.0.1 is a private address',
			warning: 'Push endpoint refused: 10.0.0.1 is a private address'
		});
	});

	it.each([400, 401, 403, 413])('fails at once on HTTP %i', (status) => {
		expect(decide(answered(status, null, 'bad'))).toEqual({
			kind: 'fail',
			attempts: 1,
			error: `HTTP ${status}: bad`,
			warning: `Push refused with HTTP ${status}; reminder given up`
		});
		expect(decide(answered(status))).toMatchObject({ error: `HTTP ${status}` });
	});

	it('never retries sooner than a second or later than retryMaxMs, nor past the last attempt', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(429, 500, 503, 599),
				fc.option(
					fc.oneof(
						fc.nat().map(String),
						fc
							.date({ noInvalidDate: true, min: new Date(0), max: new Date(Date.UTC(2100, 0, 1)) })
							.map((date) => date.toUTCString())
					)
				),
				fc.integer({ min: 1, max: 8 }),
				fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
				(status, retryAfter, attempts, jitter) => {
					const outcome = decide(answered(status, retryAfter), attempts, jitter);
					if (attempts >= policy.maxAttempts) {
						expect(outcome.kind).toBe('fail');
					} else {
						expect(outcome.kind).toBe('retry');
						const delay = outcome.kind === 'retry' ? outcome.at - t0 : NaN;
						expect(delay).toBeGreaterThanOrEqual(1000);
						expect(delay).toBeLessThanOrEqual(policy.retryMaxMs);
					}
				}
			)
		);
	});
});

describe('isExpired', () => {
	const ttlSeconds = 6 * 3600;

	it('is a first attempt more than the TTL late', () => {
		expect(isExpired({ dueAt: t0 - 6 * hour - 1, attempts: 0 }, t0, ttlSeconds)).toBe(true);
		expect(isExpired({ dueAt: t0 - 6 * hour, attempts: 0 }, t0, ttlSeconds)).toBe(false);
		expect(isExpired({ dueAt: t0 - 6 * hour + 2000, attempts: 0 }, t0, ttlSeconds)).toBe(false);
	});

	it('never is a reminder being retried: its lateness is the retries’', () => {
		expect(isExpired({ dueAt: t0 - 7 * hour, attempts: 2 }, t0, ttlSeconds)).toBe(false);
	});
});

describe('retryAfterAt', () => {
	it('reads seconds and HTTP dates, and ignores anything else', () => {
		expect(retryAfterAt('30', t0)).toBe(t0 + 30_000);
		expect(retryAfterAt('Wed, 21 Oct 2026 07:28:00 GMT', t0)).toBe(Date.UTC(2026, 9, 21, 7, 28));
		expect(retryAfterAt('soon', t0)).toBeNull();
		expect(retryAfterAt('-5', t0)).toBeNull();
		expect(retryAfterAt(null, t0)).toBeNull();
	});
});
