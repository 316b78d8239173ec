/**
 * What a send attempt means for the reminder: the dispatcher's outcome policy, as pure functions
 * of plain inputs (no store, no clock, no randomness of their own), so every rule is tested with
 * values alone. The dispatcher carries the decision out.
 */

/** What came of one attempt to send a reminder. */
export type SendResult =
	/** The push service answered with a status line. */
	| { kind: 'answered'; status: number; retryAfter: string | null; body: string }
	/** The endpoint failed the check right before sending (e.g. it now resolves to a private address). */
	| { kind: 'refused'; reason: string }
	/** No answer came: network error, TLS, the send deadline. */
	| { kind: 'unreachable'; reason: string };

/** What to do with the reminder after an attempt. */
export type Outcome =
	/** Delivered: record it as sent. */
	| { kind: 'sent' }
	/** The browser unsubscribed or the subscription expired (404/410): delete the subscription. */
	| { kind: 'drop-subscription' }
	/** Try again at `at` (epoch milliseconds), recording `attempts` and the `error`. */
	| { kind: 'retry'; at: number; attempts: number; error: string }
	/** Give the reminder up, recording `attempts` and the `error`; `warning` is for the log. */
	| { kind: 'fail'; attempts: number; error: string; warning: string };

/** The retry rules; see the dispatcher's options of the same names. */
export interface RetryPolicy {
	/** Attempts before giving a reminder up. */
	maxAttempts: number;
	/** First retry delay, doubled each attempt. */
	retryBaseMs: number;
	/** Longest retry delay, also for Retry-After. */
	retryMaxMs: number;
}

/**
 * Whether a reminder is too late to send at all: never tried, and already older than the TTL, so
 * it would arrive hours late (one being retried is still sent; its lateness is the retries').
 * @param reminder when it was due and how often it was tried
 * @param now the current time
 * @param ttlSeconds how long a push service may hold a message
 */
export function isExpired(
	reminder: { dueAt: number; attempts: number },
	now: number,
	ttlSeconds: number
): boolean {
	return reminder.attempts === 0 && now - reminder.dueAt > ttlSeconds * 1000;
}

/**
 * What to do after an attempt. 2xx → sent; 404/410 → the subscription is gone; 429/5xx and no
 * answer at all → retry with exponential backoff (or the push service's Retry-After) up to
 * `maxAttempts`, then fail; a refused endpoint and any other answer → fail at once.
 * @param result what came of the attempt
 * @param attempts the attempts made so far, this one included
 * @param now when the attempt ended
 * @param jitter a number in [0, 1) that spreads our own backoff by ±20 %
 * @param policy the retry rules
 */
export function decideOutcome(
	result: SendResult,
	attempts: number,
	now: number,
	jitter: number,
	policy: RetryPolicy
): Outcome {
	if (result.kind === 'refused') {
		return {
			kind: 'fail',
			attempts,
			error: `endpoint refused: ${result.reason}`,
			warning: `Push endpoint refused: ${result.reason}`
		};
	}
	if (result.kind === 'unreachable') {
		return retryOrFail(result.reason, null, attempts, now, jitter, policy);
	}
	const { status } = result;
	if (status === 200 || status === 201 || status === 202) {
		return { kind: 'sent' };
	}
	if (status === 404 || status === 410) {
		return { kind: 'drop-subscription' };
	}
	const detail = `HTTP ${status}${result.body ? `: ${result.body}` : ''}`;
	if (status === 429 || status >= 500) {
		return retryOrFail(detail, result.retryAfter, attempts, now, jitter, policy);
	}
	return {
		kind: 'fail',
		attempts,
		error: detail,
		warning: `Push refused with HTTP ${status}; reminder given up`
	};
}

function retryOrFail(
	error: string,
	retryAfter: string | null,
	attempts: number,
	now: number,
	jitter: number,
	{ maxAttempts, retryBaseMs, retryMaxMs }: RetryPolicy
): Outcome {
	if (attempts >= maxAttempts) {
		return {
			kind: 'fail',
			attempts,
			error,
			warning: `Push failed after ${attempts} attempts: ${error}`
		};
	}
	const asked = retryAfterAt(retryAfter, now);
	// ±20 % jitter on our own backoff, so reminders that failed together do not all come back
	// in the same second; the push service's own Retry-After is followed as given.
	const delay =
		asked === null
			? retryBaseMs * 2 ** (attempts - 1) * (0.8 + 0.4 * jitter)
			: // At least a second, so a "Retry-After: 0" cannot spin.
				Math.max(asked - now, 1000);
	return { kind: 'retry', at: now + Math.round(Math.min(delay, retryMaxMs)), attempts, error };
}

/**
 * When a `Retry-After` header allows the next try, or `null` when it says nothing usable.
 * @param value delay-seconds or an HTTP date (RFC 9110 §10.2.3)
 * @param now the current time
 */
export function retryAfterAt(value: string | null, now: number): number | null {
	if (value === null) {
		return null;
	}
	const text = value.trim();
	if (/^\d+$/.test(text)) {
		return now + Number(text) * 1000;
	}
	// HTTP dates end in GMT in all three of their forms; Date.parse alone takes "-5" for a year.
	if (!/^[A-Za-z]{3,9}, .+ GMT$/.test(text)) {
		return null;
	}
	const date = Date.parse(text);
	return Number.isFinite(date) ? date : null;
}
