import { createHash } from 'node:crypto';
import { reminderPushPayload } from '$lib/domain/push-payload';
import { defaultDispatchTuning, fixedDispatchSettings } from '../config';
import { StoreUnavailableError, type ClaimedReminder, type PushStore } from '../store/types';
import { DeliveryRecorder } from './delivery-recorder';
import { EndpointRefusedError } from './endpoint-safety';
import { decideOutcome, isExpired, type Outcome, type SendResult } from './outcome';
import type { SendPush } from './send';

/** Finished reminders, or stale subscriptions, removed per write. */
const purgeBatchSize = 1_000;
const dayMs = 24 * 60 * 60 * 1000;

/**
 * How the dispatcher runs; every field has a default except the collaborators, from
 * `defaultDispatchTuning` and `fixedDispatchSettings` in config.ts.
 */
export interface DispatcherOptions {
	/** The clock (epoch milliseconds). */
	now: () => number;
	store: PushStore;
	send: SendPush;
	/** Re-checks an endpoint right before sending (DNS may have changed since it was stored). */
	checkEndpoint: (endpoint: string) => Promise<void>;
	/** Pause between rounds once nothing is due. Default 5 s. */
	intervalMs?: number;
	/** Longest pause after failed rounds (store unreachable), doubling from `intervalMs`. Default 1 min. */
	maxBackoffMs?: number;
	/**
	 * How long a delivery may wait to be recorded together with the ones that follow it, in
	 * milliseconds. Longer means fewer, larger transactions (cheaper per delivery, above all for
	 * SQLite, whose every commit rewrites the same pages) but more re-sends if the process is
	 * killed (those deliveries are sent again once their lease ends). Default 10 ms.
	 */
	recordDelayMs?: number;
	/** Reminders claimed at a time. Default 200. */
	batchSize?: number;
	/**
	 * Sends in flight at once, across rounds: a send still waiting on a slow push service keeps its
	 * slot while the next rounds go on with the others. Default 32.
	 */
	concurrency?: number;
	/** How long a claimed reminder stays ours; longer than a send can take. Default 2 min. */
	leaseMs?: number;
	/**
	 * The longest a send may take (the sender's own deadline). A reminder is only sent while at
	 * least this much (at most half the lease) of its lease is left. Default 10 s.
	 */
	sendDeadlineMs?: number;
	/**
	 * The app's public origin (`ORIGIN`), for the link a tap on the notification opens; without
	 * it pushes go out in the older, non-declarative format. Default null.
	 */
	appOrigin?: string | null;
	/** How long a push service may hold a message for an offline phone. Default 6 h. */
	ttlSeconds?: number;
	/** Attempts before giving a reminder up. Default 5. */
	maxAttempts?: number;
	/** First retry delay, doubled each attempt. Default 30 s. */
	retryBaseMs?: number;
	/** Longest retry delay, also for Retry-After. Default 1 h. */
	retryMaxMs?: number;
	/** Where problems, and the removal of finished reminders, are reported. Default `console`. */
	log?: Pick<Console, 'info' | 'warn' | 'error'>;
	/** A number in [0, 1) for retry jitter. Default `Math.random`. */
	random?: () => number;
	/** Told what each scheduled round did and how long it took. */
	onRound?: (summary: RoundSummary, durationMs: number) => void;
	/**
	 * How long a reminder that was sent or given up stays, counted from the UTC midnight after it
	 * finished: only its id, so that a phone with a slow clock listing it again does not have it
	 * sent twice (its instant is forgotten at once; docs/privacy.md). A subscription with no
	 * reminder left goes once it has not been seen for this long plus a day. Default 1 day.
	 */
	keepFinishedMs?: number;
	/**
	 * How long a subscription whose phone never confirmed it (the app's PUT at every start) is
	 * kept: Safari answers 200 for subscriptions the user revoked, so they never answer 404/410.
	 * Default 60 days (`SUBSCRIPTION_UNSEEN_DAYS`).
	 */
	unseenSubscriptionMs?: number;
	/** How often the scheduled rounds remove finished reminders. Default 1 h. */
	purgeEveryMs?: number;
}

