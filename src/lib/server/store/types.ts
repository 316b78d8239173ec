/**
 * Where the server keeps push subscriptions and the reminder queue. The same small interface for
 * the embedded SQLite store and a PostgreSQL one; `tests/support/store/store-contract.ts` tests
 * both alike.
 *
 * It holds only what sending needs: the subscription (endpoint and keys), a hash of the client's
 * token, when its phone last confirmed it, and for each reminder still to send an opaque id and an
 * instant. A reminder sent or given up keeps no instant: only its id, status and attempt count,
 * for about a day (see docs/privacy.md). Times are epoch milliseconds.
 */

/** The browser's push subscription. */
export interface PushSubscriptionData {
	endpoint: string;
	p256dh: string;
	auth: string;
}

/** A stored subscription. */
export interface StoredSubscription extends PushSubscriptionData {
	id: string;
	/** SHA-256 of the client's bearer token, hex. The token itself is never stored. */
	tokenHash: string;
}

/** One reminder to deliver: the phone's opaque id and when it is due. */
export interface ReminderSchedule {
	id: string;
	dueAt: number;
}

/** Where a reminder is in the queue. */
export type ReminderStatus = 'pending' | 'sending' | 'retry' | 'sent' | 'failed';

/** Names one reminder of one subscription. */
export interface ReminderRef {
	subscriptionId: string;
	reminderId: string;
}

/**
 * One claim of a reminder: its lease end tells this claim from a later one, so an outcome that
 * arrives after the reminder was replaced, re-claimed or both is ignored (a fencing token).
 */
export interface Lease extends ReminderRef {
	leaseUntil: number;
}

/** A reminder the push service accepted under a claim, and when. */
export interface Delivery extends Lease {
	sentAt: number;
}

/** A reminder with its queue state, for inspection and tests. */
export interface ReminderState extends ReminderRef {
	/** When it is due; `null` once it was sent or given up (the instant is forgotten then). */
	dueAt: number | null;
	status: ReminderStatus;
	attempts: number;
	/**
	 * When it may next be claimed; once finished, the UTC midnight after it finished (all that is
	 * kept of its time, to know when to forget it).
	 */
	nextTryAt: number;
	leaseUntil: number | null;
	/** Why the last attempt failed, while it is retried; `null` once finished. */
	lastError: string | null;
}

/**
 * What subscribing did: `created` a new subscription, `renewed` the one this endpoint already had
 * (same `auth` secret: the same browser asking again, e.g. after losing the answer), or refused it
 * as a `conflict` (the endpoint is registered with another `auth` secret).
 */
export type SubscribeResult =
	{ outcome: 'created' | 'renewed'; id: string } | { outcome: 'conflict' };

/** What replacing did: `missing` when there is no such subscription. */
export type ReplaceResult = 'replaced' | 'missing' | 'conflict';

/** A reminder claimed for sending, with the subscription to send it to. */
export interface ClaimedReminder extends Lease {
	dueAt: number;
	/** Send attempts made before this claim. */
	attempts: number;
	subscription: PushSubscriptionData;
}

/** The subscription and reminder store. */
export interface PushStore {
	/** Short name for logs and `/api/health`, e.g. `sqlite`. */
	readonly name: string;

	/**
	 * Stores a new subscription with its reminders, all pending, seen at `now`. Throws when the id
	 * or the endpoint is taken (one subscription per endpoint).
	 * @param subscription id, token hash, endpoint and keys
	 * @param reminders the reminder set (ids unique)
	 * @param now when its phone sent it
	 */
	createSubscription(
		subscription: StoredSubscription,
		reminders: ReminderSchedule[],
		now: number
	): Promise<void>;

	/**
	 * Subscribes idempotently, in one transaction. When no subscription has this endpoint, creates
	 * one (as `createSubscription`). When one has it with the same `auth` secret, renews it: it
	 * keeps its id, takes the new token hash and p256dh key, and its reminders are replaced as by
	 * `replaceSubscription` (so a repeated POST never doubles a reminder, nor re-sends one). With
	 * another `auth` secret, changes nothing: someone who knows only an endpoint must not take it.
	 * @param subscription the id to use when created, token hash, endpoint and keys
	 * @param reminders the reminder set (ids unique)
	 * @param now when its phone sent it
	 */
	subscribe(
		subscription: StoredSubscription,
		reminders: ReminderSchedule[],
		now: number
	): Promise<SubscribeResult>;

