// The tables' rows as both stores read them (same columns, times in epoch milliseconds), and
// their mapping to the store interface's types.
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
	due_at: number;
	status: ReminderStatus;
	attempts: number;
	next_try_at: number;
	lease_until: number | null;
	last_error: string | null;
	sent_at: number | null;
}

export interface SubscriptionRow {
	id: string;
	token_hash: string;
	endpoint: string;
	p256dh: string;
	auth: string;
}

/** A claimed reminder joined with its subscription's endpoint and keys. */
export type ClaimedRow = Pick<
	ReminderRow,
	'subscription_id' | 'reminder_id' | 'due_at' | 'attempts'
> & { lease_until: number } & PushSubscriptionData;

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
	lastError: row.last_error,
	sentAt: row.sent_at
});

export const toClaimed = (row: ClaimedRow): ClaimedReminder => ({
	subscriptionId: row.subscription_id,
	reminderId: row.reminder_id,
	dueAt: row.due_at,
	attempts: row.attempts,
	leaseUntil: row.lease_until,
	subscription: { endpoint: row.endpoint, p256dh: row.p256dh, auth: row.auth }
});
