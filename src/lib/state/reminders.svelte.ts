import { untrack } from 'svelte';
import type { ReminderStore } from '$lib/device/reminder-store';
import { language } from '$lib/i18n/language.svelte';
import { m } from '$lib/paraglide/messages';
import { SNOOZE_MS } from '$lib/domain/reminders';
import { ReminderServerError } from '$lib/pwa/push-api';
import type { PushReminders, ReminderSource, ReminderStatus } from '$lib/pwa/push-subscription';
import type { UploadCoverage } from '$lib/pwa/reminder-upload';
import type { CarePlan } from './care-plan.svelte';

/** What went wrong last, as a kind: its words are the app's language's at every read. */
export type ReminderProblem = 'offline' | 'permission-denied' | 'server' | 'update-failed';

/** The words of a problem, in the app's language. */
export function problemWords(problem: ReminderProblem): string {
	switch (problem) {
		case 'offline':
			// Said whenever a change to reminders waits for a connection.
			return m.reminders_offline();
		case 'permission-denied':
			return m.reminders_permission_denied();
		case 'server':
			return m.reminders_server_unreachable();
		case 'update-failed':
			return m.reminders_update_failed();
	}
}

/** How long plan changes settle before the server hears of them. */
const DEBOUNCE_MS = 1_000;

/**
 * Push reminders as reactive state: where they stand, and the patient's two actions. One for the
 * app, as there is one subscription per browser. Once `follow` runs, it follows whichever care
 * plan is open, by itself: every change to the pending reminders (treatment edits, reminder times,
 * ticks, the clock passing one) reaches the server once, a second later, and a plan that replaced
 * another (a restored backup, all data deleted) at once.
 */
export class Reminders {
	state = $state<ReminderStatus>('off');
	busy = $state(false);
	/** What went wrong last; null when all is well. */
	problemKind = $state<ReminderProblem | null>(null);
	/** What went wrong last, in words for the patient (re-worded with the language); or null. */
	get problem(): string | null {
		return this.problemKind === null ? null : problemWords(this.problemKind);
	}
	/** What the server was last told; null before the first upload or while reminders are off. */
	coverage = $state.raw<UploadCoverage | null>(null);
	#timer: ReturnType<typeof setTimeout> | undefined;
	/** The plan the last change came from. */
	#lastPlan: CarePlan | null = null;
	#running: Promise<unknown> = Promise.resolve();

	/**
	 * @param openPlan the plan open now, or null before one is (read at every use: a restore
	 *   replaces it)
	 * @param engine the subscription logic over the browser and the server
	 * @param store the reminder mirror the service worker reads too
	 * @param debounceMs how long plan changes settle before the server hears of them
	 */
	constructor(
		private readonly openPlan: () => CarePlan | null,
		private readonly engine: PushReminders,
		private readonly store: ReminderStore,
		private readonly debounceMs = DEBOUNCE_MS
	) {}

	/**
	 * Follows the open plan: each change of its pending reminders (their ids and instants) becomes
	 * one sync. Its own effect root, so it lasts as long as the app, whatever components come and
	 * go (clearing the plan still reaches the reminders).
	 * @returns what stops following
	 */
	follow(): () => void {
		return $effect.root(() => {
			const plan = $derived(this.openPlan());
			// A string, so that an unchanged list (the clock ticked, nothing came due) is no change.
			const key = $derived(
				JSON.stringify(plan?.pendingReminders().map((task) => [task.id, task.at]) ?? null)
			);
			$effect(() => {
				const current = plan;
				void key;
				if (current) {
					untrack(() => this.planChanged(current));
				}
			});
			// A language switch re-words the reminders set on this phone (the service worker's
			// copy), and only that: their ids and instants did not change, so nothing is sent and
			// the subscription is left as it is.
			let spoken = untrack(() => language.current);
			$effect(() => {
				const now = language.current;
				if (now !== spoken) {
					spoken = now;
					untrack(() => this.languageChanged());
				}
			});
		});
	}

	/** Re-words the mirror, in turn with the syncs, leaving the state and any problem alone. */
	private languageChanged(): void {
		if (!this.openPlan()) {
			return;
		}
		const next = this.#running.then(() => this.engine.reword(this.source()));
		this.#running = next.catch((error: unknown) => console.error(error));
	}

	/**
	 * Puts a reminder off by an hour, as the notification's "Snooze" does, and tells the server.
	 * @param id the opaque id
	 * @returns when it comes again, or undefined when the mirror no longer has it
	 */
	async snooze(id: string): Promise<number | undefined> {
		const until = Date.now() + SNOOZE_MS;
		const record = await this.store.snooze(id, until);
		if (record) {
			await this.refresh();
		}
		return record && until;
	}

	/** Starts following connection changes; call once, in the browser. */
	listen(): () => void {
		const online = () => void this.run(() => this.engine.sync(this.source(), true));
		window.addEventListener('online', online);
		return () => window.removeEventListener('online', online);
	}

	/**
	 * The plan's pending reminders changed. The first change of a plan (the app opening, a restored
	 * backup) checks the subscription at once; later changes are sent after a short pause, so a
	 * burst of them is one sync.
	 * @param plan the plan they changed in
	 */
	private planChanged(plan: CarePlan): void {
		const first = plan !== this.#lastPlan;
		this.#lastPlan = plan;
		clearTimeout(this.#timer);
		if (first) {
			void this.run(() => this.engine.sync(this.source(), true));
		} else {
			this.#timer = setTimeout(
				() => void this.run(() => this.engine.sync(this.source())),
				this.debounceMs
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
		const carePlan = this.openPlan();
		if (!carePlan) {
			throw new Error('Reminders synced before a care plan was opened');
		}
		return {
			protocol: carePlan.protocol,
			pending: carePlan.pendingReminders(now),
			treatments: $state.snapshot(carePlan.treatments),
			// A plain snapshot, not reactive state: it leaves for IndexedDB and the network.
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			done: new Set(carePlan.done),
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
				this.problemKind =
					outcome === 'offline'
						? 'offline'
						: outcome === 'permission-denied' && asked
							? 'permission-denied'
							: null;
			} catch (error) {
				console.error(error);
				// Only failures left to retry get here: a browser without a push service is an
				// outcome (`no-push-service`), and no sync tries that again by itself.
				this.problemKind = error instanceof ReminderServerError ? 'server' : 'update-failed';
			} finally {
				this.state = await this.engine.state();
				this.coverage = this.engine.coverage;
				this.busy = false;
			}
		});
		this.#running = next.catch(() => undefined);
		return next;
	}
}