/** What one round did. */
export interface RoundSummary {
	sent: number;
	retried: number;
	failed: number;
	expired: number;
	/** Subscriptions deleted because the push service said they are gone (404/410). */
	gone: number;
	/** Claimed but not sent in time for the lease: back in the queue for the next claim. */
	leaseLapsed: number;
}

/**
 * The Topic header for a reminder: a short hash of its id, in the base64url alphabet, ≤ 32
 * characters (RFC 8030 §5.4), so a push service replaces rather than stacks a re-sent message.
 * @param reminderId the opaque reminder id
 */
export function reminderTopic(reminderId: string): string {
	return createHash('sha256').update(reminderId).digest('base64url').slice(0, 32);
}

/**
 * Sends due reminders: claims them from the store in batches, pushes each, and carries out what
 * the outcome policy (`decideOutcome` in outcome.ts) makes of the answer: 2xx → sent; 404/410 →
 * the subscription is gone and deleted with its reminders; 429/5xx and network errors → retried
 * with backoff up to `maxAttempts`, then failed; other answers → failed. A reminder already older
 * than the TTL when first claimed fails as `expired` rather than arriving hours late. Deliveries
 * are recorded by group commit (`DeliveryRecorder`).
 *
 * Crash safety comes from the store's lease: a reminder being sent by a process that died is
 * claimed again once the lease runs out; one recorded as sent is never claimed again.
 */
export class Dispatcher {
	readonly #options: Required<DispatcherOptions>;
	#timer: ReturnType<typeof setTimeout> | null = null;
	/** The scheduled round while it claims and starts sends (its sends may outlive it). */
	#round: Promise<unknown> | null = null;
	/** Sends in flight, from any round; each settles (never rejects) and leaves the set. */
	readonly #inFlight = new Set<Promise<void>>();
	/** Wakes the round waiting for a free sending slot. */
	#slotFreed: (() => void) | null = null;
	/** A store error while recording a send's outcome, for the next round to stop on. */
	#sendError: { error: unknown } | null = null;
	#running = false;
	#stopping = false;
	/** Rounds failed in a row, for the backoff. */
	#failures = 0;
	/** When finished reminders were last removed; null before the first time. */
	#lastPurge: number | null = null;
	/**
	 * Deliveries not recorded yet. Kept when the store is down, to be written first thing next
	 * round.
	 */
	readonly #recorder: DeliveryRecorder;

