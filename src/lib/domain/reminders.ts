import { language } from '$lib/i18n/language.svelte';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { longDate, sessionName, wallTime } from '../format';
import type { Protocol } from './protocol';
import { maxReminderAheadMs, maxReminders, type WireReminder } from './push-contract';
import type { PlannedTask, Treatment } from './schedule';
import { addDays, localParts } from './zoned-time';

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

/**
 * The mirror records for the pending reminders, with the protocol's words; an appointment's
 * reminder first says when the appointment is.
 * @param protocol the clinic's protocol, for titles and texts
 * @param pending the reminders still to send (`pendingReminders`)
 * @param ids opaque id for each occurrence id
 * @param treatments the sessions, for the time of an appointment
 */
export function reminderRecords(
	protocol: Protocol,
	pending: readonly PlannedTask[],
	ids: ReadonlyMap<string, string>,
	treatments: readonly Treatment[]
): ReminderRecord[] {
	const known = new Set(protocol.tasks.map((task) => task.id));
	const records = pending.flatMap((occurrence): ReminderRecord[] => {
		const id = ids.get(occurrence.id);
		if (!known.has(occurrence.taskId) || !id) {
			return [];
		}
		return [
			{
				id,
				occurrenceId: occurrence.id,
				taskId: occurrence.taskId,
				treatmentId: occurrence.treatmentId,
				at: occurrence.at,
				title: '',
				body: ''
			}
		];
	});
	return reworded(protocol, records, treatments);
}

/**
 * The records with their words written anew in the app's language: the protocol's title and text,
 * and for an appointment when it is. Everything else (ids, times, a snooze) stays. A record whose
 * task the protocol no longer has keeps the words it had. A language switch rewrites the mirror
 * with this, so reminders already set speak the new language, with no word ever sent anywhere.
 * @param protocol the clinic's protocol, for titles and texts
 * @param records mirror records
 * @param treatments the sessions, for the time of an appointment
 */
export function reworded(
	protocol: Protocol,
	records: readonly ReminderRecord[],
	treatments: readonly Treatment[]
): ReminderRecord[] {
	const tasks = new Map(protocol.tasks.map((task) => [task.id, task]));
	const sessions = new Map(treatments.map((treatment) => [treatment.id, treatment]));
	const locale = language.current;
	return records.map((record): ReminderRecord => {
		const task = tasks.get(record.taskId);
		if (!task) {
			return record;
		}
		const words = { ...record, title: task.title, body: task.text, locale };
		const treatment = sessions.get(record.treatmentId);
		if (task.kind === 'appointment') {
			// The title stays the task's (as in a calendar); the words start with when it is.
			const body = treatment
				? m.reminders_appointment_body({
						when: appointmentReminderWords(treatment, record.at),
						text: task.text
					})
				: task.text;
			return { ...words, body, tickable: false };
		}
		return words;
	});
}

/**
 * "Your treatment is at 10:30 today", "Your 2nd session is at 09:00 tomorrow": how an
 * appointment's reminder starts, on the clinic's clock.
 * @param treatment the session
 * @param remindAt when the reminder comes, epoch milliseconds
 */
export function appointmentReminderWords(treatment: Treatment, remindAt: number): string {
	const remindDate = localParts(remindAt, treatment.timeZone).date;
	const what = sessionName(treatment.seriesNumber);
	const time = wallTime(treatment.time);
	return remindDate === treatment.date
		? m.reminders_appointment_today({ what, time })
		: addDays(remindDate, 1) === treatment.date
			? m.reminders_appointment_tomorrow({ what, time })
			: m.reminders_appointment_on_date({ what, time, date: longDate(treatment.date) });
}

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
