import { fixedDispatchSettings } from '../config';
import type { Delivery, PushStore } from '../store/types';

/** How a {@link DeliveryRecorder} writes; every field but the store has a default. */
export interface DeliveryRecorderOptions {
	/** Where deliveries are recorded. */
	store: Pick<PushStore, 'markSent'>;
	/**
	 * How long a delivery may wait to be recorded together with the ones that follow it, in
	 * milliseconds. Longer means fewer, larger transactions but more re-sends if the process is
	 * killed. Default `recordDelayMs` of {@link fixedDispatchSettings}.
	 */
	delayMs?: number;
	/** The most deliveries written in one transaction. Default `recordBatchSize`. */
	batchSize?: number;
	/**
	 * Deliveries kept while the store is down: a failed write puts back only as many as keep the
	 * list within it; the leases of the others bring them back (to be sent again). Default
	 * `maxUnrecorded`.
	 */
	maxUnrecorded?: number;
}

/**
 * Records deliveries by group commit: one write at a time, each taking every delivery that arrived
 * before it; a write starts `delayMs` after the first delivery it takes (after the write in flight
 * ends, if one was), or at once when `batchSize` have piled up. So a busy dispatcher writes many
 * per transaction, and a process killed loses the records of only its last few milliseconds (and
 * so re-sends few). Deliveries a write failed to record stay listed, to be written with the next
 * (the store may be back before their lease ends, and then nobody sends them again).
 */
export class DeliveryRecorder {
	readonly #store: Pick<PushStore, 'markSent'>;
	readonly #delayMs: number;
	readonly #batchSize: number;
	readonly #maxUnrecorded: number;
	#unrecorded: Delivery[] = [];
	#writing: Promise<void> | null = null;
	#timer: ReturnType<typeof setTimeout> | null = null;
	/** A background write that failed, for the dispatcher to stop its round on. */
	#error: { error: unknown } | null = null;

	/** @param options the store and tuning */
	constructor(options: DeliveryRecorderOptions) {
		this.#store = options.store;
		this.#delayMs = options.delayMs ?? fixedDispatchSettings.recordDelayMs;
		this.#batchSize = options.batchSize ?? fixedDispatchSettings.recordBatchSize;
		this.#maxUnrecorded = options.maxUnrecorded ?? fixedDispatchSettings.maxUnrecorded;
	}

	/** How many deliveries wait to be recorded. */
	get pending(): number {
		return this.#unrecorded.length;
	}

	/**
	 * Adds a delivery. Resolves at once, the write following within `delayMs`; or, once `batchSize`
	 * wait, after writing them, so that a store slower than the push service slows the sending down.
	 * @param delivery the reminder sent and when
	 * @throws when that write fails (the deliveries stay listed)
	 */
	async add(delivery: Delivery): Promise<void> {
		this.#unrecorded.push(delivery);
		if (this.#unrecorded.length >= this.#batchSize) {
			await this.flush();
		} else {
			this.#schedule();
		}
	}

	/**
	 * Writes every delivery not recorded yet, now, a batch at a time (after the write in flight).
	 * @throws when a write fails; the deliveries not written stay listed
	 */
	async flush(): Promise<void> {
		if (this.#timer) {
			clearTimeout(this.#timer);
			this.#timer = null;
		}
		while (this.#unrecorded.length > 0) {
			if (this.#writing) {
				await this.#writing;
				continue;
			}
			await this.#writeBatch();
		}
	}

	/** The error of a background write that failed since the last call, once; else null. */
	takeError(): { error: unknown } | null {
		const failure = this.#error;
		this.#error = null;
		return failure;
	}

	/** Writes `delayMs` from now, unless a write is due or on its way (that one schedules the next). */
	#schedule(): void {
		if (this.#timer || this.#writing) {
			return;
		}
		this.#timer = setTimeout(() => {
			this.#timer = null;
			if (this.#writing || this.#unrecorded.length === 0) {
				// Whoever is writing takes these too (or already took them).
				return;
			}
			this.#writeBatch().then(
				() => {
					if (this.#unrecorded.length > 0) {
						this.#schedule();
					}
				},
				(error: unknown) => {
					this.#error ??= { error };
				}
			);
		}, this.#delayMs);
	}

	/** Writes up to `batchSize` deliveries in one transaction; only one write at a time. */
	#writeBatch(): Promise<void> {
		const batch = this.#unrecorded.splice(0, this.#batchSize);
		const writing = this.#store
			.markSent(batch)
			.catch((error: unknown) => {
				const room = Math.max(0, this.#maxUnrecorded - this.#unrecorded.length);
				this.#unrecorded.unshift(...batch.slice(0, room));
				throw error;
			})
			.finally(() => {
				this.#writing = null;
			});
		this.#writing = writing;
		return writing;
	}
}