	/** @param options collaborators and tuning */
	constructor(options: DispatcherOptions) {
		this.#options = {
			...defaultDispatchTuning,
			...fixedDispatchSettings,
			appOrigin: null,
			log: console,
			random: Math.random,
			onRound: () => {},
			...options
		};
		if (this.#options.ttlSeconds <= 0) {
			// TTL 0 means "deliver now or drop", and a phone asleep for a minute would miss it.
			throw new RangeError('ttlSeconds must be positive');
		}
		this.#recorder = new DeliveryRecorder({
			store: this.#options.store,
			delayMs: this.#options.recordDelayMs
		});
	}

	/** Runs a round now, then one every `intervalMs` after the previous one ends. */
	start(): void {
		if (this.#running) {
			return;
		}
		this.#running = true;
		this.#stopping = false;
		this.#schedule(0);
	}

	#schedule(delay: number): void {
		this.#timer = setTimeout(() => {
			this.#timer = null;
			const started = this.#options.now();
			// The next round starts `intervalMs` after this one has claimed and started its sends, not
			// after they all ended: one slow push service must not hold every other reminder back.
			this.#round = this.#startRound()
				.then(async (round) => {
					void Promise.all(round.sends).then(() => {
						if (!round.failure) {
							this.#options.onRound(round.summary, this.#options.now() - started);
						}
					});
					if (round.failure) {
						this.#failures += 1;
						// A store that is down is expected now and then: one line, no stack.
						const { error } = round.failure;
						this.#options.log.error(
							`Push dispatcher round failed (${this.#failures} in a row, next try in ${this.#nextDelay() / 1000} s):`,
							error instanceof StoreUnavailableError ? error.message : error
						);
						return;
					}
					if (this.#failures > 0) {
						this.#options.log.warn(
							`Push dispatcher: working again after ${this.#failures} failed round(s)`
						);
					}
					this.#failures = 0;
					await this.#purgeIfDue();
				})
				.finally(() => {
					this.#round = null;
					if (this.#running) {
						this.#schedule(this.#nextDelay());
					}
				});
		}, delay);
		// Never keep the process alive just for reminders.
		this.#timer.unref?.();
	}

	/**
	 * Removes finished reminders past their keeping time, once every `purgeEveryMs` (the first time
	 * after the first round), in batches so that no one write holds the store for long. Several
	 * dispatchers may do this at once; they skip each other's rows. A failure is logged and tried
	 * again next time.
	 * @returns how many were removed
	 */
	async purgeFinished(): Promise<number> {
		const { store, now, keepFinishedMs } = this.#options;
		const before = now() - keepFinishedMs;
		return this.#inBatches(() => store.purgeFinished(before, purgeBatchSize));
	}

	/**
	 * Removes subscriptions unseen for `unseenSubscriptionMs`, and those with no reminder left
	 * unseen for `keepFinishedMs` plus a day, with their reminders; in batches, as `purgeFinished`.
	 * @returns how many were removed
	 */
	async purgeSubscriptions(): Promise<number> {
		const { store, now, keepFinishedMs, unseenSubscriptionMs } = this.#options;
		const at = now();
		return this.#inBatches(() =>
			store.purgeSubscriptions(
				at - unseenSubscriptionMs,
				at - keepFinishedMs - dayMs,
				purgeBatchSize
			)
		);
	}

	/** Runs `purge` until it removes less than a batch (or the dispatcher stops). */
	async #inBatches(purge: () => Promise<number>): Promise<number> {
		let removed = 0;
		for (;;) {
			const batch = await purge();
			removed += batch;
			if (batch < purgeBatchSize || this.#stopping) {
				return removed;
			}
			// SQLite's writes run on this thread: let requests and sends in between batches.
			await new Promise((resolve) => setImmediate(resolve));
		}
	}

	async #purgeIfDue(): Promise<void> {
		const at = this.#options.now();
		if (this.#lastPurge !== null && at - this.#lastPurge < this.#options.purgeEveryMs) {
			return;
		}
		this.#lastPurge = at;
		try {
			const removed = await this.purgeFinished();
			const subscriptions = await this.purgeSubscriptions();
			if (removed + subscriptions > 0) {
				this.#options.log.info(
					`Push dispatcher: forgot ${removed} finished reminder(s) and ${subscriptions} unused subscription(s)`
				);
			}
		} catch (error) {
			this.#options.log.warn(
				'Push dispatcher: could not remove finished reminders or unused subscriptions; trying again later:',
				error instanceof StoreUnavailableError ? error.message : error
			);
		}
	}

	/** The pause before the next round: the interval, doubled for each failed round in a row. */
	#nextDelay(): number {
		const { intervalMs, maxBackoffMs } = this.#options;
		return this.#failures === 0
			? intervalMs
			: Math.min(intervalMs * 2 ** (this.#failures - 1), Math.max(maxBackoffMs, intervalMs));
	}

	/**
	 * Stops scheduling rounds, waits for the round that is claiming, lets the sends in flight
	 * finish (each within the sender's deadline) and records their outcomes.
	 */
	async stop(): Promise<void> {
		this.#running = false;
		this.#stopping = true;
		if (this.#timer) {
			clearTimeout(this.#timer);
			this.#timer = null;
		}
		await this.#round;
		await Promise.all(this.#inFlight);
		try {
			await this.#recorder.flush();
		} catch (error) {
			// Their leases bring them back; a delivery may then be sent twice.
			this.#options.log.warn(
				'Push dispatcher: could not record the last deliveries before stopping:',
				error instanceof StoreUnavailableError ? error.message : error
			);
		}
	}

	/**
	 * Claims and sends everything due now, and waits for those sends and their records: a round on
	 * its own, as the tests and scripts use it. The scheduled rounds do not wait for their sends.
	 */
	async runRound(): Promise<RoundSummary> {
		const round = await this.#startRound();
		await Promise.all(round.sends);
		let failure = round.failure;
		try {
			await this.#recorder.flush();
		} catch (error) {
			failure ??= { error };
		}
		failure ??= this.#takeBackgroundError();
		if (failure) {
			throw failure.error;
		}
		return round.summary;
	}

	/** A store error from a send or a background write, once; null when there was none. */
	#takeBackgroundError(): { error: unknown } | null {
		const recordFailure = this.#recorder.takeError();
		const failure = this.#sendError ?? recordFailure;
		this.#sendError = null;
		return failure;
	}

	/**
	 * Claims due reminders and starts their sends, keeping at most `concurrency` in flight (counting
	 * those of earlier rounds still running), and claims the next batch while half of the current
	 * one still waits, so neither the store nor the push service waits on the other; a batch that
	 * comes back short ends the claiming. The first store error stops claiming and is the round's
	 * failure. Resolves once every claimed reminder was started (or left for its lease), without
	 * waiting for the sends.
	 */
	async #startRound(): Promise<{
		summary: RoundSummary;
		sends: Promise<void>[];
		failure: { error: unknown } | null;
	}> {
		const summary: RoundSummary = {
			sent: 0,
			retried: 0,
			failed: 0,
			expired: 0,
			gone: 0,
			leaseLapsed: 0
		};
		const sends: Promise<void>[] = [];
		const { store, batchSize, leaseMs, concurrency, now, sendDeadlineMs } = this.#options;
		try {
			await this.#recorder.flush();
		} catch (error) {
			return { summary, sends, failure: { error } };
		}
		// Everything is written: a background write that failed before is no longer a failure.
		this.#recorder.takeError();
		// A reminder whose lease may run out before its send ends is left for the next claim:
		// another process (or this one) may already have taken it, and sending it too would be a
		// duplicate. This happens only when sending is slower than the lease allows for, or the
		// process was paused.
		const margin = Math.min(sendDeadlineMs, leaseMs / 2);
		const claim = () => {
			const at = now();
			const claimed = store
				.claimDue(at, batchSize, leaseMs)
				.then((batch) => batch.map((reminder) => ({ reminder, sendBy: at + leaseMs - margin })));
			// Awaited later (maybe while sends are in flight): mark it handled now, so a store that
			// fails meanwhile is not an unhandled rejection, which would end the process.
			claimed.catch(() => {});
			return claimed;
		};
		const queue: { reminder: ClaimedReminder; sendBy: number }[] = [];
		let failure: { error: unknown } | null = null;
		let claiming: ReturnType<typeof claim> | null = claim();
		let lastBatchFull = true;

		while (!failure && !this.#stopping) {
			failure = this.#takeBackgroundError();
			if (failure) {
				break;
			}
			if (queue.length === 0) {
				if (!claiming) {
					break;
				}
				try {
					const batch = await claiming;
					queue.push(...batch);
					lastBatchFull = batch.length === batchSize;
				} catch (error) {
					failure = { error };
					break;
				} finally {
					claiming = null;
				}
				if (queue.length === 0) {
					break;
				}
			}
			if (!claiming && lastBatchFull && queue.length <= batchSize / 2) {
				claiming = claim();
			}
			// A counting semaphore: O(1) per send, where Promise.race over the sends in flight would
			// add a handler to every one of them per send.
			while (this.#inFlight.size >= concurrency) {
				await new Promise<void>((resolve) => (this.#slotFreed = resolve));
			}
			const { reminder, sendBy } = queue.shift() as (typeof queue)[number];
			if (now() > sendBy) {
				summary.leaseLapsed += 1;
				continue;
			}
			const sending: Promise<void> = this.#deliver(reminder, sendBy, summary)
				.catch((error: unknown) => {
					this.#sendError ??= { error };
				})
				.finally(() => {
					this.#inFlight.delete(sending);
					const wake = this.#slotFreed;
					this.#slotFreed = null;
					wake?.();
				});
			this.#inFlight.add(sending);
			sends.push(sending);
		}
		// A batch claimed ahead and not sent (failure or stop) comes back when its lease ends.
		await claiming?.catch(() => {});
		return { summary, sends, failure };
	}

	async #deliver(reminder: ClaimedReminder, sendBy: number, summary: RoundSummary): Promise<void> {
		const { store, send, now, ttlSeconds } = this.#options;
		if (isExpired(reminder, now(), ttlSeconds)) {
			await store.markFailed(reminder, 0, 'expired');
			summary.expired += 1;
			return;
		}
		let result: SendResult;
		try {
			await this.#options.checkEndpoint(reminder.subscription.endpoint);
			// Checked again right before sending: the endpoint check may have waited for DNS, or the
			// process may have been paused, and a lease that lapsed may be another sender's now.
			if (now() > sendBy) {
				summary.leaseLapsed += 1;
				return;
			}
			const response = await send({
				endpoint: reminder.subscription.endpoint,
				keys: { p256dh: reminder.subscription.p256dh, auth: reminder.subscription.auth },
				payload: JSON.stringify(reminderPushPayload(reminder.reminderId, this.#options.appOrigin)),
				ttlSeconds,
				topic: reminderTopic(reminder.reminderId),
				urgency: 'high'
			});
			result = { kind: 'answered', ...response };
		} catch (error) {
			result = { kind: isRefusal(error) ? 'refused' : 'unreachable', reason: errorText(error) };
		}
		// Carried out apart from the send above: a store error after a delivered push must not count
		// as a failed send (and a retry would push it twice). The lease makes the round fail safe.
		const at = now();
		const outcome = decideOutcome(
			result,
			reminder.attempts + 1,
			at,
			this.#options.random(),
			this.#options
		);
		await this.#carryOut(outcome, reminder, at, summary);
	}

	/** Records what the outcome policy decided, and counts it. */
	async #carryOut(
		outcome: Outcome,
		reminder: ClaimedReminder,
		at: number,
		summary: RoundSummary
	): Promise<void> {
		const { store, log } = this.#options;
		switch (outcome.kind) {
			case 'sent':
				summary.sent += 1;
				await this.#recorder.add({
					subscriptionId: reminder.subscriptionId,
					reminderId: reminder.reminderId,
					leaseUntil: reminder.leaseUntil,
					sentAt: at
				});
				return;
			case 'drop-subscription':
				// The browser unsubscribed or the subscription expired: it will never work again.
				await store.deleteSubscription(reminder.subscriptionId);
				summary.gone += 1;
				return;
			case 'retry':
				await store.markRetry(reminder, outcome.at, outcome.attempts, outcome.error);
				summary.retried += 1;
				return;
			case 'fail':
				await store.markFailed(reminder, outcome.attempts, outcome.error);
				summary.failed += 1;
				log.warn(outcome.warning);
				return;
		}
	}
}

function isRefusal(error: unknown): boolean {
	return (
		error instanceof EndpointRefusedError ||
		(error instanceof Error && error.name === 'EndpointRefusedError')
	);
}

function errorText(error: unknown): string {
	if (error instanceof Error) {
		const code = (error as NodeJS.ErrnoException).code;
		return code ? `${code}: ${error.message}` : error.message;
	}
	return String(error);
}
