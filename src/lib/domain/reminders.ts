// The reminders' words are made in reminder-words.ts: the service worker's bundle reaches this
// module (SNOOZE_MS, wireReminders), and must not reach the app's language state (runes).
import type { Locale } from '$lib/paraglide/runtime';
import { maxReminderAheadMs, maxReminders, type WireReminder } from './push-contract';

/**
 * One reminder as the phone keeps it for its service worker: the opaque id the server knows, and
 * the patient-facing words that never leave the phone.
 */
export interface ReminderRecord {
	/** Opaque id (see `opaqueReminderId`); the only thing the server learns. */
	id: string;
	/** `PlannedTask.id` */
	occurrenceId: string;
	taskId: string;
	treatmentId: string;
	/** When it is due, epoch milliseconds. */
	at: number;
	title: string;
	body: string;
	/**
	 * False for what is never ticked off (an appointment): its notification has no "Done".
	 * Absent (records written before it existed) means it can be.
	 */
	tickable?: false;
	/** Set when the patient chose "Snooze" on the notification: remind again at this instant. */
	snoozedUntil?: number;
	/**
	 * The language `title` and `body` are in, which the service worker (no localStorage there)
	 * speaks the notification's buttons in. Absent in records written before it existed: the
	 * worker then follows the phone's languages.
	 */
	locale?: Locale;
}

/** How long a reminder whose time has come stays in the mirror, for a late push. */
export const KEEP_PAST_MS = 2 * 24 * 60 * 60 * 1000;

/** How long "Snooze" puts a reminder off. */
export const SNOOZE_MS = 60 * 60 * 1000;

/** When a reminder is due now: its snooze when snoozed, else its own time. */
export function dueAt(record: ReminderRecord): number {
	return record.snoozedUntil ?? record.at;
}

/**
 * The next mirror: the fresh records, plus snoozes still ahead and recently passed reminders
 * (so a push arriving late still finds its words). Everything else goes.
 * @param previous what the mirror holds now
 * @param fresh the records for the current pending reminders
 * @param done ids of occurrences the patient has ticked off
 * @param now the current instant
 */
export function nextMirror(
	previous: readonly ReminderRecord[],
	fresh: readonly ReminderRecord[],
	done: ReadonlySet<string>,
	now: number
): ReminderRecord[] {
	const byId = new Map(fresh.map((record) => [record.id, record]));
	for (const old of previous) {
		if (byId.has(old.id) || done.has(old.occurrenceId)) {
			continue;
		}
		const due = dueAt(old);
		const snoozedAhead = old.snoozedUntil !== undefined && old.snoozedUntil > now;
		const recentlyPast = due <= now && due > now - KEEP_PAST_MS;
		if (snoozedAhead || recentlyPast) {
			byId.set(old.id, old);
		}
	}
	return [...byId.values()].sort((a, b) => dueAt(a) - dueAt(b));
}

/** What the push server is told, and what is left for later. */
export interface WireReminders {
	/** The next reminders still ahead, soonest first, as many as the contract allows. */
	reminders: WireReminder[];
	/** How many more are ahead: sent as the ones sent pass (each sync sends the next ones). */
	heldBack: number;
}

/**
 * What the push server is told: the reminders still ahead, by opaque id and instant only, the
 * soonest `maxReminders` of those within the year the server takes. A long series can have more;
 * they follow as the sent ones pass.
 * @param mirror the mirror records
 * @param now the current instant
 */
export function wireReminders(mirror: readonly ReminderRecord[], now: number): WireReminders {
	const ahead = mirror
		.map((record) => ({ id: record.id, dueAt: dueAt(record) }))
		.filter((reminder) => reminder.dueAt > now)
		.sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	// The phone's clock may run ahead of the server's; a day's margin keeps the last one inside.
	const latest = now + maxReminderAheadMs - 24 * 60 * 60 * 1000;
	const reminders = ahead.filter((reminder) => reminder.dueAt <= latest).slice(0, maxReminders);
	return { reminders, heldBack: ahead.length - reminders.length };
}
