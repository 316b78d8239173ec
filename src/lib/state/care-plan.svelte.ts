import { SvelteSet } from 'svelte/reactivity';
import type { Protocol } from '$lib/domain/protocol';
import { localizeProtocol } from '$lib/domain/protocol-translation';
import {
	broughtBack,
	buildPlan,
	pendingReminders,
	reachedIds,
	type PlannedTask,
	type Preferences,
	type Treatment
} from '$lib/domain/schedule';
import {
	optedInTasks,
	questionsNotDiscussed,
	questionsToRaise,
	screeningAdviceDisplay,
	withDiscussed,
	type ScreeningAnswers
} from '$lib/domain/screening';
import { agendaFor, invitesCheckIn, screeningMoment, standing } from '$lib/domain/today';
import { addDays, localParts } from '$lib/domain/zoned-time';
import type { CareStore } from '$lib/device/care-store';
import { language } from '$lib/i18n/language.svelte';

/**
 * The patient's care plan as reactive state: what is stored on the phone, the plan derived from
 * it and the protocol, and the clock. Every change is written through to the device store before
 * the promise resolves.
 *
 * It knows nothing of which plan is open: `session.svelte.ts` opens one and hands it out
 * (`useCarePlan`), so the dependency runs one way, from the session to the plan.
 *
 * The records are plain data (`$state.raw`, replaced whole, never changed in place): what comes in
 * is snapshotted once, at this boundary, so what is stored and what is handed out is never a
 * Svelte proxy, which structuredClone, postMessage and IndexedDB refuse (DataCloneError).
 */
export class CarePlan {
	loaded = $state(false);
	treatments = $state.raw<Treatment[]>([]);
	preferences = $state.raw<Preferences | null>(null);
	/** Every answer: screening questions, optional tasks, talked to the provider. */
	screening = $state.raw<ScreeningAnswers>({});
	readonly done = new SvelteSet<string>();
	/** Occurrences whose time came under an earlier plan: never scheduled again. */
	readonly reached = new SvelteSet<string>();
	/** The current instant; the UI ticks it every minute. */
	now = $state(Date.now());

	// Closures, because the derivations read `protocol`, which the constructor sets after fields.
	/**
	 * The protocol in the patient's language (`language.tag`, falling back to the protocol's own
	 * for what is not translated): what every screen reads. Re-worded at once when the patient
	 * switches language; the plan and its state stay. `fullProtocol` is the one with every
	 * translation, the one stored and handed on.
	 */
	readonly protocol: Protocol = $derived.by(() =>
		localizeProtocol(this.fullProtocol, language.tag)
	);
	/** The optional tasks the patient said their provider asked for. */
	readonly optedIn: ReadonlySet<string> = $derived.by(() =>
		optedInTasks(this.protocol, this.screening)
	);
	readonly plan: PlannedTask[] = $derived.by(() =>
		this.preferences
			? buildPlan(this.protocol, this.treatments, this.preferences, this.optedIn)
			: []
	);
	readonly today: string = $derived(
		localParts(this.now, this.preferences?.timeZone ?? localTimeZone()).date
	);
	readonly standing = $derived.by(() =>
		standing(this.protocol, this.plan, this.treatments, this.today)
	);
	readonly agenda = $derived(
		agendaFor(
			this.plan,
			this.now,
			this.preferences?.timeZone ?? localTimeZone(),
			this.done,
			this.reached
		)
	);
	readonly questionsToRaise = $derived.by(() => questionsToRaise(this.protocol, this.screening));
	/** Whether the patient said they talked to their provider about every answer to raise. */
	readonly screeningDiscussed = $derived.by(
		() =>
			this.questionsToRaise.length > 0 &&
			questionsNotDiscussed(this.protocol, this.screening).length === 0
	);
	/** How Today shows the "talk to your provider" advice. */
	readonly screeningAdvice = $derived.by(() =>
		screeningAdviceDisplay(this.protocol, this.screening, screeningMoment(this.standing, this.now))
	);
	/** Whether Today invites a skin check-in. */
	readonly invitesCheckIn = $derived(invitesCheckIn(this.standing, this.now));
	readonly onboarded = $derived(this.treatments.length > 0 && this.preferences !== null);
	/** Sessions in date order. */
	readonly sessions = $derived(
		[...this.treatments].sort((a, b) => `${a.date} ${a.time}`.localeCompare(`${b.date} ${b.time}`))
	);

	/**
	 * @param fullProtocol the clinic's protocol, from the server, with all its translations
	 * @param store the device store to read from and write through to
	 */
	constructor(
		readonly fullProtocol: Protocol,
		private readonly store: CareStore
	) {}

	/** Reads what the phone has stored. */
	async load(): Promise<void> {
		const record = await this.store.load();
		this.treatments = record.treatments;
		this.preferences = record.preferences;
		this.screening = record.screening;
		this.done.clear();
		for (const id of record.done) {
			this.done.add(id);
		}
		this.reached.clear();
		for (const id of record.reached) {
			this.reached.add(id);
		}
		this.loaded = true;
	}

