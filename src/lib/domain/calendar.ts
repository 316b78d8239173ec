import { m } from '../paraglide/messages';
import { serializeCalendar, type CalendarComponent } from './icalendar';
import type { Protocol, ProtocolTask } from './protocol';
import { appointmentAt, type PlannedTask, type Treatment } from './schedule';

/**
 * The "Add to calendar" file: the patient's upcoming reminders and appointments as iCalendar
 * events (RFC 5545) that a newer file updates in place.
 *
 * How a newer file updates an earlier one (RFC 5546 §2.1.5, §3.2.1):
 * - each event's UID names the occurrence (treatment, task, plan day, slot), never its date, so
 *   moving the treatment moves the events instead of adding new ones;
 * - SEQUENCE grows with every file, so a calendar takes the newer version of an event;
 * - an event an earlier file put in the calendar that the plan no longer has comes back with
 *   STATUS:CANCELLED, which calendars that import it remove.
 * The file is METHOD:PUBLISH, the one method whose events may be CANCELLED in the same object as
 * live ones. It has no ORGANIZER, although §3.2.1 lists one: RFC 5545 §3.8.4.3 forbids it on
 * events that live on one person's calendar, and Apple Calendar and Outlook take an event with an
 * organizer for an invitation from someone else.
 */

/** How long a reminder's event lasts: a reminder, not a block of time. */
const REMINDER_MINUTES = 15;

/**
 * How long the appointment's event lasts. The guide: the numbing cream goes on "about 30 minutes
 * to 45 minutes before your procedure", which "can take anywhere from 15 minutes to a few hours";
 * 90 minutes covers the short end, and the event's description says to ask the clinic.
 */
const APPOINTMENT_MINUTES = 90;

/** When the protocol has no appointment task to say when to remind: an hour before. */
const DEFAULT_APPOINTMENT_ALARM_MINUTES = -60;

const UID_DOMAIN = 'aftercare-companion';

/** What the phone remembers of the calendar files it made, to update them with the next one. */
export interface CalendarExport {
	/** The SEQUENCE of the last file's events. */
	sequence: number;
	/**
	 * Events the phone has put in the calendar, live or cancelled, whose start was still ahead
	 * when it made the last file. One that the next plan has no longer gets cancelled.
	 */
	events: ExportedEvent[];
}

/** One event as the calendar has it, enough to cancel it. */
export interface ExportedEvent {
	uid: string;
	/** DTSTART, epoch milliseconds. */
	start: number;
	/** DURATION in minutes. */
	minutes: number;
	title: string;
}

/** What to put in the file. */
export interface CalendarInput {
	/** The clinic's protocol, for titles, texts and the appointment's alarm. */
	protocol: Protocol;
	/** The sessions the patient entered; each one still ahead gets an event. */
	treatments: readonly Treatment[];
	/** The reminders still to send (`CarePlan.pendingReminders()`). */
	reminders: readonly PlannedTask[];
	/** What the phone exported before, or null for its first file. */
	previous: CalendarExport | null;
	/** When the file is made (DTSTAMP), epoch milliseconds. */
	now: number;
}

/** A calendar file and what the phone should remember once it has handed it over. */
export interface CalendarFile {
	/** The iCalendar text. */
	text: string;
	/** MIME type, with the method as RFC 5545 §3.7.2 asks when METHOD is set. */
	type: string;
	/** To store in place of `previous`. */
	record: CalendarExport;
	/** How many reminders and appointments the file adds or updates. */
	reminders: number;
	appointments: number;
	/** How many events of earlier files it cancels. */
	cancelled: number;
}

/** Live events: the reminders and appointments still ahead, before they are written out. */
interface LiveEvent extends ExportedEvent {
	description: string;
	location: string;
	/** Whether the event holds the patient's time (the appointment) or only reminds. */
	busy: boolean;
	/** When its alert goes off, in minutes from its start; null: no alert. */
	alarmMinutes: number | null;
	alarmText: string;
}

