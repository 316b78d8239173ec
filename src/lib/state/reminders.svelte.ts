import { getDb } from '$lib/device/db';
import { ReminderStore } from '$lib/device/reminder-store';
import {
	browserPlatform,
	PushReminders,
	type ReminderSource,
	type ReminderState
} from '$lib/pwa/push-subscription';
import { useCarePlan, type CarePlan } from './care-plan.svelte';

/** Said whenever a change to reminders waits for a connection. */
export const OFFLINE_MESSAGE =
	'Reminders need a connection to be turned on or changed; they will be updated when you are back online.';

/** How long plan changes settle before the server hears of them. */
const DEBOUNCE_MS = 1_000;

/**
 * Push reminders as reactive state: where they stand, and the patient's two actions. Follows the
 * care plan: every change to the pending reminders reaches the server a second later.
 */
export class Reminders {
	state = $state<ReminderState>('off');
	busy = $state(false);
	/** What went wrong last, in words for the patient; null when all is well. */
	problem = $state<string | null>(null);
	#timer: ReturnType<typeof setTimeout> | undefined;
	#lastKey: string | null = null;
	#running: Promise<unknown> = Promise.resolve();

	/**
	 * @param carePlan the plan the reminders come from
	 * @param engine the subscription logic over the browser and the server
	 */
	constructor(
		private readonly carePlan: CarePlan,
		private readonly engine: PushReminders
	) {}

	/** Starts following connection changes; call once, in the browser. */
	listen(): () => void {
		const online = () => void this.run(() => this.engine.sync(this.source(), true));
		window.addEventListener('online', online);
		return () => window.removeEventListener('online', online);
	}

	/**
	 * Tells the reminders the plan's pending reminders may have changed. The first call (the app
	 * opening) checks the subscription at once; later changes are sent after a short pause.
	 * @param key what identifies the pending reminders (ids and instants)
	 */
	planChanged(key: string): void {
		const first = this.#lastKey === null;
		if (key === this.#lastKey) {
			return;
		}
		this.#lastKey = key;
		clearTimeout(this.#timer);
		if (first) {
			void this.run(() => this.engine.sync(this.source(), true));
		} else {
			this.#timer = setTimeout(
				() => void this.run(() => this.engine.sync(this.source())),
				DEBOUNCE_MS
			);
		}
	}

	/** Asks for permission and turns reminders on: only ever from the patient's tap. */
	turnOn(): Promise<void> {
		return this.run(() => this.engine.turnOn(this.source()), true);
	}

	/** Turns reminders off. */
	turnOff(): Promise<void> {
		return this.run(() => this.engine.turnOff(), true);
	}

	/** Reads the state again, e.g. after the patient changed permission in the browser. */
	refresh(): Promise<void> {
		return this.run(() => this.engine.sync(this.source()));
	}

	private source(): ReminderSource {
		// One instant for both: with the UI's clock (up to 30 s behind) a reminder that has just
		// come would still count as pending, and its fresh copy would wipe a snooze made on it.
		const now = Date.now();
		return {
			protocol: this.carePlan.protocol,
			pending: this.carePlan.pendingReminders(now),
			treatments: $state.snapshot(this.carePlan.treatments),
			// A plain snapshot, not reactive state: it leaves for IndexedDB and the network.
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			done: new Set(this.carePlan.done),
			now
		};
	}

	/** One change at a time, in order, so two syncs never race each other. */
	private run(work: () => Promise<string>, asked = false): Promise<void> {
		const next = this.#running.then(async () => {
			if (asked) {
				this.busy = true;
			}
			try {
				const outcome = await work();
				this.problem =
					outcome === 'offline'
						? OFFLINE_MESSAGE
						: outcome === 'permission-denied' && asked
							? 'Notifications were not allowed, so reminders stay off.'
							: null;
			} catch (error) {
				console.error(error);
				this.problem =
					'The reminder service could not be reached just now. Your reminders will be updated the next time you open the app.';
			} finally {
				this.state = await this.engine.state();
				this.busy = false;
			}
		});
		this.#running = next.catch(() => undefined);
		return next;
	}
}

const all = new WeakMap<CarePlan, Reminders>();

/**
 * The push reminders that follow a care plan, made on first use. The root layout loads this
 * module only once there is a plan, so a new visitor's first screen goes without its code.
 * @param carePlan the care plan provided by the root layout
 */
export function remindersFor(carePlan: CarePlan): Reminders {
	let reminders = all.get(carePlan);
	if (!reminders) {
		reminders = new Reminders(
			carePlan,
			new PushReminders(browserPlatform(), new ReminderStore(getDb))
		);
		all.set(carePlan, reminders);
	}
	return reminders;
}

/** The reminders of the care plan provided by the root layout. */
export function useReminders(): Reminders {
	return remindersFor(useCarePlan());
}
