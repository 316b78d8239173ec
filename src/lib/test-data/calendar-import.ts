import ICAL from 'ical.js';

/** One event as a calendar app holds it after an import. */
export interface CalendarEvent {
	uid: string;
	sequence: number;
	/** DTSTAMP, epoch milliseconds: breaks a tie between equal SEQUENCEs. */
	stamp: number;
	summary: string;
	/** DTSTART, epoch milliseconds. */
	start: number;
	/** Minutes from the start at which each alarm goes off. */
	alarms: number[];
}

/**
 * Imports an iCalendar file into `calendar` as a calendar app does with a published event
 * (RFC 5546 §2.1.5): an event replaces the one with its UID only when it is newer (a higher
 * SEQUENCE, or the same with a later DTSTAMP); a newer STATUS:CANCELLED removes it; a cancelled
 * event the calendar does not have is ignored. The file is read with ical.js, a parser
 * independent of the app's writer.
 * @param calendar the calendar's events by UID; changed in place
 * @param text the file
 * @returns the same calendar, for chaining
 */
export function importCalendarFile(
	calendar: Map<string, CalendarEvent>,
	text: string
): Map<string, CalendarEvent> {
	const root = new ICAL.Component(ICAL.parse(text));
	for (const component of root.getAllSubcomponents('vevent')) {
		const event = new ICAL.Event(component);
		const incoming: CalendarEvent = {
			uid: event.uid,
			sequence: event.sequence ?? 0,
			stamp: (component.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().getTime(),
			summary: event.summary,
			start: event.startDate.toJSDate().getTime(),
			alarms: component
				.getAllSubcomponents('valarm')
				.map((alarm) => (alarm.getFirstPropertyValue('trigger') as ICAL.Duration).toSeconds() / 60)
		};
		const held = calendar.get(incoming.uid);
		const newer =
			!held ||
			incoming.sequence > held.sequence ||
			(incoming.sequence === held.sequence && incoming.stamp > held.stamp);
		if (!newer) {
			continue;
		}
		if (component.getFirstPropertyValue('status') === 'CANCELLED') {
			calendar.delete(incoming.uid);
		} else {
			calendar.set(incoming.uid, incoming);
		}
	}
	return calendar;
}

/** The calendar's events as "summary @ ISO start", sorted: easy to compare and to read. */
export function eventList(calendar: Map<string, CalendarEvent>): string[] {
	return [...calendar.values()]
		.map((event) => `${event.summary} @ ${new Date(event.start).toISOString()}`)
		.sort();
}
