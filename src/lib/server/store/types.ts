/**
 * Where the server keeps push subscriptions and the reminder queue. The same small interface for
 * the embedded SQLite store and a PostgreSQL one; `store-contract.ts` tests both alike.
 *
 * It holds only what sending needs: the subscription (endpoint and keys), a hash of the client's
 * token, and for each reminder an opaque id and an instant. Times are epoch milliseconds.
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
	dueAt: number;
	status: ReminderStatus;
	attempts: number;
	nextTryAt: number;
	leaseUntil: number | null;
	lastError: string | null;
	sentAt: number | null;
}

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
	 * Stores a new subscription with its reminders, all pending.
	 * @param subscription id, token hash, endpoint and keys
	 * @param reminders the reminder set (ids unique)
	 */
	createSubscription(
		subscription: StoredSubscription,
		reminders: ReminderSchedule[]
	): Promise<void>;

	/**
	 * Replaces a subscription's endpoint and keys and its whole reminder set in one transaction.
	 * A reminder whose id and instant are unchanged keeps its state (so one already sent is never
	 * sent again); a new or moved one becomes pending; one no longer listed is dropped. The caller
	 * checks the token first (`getSubscription`).
	 * @param id the subscription
	 * @param subscription the new endpoint and keys
	 * @param reminders the new reminder set (ids unique)
	 * @returns false when there is no such subscription
	 */
	replaceSubscription(
		id: string,
		subscription: PushSubscriptionData,
		reminders: ReminderSchedule[]
	): Promise<boolean>;

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
	 * Records deliveries, in one transaction: those reminders are never claimed again. Each is
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
	 * Gives a claimed reminder up for good, recording why.
	 * @param attempts the attempts made, this one included (0 when it was never sent)
	 * @param lastError e.g. `expired` or the push service's last answer
	 */
	markFailed(claim: Lease, attempts: number, lastError: string): Promise<void>;

	/**
	 * Removes up to `limit` reminders that were sent or given up, and whose last attempt ended
	 * before `before` (for them, `next_try_at` is the end of that attempt's lease). Rows another
	 * process is removing at the same time are skipped.
	 * @returns how many were removed
	 */
	purgeFinished(before: number, limit: number): Promise<number>;

	/** The reminders of a subscription with their queue state, ordered by due time then id. */
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