	/**
	 * Replaces a subscription's endpoint and keys and its whole reminder set in one transaction,
	 * and records that its phone was seen at `now`. A reminder still to send whose instant is
	 * unchanged keeps its state, a moved one becomes pending. One already sent or given up (its
	 * instant forgotten) stays finished unless its new instant is after `now`: an instant already
	 * past is the same reminder from a phone whose clock is slow, never sent twice; a later one is
	 * a snooze or a move, sent again. A new one becomes pending; one no longer listed is dropped.
	 * The caller checks the token first (`getSubscription`).
	 * @param id the subscription
	 * @param subscription the new endpoint and keys
	 * @param reminders the new reminder set (ids unique)
	 * @param now the current time
	 * @returns `missing` when there is no such subscription, `conflict` (nothing changed) when
	 *   another subscription has the new endpoint with another `auth` secret; one with the same
	 *   secret is the same browser's orphan and is deleted
	 */
	replaceSubscription(
		id: string,
		subscription: PushSubscriptionData,
		reminders: ReminderSchedule[],
		now: number
	): Promise<ReplaceResult>;

	/**
	 * Deletes, up to `limit`, subscriptions whose phone was last seen before `unseenBefore`, and
	 * those with no reminder left last seen before `emptySeenBefore`, with their reminders.
	 * @returns how many were deleted
	 */
	purgeSubscriptions(unseenBefore: number, emptySeenBefore: number, limit: number): Promise<number>;

	/**
	 * Deletes a subscription and every reminder of it.
	 * @returns false when there was no such subscription
	 */
	deleteSubscription(id: string): Promise<boolean>;

	/** The subscription, or `null`. */
	getSubscription(id: string): Promise<StoredSubscription | null>;

	/**
	 * Atomically takes up to `limit` reminders that are due at `now`: pending ones with
	 * `dueAt ≤ now`, retries whose time has come, and 'sending' ones whose lease expired (their
	 * sender died). They become 'sending' with a lease until `now + leaseMs`. Two concurrent calls
	 * never return the same reminder while its lease lasts.
	 * @param now the current time
	 * @param limit the most reminders to return, earliest first
	 * @param leaseMs how long the caller may take to report the outcome
	 */
	claimDue(now: number, limit: number, leaseMs: number): Promise<ClaimedReminder[]>;

	/**
	 * Records deliveries, in one transaction: those reminders are never claimed again, and forget
	 * their instant and last error (only the UTC midnight after `sentAt` is kept). Each is
	 * ignored unless the reminder is still 'sending' under the same claim (it was replaced,
	 * deleted or claimed again meanwhile); so are `markRetry` and `markFailed`.
	 */
	markSent(deliveries: readonly Delivery[]): Promise<void>;

	/**
	 * Puts a claimed reminder back for another try at `nextTryAt`.
	 * @param attempts the attempts made so far, this one included
	 * @param lastError why this attempt failed
	 */
	markRetry(claim: Lease, nextTryAt: number, attempts: number, lastError: string): Promise<void>;

	/**
	 * Gives a claimed reminder up for good. Like a sent one it forgets its instant and error
	 * (the caller logs why); only the UTC midnight after its lease end is kept.
	 * @param attempts the attempts made, this one included (0 when it was never sent)
	 * @param lastError e.g. `expired` or the push service's last answer (not kept)
	 */
	markFailed(claim: Lease, attempts: number, lastError: string): Promise<void>;

	/**
	 * Removes up to `limit` reminders that were sent or given up on a UTC day that ended before
	 * `before`. Rows another process is removing at the same time are skipped.
	 * @returns how many were removed
	 */
	purgeFinished(before: number, limit: number): Promise<number>;

	/** The reminders of a subscription with their queue state: finished ones first, then by due time, then id. */
	listReminders(subscriptionId: string): Promise<ReminderState[]>;

	/** Resolves when the store answers; rejects with `StoreUnavailableError` when it does not. */
	ping(): Promise<void>;

	/** Closes connections; the store is unusable afterwards. */
	close(): Promise<void>;
}

/**
 * The store cannot be reached right now (database down, restarting, or too slow). The API
 * answers 503 and the dispatcher backs off; nothing is lost, as nothing was written.
 */
export class StoreUnavailableError extends Error {
	override name = 'StoreUnavailableError';
}
