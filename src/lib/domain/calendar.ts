import { createEvents, type EventAttributes } from 'ics';
import type { Protocol } from './protocol';
import type { PlannedTask } from './schedule';

/** How long each calendar entry lasts: a reminder, not a block of time. */
const EVENT_MINUTES = 15;

/**
 * The reminders as an iCalendar file (RFC 5545), for patients without push: one event per task
 * occurrence, in UTC, each with an alarm at its start. Load this module lazily: `ics` is big.
 * @param protocol the clinic's protocol, for titles and texts
 * @param reminders the occurrences to export (`CarePlan.pendingReminders()`)
 * @param now when the file is made (its DTSTAMP), epoch milliseconds
 * @returns the file's text
 */
export function calendarFile(
	protocol: Protocol,
	reminders: readonly PlannedTask[],
	now: number
): string {
	const tasks = new Map(protocol.tasks.map((task) => [task.id, task]));
	const events = reminders.flatMap((occurrence): EventAttributes[] => {
		const task = tasks.get(occurrence.taskId);
		if (!task) {
			return [];
		}
		const text = [task.text, ...task.items.map((item) => `• ${item}`)].join('\n');
		const event = {
			// Stable: the occurrence id never changes, so importing again updates, not duplicates.
			uid: `${occurrence.id}@aftercare`,
			start: occurrence.at,
			startInputType: 'utc',
			startOutputType: 'utc',
			duration: { minutes: EVENT_MINUTES },
			title: task.title,
			description: text,
			productId: 'aftercare-companion',
			calName: protocol.title,
			// Absolute trigger at the start: "-PT0M" would do, but ics writes a zero duration as
			// "PT", which RFC 5545 does not allow.
			alarms: [{ action: 'display', description: task.title, trigger: occurrence.at }],
			// DTSTAMP; ics takes it but its types do not list it.
			timestamp: now
		} satisfies EventAttributes & { timestamp: number };
		return [event];
	});
	if (events.length === 0) {
		return emptyCalendar(protocol.title);
	}
	const { error, value } = createEvents(events);
	if (error || !value) {
		throw error ?? new Error('The calendar file could not be made');
	}
	return value;
}

/** ics refuses an empty list; a calendar without events is still a valid file. */
function emptyCalendar(name: string): string {
	return [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		'PRODID:aftercare-companion',
		`X-WR-CALNAME:${name.replace(/[\\;,]/g, (char) => `\\${char}`)}`,
		'END:VCALENDAR',
		''
	].join('\r\n');
}