	/**
	 * Saves onboarding in one go; the plan appears once it is stored. What was due before it is
	 * recorded as reached: never reminded, never "missed".
	 */
	async completeOnboarding(
		treatment: Treatment,
		preferences: Preferences,
		screening: ScreeningAnswers
	): Promise<void> {
		const plain = {
			treatment: $state.snapshot(treatment),
			preferences: $state.snapshot(preferences),
			screening: $state.snapshot(screening)
		};
		const plan = buildPlan(
			this.protocol,
			[plain.treatment],
			plain.preferences,
			optedInTasks(this.protocol, plain.screening)
		);
		const reached = reachedIds(plan, Date.now());
		await this.store.saveOnboarding(plain.treatment, plain.preferences, plain.screening, reached);
		await this.store.pinProtocol($state.snapshot(this.fullProtocol));
		this.reached.clear();
		for (const id of reached) {
			this.reached.add(id);
		}
		this.treatments = [plain.treatment];
		this.preferences = plain.preferences;
		this.screening = plain.screening;
	}

	/**
	 * Reminders still to send, for the reminder service.
	 * @param now the instant they are still to come after; by default the clock the UI ticks (up to
	 *   30 s behind), which keeps a caller reactive
	 */
	pendingReminders(now: number = this.now): PlannedTask[] {
		return pendingReminders(this.plan, now, this.done, this.reached);
	}

	/**
	 * Before an edit replaces the plan: remembers the occurrences whose time has come that the
	 * edit would bring back.
	 * @param next what the edit changes
	 */
	private async recordReached(next: {
		treatments?: Treatment[];
		preferences?: Preferences;
		screening?: ScreeningAnswers;
	}): Promise<void> {
		const preferences = next.preferences ?? this.preferences;
		if (!preferences) {
			return;
		}
		const nextPlan = buildPlan(
			this.protocol,
			next.treatments ?? this.treatments,
			preferences,
			optedInTasks(this.protocol, next.screening ?? this.screening)
		);
		const ids = broughtBack(this.plan, nextPlan, Date.now()).filter((id) => !this.reached.has(id));
		if (ids.length === 0) {
			return;
		}
		await this.store.putReached([...this.reached, ...ids]);
		for (const id of ids) {
			this.reached.add(id);
		}
	}

	/** Adds or replaces a treatment; the plan follows. */
	async saveTreatment(treatment: Treatment): Promise<void> {
		const plain = $state.snapshot(treatment);
		const treatments = [...this.treatments.filter((one) => one.id !== plain.id), plain];
		await this.recordReached({ treatments });
		await this.store.putTreatment(plain);
		this.treatments = treatments;
	}

	/** Removes a treatment and its part of the plan. */
	async deleteTreatment(id: string): Promise<void> {
		const treatments = this.treatments.filter((one) => one.id !== id);
		await this.recordReached({ treatments });
		await this.store.deleteTreatment(id);
		this.treatments = treatments;
	}

	/** A draft for the next session of the series, one protocol interval after the latest. */
	nextSessionDraft(): Treatment | null {
		const latest = this.sessions.at(-1);
		if (!latest) {
			return null;
		}
		// A copy: the draft is edited, the stored session must not be.
		return {
			...structuredClone(latest),
			id: newId(),
			date: addDays(latest.date, this.protocol.series.intervalDays),
			seriesNumber: latest.seriesNumber + 1
		};
	}

	/** Replaces the reminder preferences; the plan follows. */
	async savePreferences(preferences: Preferences): Promise<void> {
		const plain = $state.snapshot(preferences);
		await this.recordReached({ preferences: plain });
		await this.store.putPreferences(plain);
		this.preferences = plain;
	}

	/** Replaces the answers; the plan follows (an optional task may come or go). */
	async saveScreening(screening: ScreeningAnswers): Promise<void> {
		const plain = $state.snapshot(screening);
		await this.recordReached({ screening: plain });
		await this.store.putScreening(plain);
		this.screening = plain;
	}

	/**
	 * Records that the patient has talked to their provider about the questions to raise, or
	 * takes it back.
	 */
	async setDiscussed(discussed: boolean): Promise<void> {
		await this.saveScreening(withDiscussed(this.protocol, this.screening, discussed));
	}

	/** The session an occurrence belongs to. */
	treatmentOf(treatmentId: string): Treatment | undefined {
		return this.treatments.find((treatment) => treatment.id === treatmentId);
	}

	/** Ticks a task occurrence off or back on. */
	async setDone(id: string, done: boolean): Promise<void> {
		await this.store.setDone(id, done, Date.now());
		if (done) {
			this.done.add(id);
		} else {
			this.done.delete(id);
		}
	}

	/** Forgets everything stored on this phone. */
	async clearAll(): Promise<void> {
		await this.store.clear();
		this.treatments = [];
		this.preferences = null;
		this.screening = {};
		this.done.clear();
		this.reached.clear();
	}
}

/** The zone the phone says it is in. */
export function localTimeZone(): string {
	return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** A random id for a new treatment. */
export function newId(): string {
	return crypto.randomUUID();
}
