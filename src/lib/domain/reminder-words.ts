// The words of the reminders the phone keeps for its service worker, in the app's language. Apart
// from reminders.ts so that the worker's bundle, which reads the words but never writes them, does
// not take in the app's language state (src/lib/i18n/language.svelte.ts: runes, localStorage).
import { language } from '$lib/i18n/language.svelte';
import { m } from '$lib/paraglide/messages';
import { longDate, sessionName, wallTime } from '../format';
import type { Protocol } from './protocol';
import type { ReminderRecord } from './reminders';
import type { PlannedTask, Treatment } from './schedule';
import { addDays, localParts } from './zoned-time';

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