/** What the calendar should hold from now on (`upcoming`). */
export interface Upcoming {
	/** Sessions still ahead: each gets an event of its own, with its alarm. */
	appointments: Treatment[];
	/** Reminders still to send, but for the appointment task, which the appointment covers. */
	reminders: PlannedTask[];
}

/**
 * The sessions and reminders a calendar file would carry now.
 * @param input the protocol, sessions, pending reminders and `now` (`previous` is not read)
 */
export function upcoming({
	protocol,
	treatments,
	reminders,
	now
}: Omit<CalendarInput, 'previous'>): Upcoming {
	const appointmentTasks = new Set(protocol.tasks.filter(isAppointmentTask).map((task) => task.id));
	return {
		appointments: treatments.filter((treatment) => appointmentAt(treatment) > now),
		reminders: reminders.filter((occurrence) => !appointmentTasks.has(occurrence.taskId))
	};
}

/**
 * Makes the calendar file for the current plan, updating what earlier files put in the calendar.
 * @returns the file and the record to keep for the next one
 */
export function calendarFile(input: CalendarInput): CalendarFile {
	const { protocol, previous, now } = input;
	const selected = upcoming(input);
	const appointments = selected.appointments.map((treatment) =>
		appointmentEvent(protocol, treatment)
	);
	const tasks = new Map(protocol.tasks.map((task) => [task.id, task]));
	const reminderEvents = selected.reminders.flatMap((occurrence) => {
		const task = tasks.get(occurrence.taskId);
		return task ? [reminderEvent(task, occurrence)] : [];
	});
	const live = [...appointments, ...reminderEvents].sort((a, b) => a.start - b.start);
	const liveUids = new Set(live.map((event) => event.uid));
	// Cancelled until their time has passed, in case the file that cancelled them was never added.
	const cancelled = (previous?.events ?? []).filter(
		(event) => !liveUids.has(event.uid) && event.start > now
	);
	const sequence = nextSequence(previous, now);

	const events = [
		...live.map((event) => liveComponent(event, sequence, now)),
		...cancelled.map((event) => cancelledComponent(event, sequence, now))
	];
	const calendar: CalendarComponent = {
		name: 'VCALENDAR',
		properties: [
			['VERSION', { token: '2.0' }],
			['PRODID', '-//Aftercare Companion//Care plan calendar//EN'],
			['CALSCALE', { token: 'GREGORIAN' }],
			// iTIP's PUBLISH needs at least one event; without any, the file is a plain snapshot.
			...(events.length > 0 ? [['METHOD', { token: 'PUBLISH' }] as const] : []),
			['X-WR-CALNAME', protocol.title]
		],
		components: events
	};
	return {
		text: serializeCalendar(calendar),
		type:
			events.length > 0
				? 'text/calendar;charset=utf-8;method=PUBLISH'
				: 'text/calendar;charset=utf-8',
		record: {
			sequence,
			events: [...live, ...cancelled].map(({ uid, start, minutes, title }) => ({
				uid,
				start,
				minutes,
				title
			}))
		},
		reminders: reminderEvents.length,
		appointments: appointments.length,
		cancelled: cancelled.length
	};
}

/**
 * One more than the last file's, and never less than the minutes since 2026 began: after "Delete
 * all data", or on a new phone, the count is gone but the calendar still holds the old events with
 * their SEQUENCE, and a calendar ignores a version that is not newer than its own.
 */
function nextSequence(previous: CalendarExport | null, now: number): number {
	const minutesSince2026 = Math.floor((now - Date.UTC(2026, 0, 1)) / 60_000);
	return Math.max((previous?.sequence ?? 0) + 1, minutesSince2026);
}

/**
 * The protocol's appointment task: `kind: "appointment"`. Compared as a string, so that this
 * compiles both before and after the protocol's task kinds include it.
 */
function isAppointmentTask(task: ProtocolTask): boolean {
	return (task.kind as string) === 'appointment';
}

