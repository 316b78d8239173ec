// The tables' rows as both stores read them (same columns, times in epoch milliseconds), and
// their mapping to the store interface's types.
import { createHash, timingSafeEqual } from 'node:crypto';
import type {
	ClaimedReminder,
	PushSubscriptionData,
	ReminderState,
	ReminderStatus,
	StoredSubscription
} from './types';

export interface ReminderRow {
	subscription_id: string;
	reminder_id: string;
	due_at: number | null;
	status: ReminderStatus;
	attempts: number;
	next_try_at: number;
	lease_until: number | null;
	last_error: string | null;
}

export interface SubscriptionRow {
	id: string;
	token_hash: string;
	endpoint: string;
	p256dh: string;
	auth: string;
}

/** A claimed reminder joined with its subscription's endpoint and keys. */
export type ClaimedRow = Pick<ReminderRow, 'subscription_id' | 'reminder_id' | 'attempts'> & {
	due_at: number;
	lease_until: number;
} & PushSubscriptionData;

const dayMs = 86_400_000;

/**
 * All a finished reminder keeps of its time: the UTC midnight after it finished, shared by every
 * reminder finished that day, so that it can be forgotten a day later.
 * @param finishedAt when it was sent or given up
 */
export const forgetDay = (finishedAt: number): number =>
	Math.floor(finishedAt / dayMs) * dayMs + dayMs;

export const toSubscription = (row: SubscriptionRow): StoredSubscription => ({
	id: row.id,
	tokenHash: row.token_hash,
	endpoint: row.endpoint,
	p256dh: row.p256dh,
	auth: row.auth
});

export const toReminderState = (row: ReminderRow): ReminderState => ({
	subscriptionId: row.subscription_id,
	reminderId: row.reminder_id,
	dueAt: row.due_at,
	status: row.status,
	attempts: row.attempts,
	nextTryAt: row.next_try_at,
	leaseUntil: row.lease_until,
	lastError: row.last_error
});

export const toClaimed = (row: ClaimedRow): ClaimedReminder => ({
	subscriptionId: row.subscription_id,
	reminderId: row.reminder_id,
	dueAt: row.due_at,
	attempts: row.attempts,
	leaseUntil: row.lease_until,
	subscription: { endpoint: row.endpoint, p256dh: row.p256dh, auth: row.auth }
});

/**
 * Whether two `auth` secrets are the same, in time that does not depend on where they differ.
 * @param stored the stored subscription's
 * @param given the request's
 */
export function sameSecret(stored: string, given: string): boolean {
	const digest = (text: string) => createHash('sha256').update(text).digest();
	return timingSafeEqual(digest(stored), digest(given));
}

/**
 * Whether a reminder listed again goes back to pending: one still to send when its instant
 * changed; one finished (its instant forgotten, `null`) only when its new instant is still ahead
 * (a snooze or a move), never when already past (a slow clock re-sending the same reminder).
 * @param stored the stored due time, `null` once finished
 * @param dueAt the instant listed now
 * @param now the current time
 */
export const isMoved = (stored: number | null, dueAt: number, now: number): boolean =>
	stored === null ? dueAt > now : stored !== dueAt;