/** When the appointment's alert goes off, from the protocol's appointment task. */
function appointmentAlarm(protocol: Protocol): { minutes: number | null; text: string | null } {
	const task = protocol.tasks.find(isAppointmentTask);
	if (!task) {
		return { minutes: DEFAULT_APPOINTMENT_ALARM_MINUTES, text: null };
	}
	if (!task.remind) {
		// The clinic chose not to remind of the appointment: neither does the calendar.
		return { minutes: null, text: null };
	}
	return {
		minutes:
			task.schedule.kind === 'appointment'
				? task.schedule.minutesFromAppointment
				: DEFAULT_APPOINTMENT_ALARM_MINUTES,
		text: task.title
	};
}

function appointmentEvent(protocol: Protocol, treatment: Treatment): LiveEvent {
	const clinic = protocol.clinic.name;
	const title = clinic ? m.plan_ics_title_at({ clinic }) : m.plan_ics_title();
	const alarm = appointmentAlarm(protocol);
	const session =
		treatment.seriesTotal !== null
			? m.plan_ics_session_of({ n: treatment.seriesNumber, total: treatment.seriesTotal })
			: treatment.seriesNumber > 1
				? m.plan_ics_session({ n: treatment.seriesNumber })
				: '';
	return {
		uid: `${treatment.id}:appointment@${UID_DOMAIN}`,
		start: appointmentAt(treatment),
		minutes: APPOINTMENT_MINUTES,
		title,
		description: [session, m.plan_ics_how_long()].filter(Boolean).join('\n'),
		location: clinic,
		busy: true,
		alarmMinutes: alarm.minutes,
		alarmText: alarm.text ?? title
	};
}

function reminderEvent(task: ProtocolTask, occurrence: PlannedTask): LiveEvent {
	const { treatmentId, taskId, planDay, slot } = occurrence;
	return {
		uid: `${treatmentId}:${taskId}:day${planDay}:${slot}@${UID_DOMAIN}`,
		start: occurrence.at,
		minutes: REMINDER_MINUTES,
		title: task.title,
		description: [task.text, ...task.items.map((item) => `• ${item}`)].join('\n'),
		location: '',
		busy: false,
		alarmMinutes: 0,
		alarmText: task.title
	};
}

function liveComponent(event: LiveEvent, sequence: number, now: number): CalendarComponent {
	return {
		name: 'VEVENT',
		properties: [
			['UID', event.uid],
			['DTSTAMP', { utc: now }],
			['SEQUENCE', { integer: sequence }],
			['STATUS', { token: 'CONFIRMED' }],
			['DTSTART', { utc: event.start }],
			['DURATION', { minutes: event.minutes }],
			['SUMMARY', event.title],
			['DESCRIPTION', event.description],
			...(event.location ? [['LOCATION', event.location] as const] : []),
			['TRANSP', { token: event.busy ? 'OPAQUE' : 'TRANSPARENT' }]
		],
		components:
			event.alarmMinutes === null
				? []
				: [
						{
							name: 'VALARM',
							properties: [
								['ACTION', { token: 'DISPLAY' }],
								['DESCRIPTION', event.alarmText],
								// Relative to the start, so the alert moves with the event.
								['TRIGGER', { minutes: event.alarmMinutes }]
							]
						}
					]
	};
}

/** The event as the calendar has it, cancelled: no alarm, so that it cannot alert again. */
function cancelledComponent(
	event: ExportedEvent,
	sequence: number,
	now: number
): CalendarComponent {
	return {
		name: 'VEVENT',
		properties: [
			['UID', event.uid],
			['DTSTAMP', { utc: now }],
			['SEQUENCE', { integer: sequence }],
			['STATUS', { token: 'CANCELLED' }],
			['DTSTART', { utc: event.start }],
			['DURATION', { minutes: event.minutes }],
			['SUMMARY', event.title]
		]
	};
}
