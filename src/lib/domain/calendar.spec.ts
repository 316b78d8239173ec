import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { language } from '$lib/i18n/language.svelte';
import { eventList, importCalendarFile, type CalendarEvent } from '$lib/test-data/calendar-import';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { calendarFile, type CalendarExport, type CalendarInput } from './calendar';
import { defaultProtocol } from './default-protocol';
import type { Protocol, ProtocolTask } from './protocol';
import { buildPlan, pendingReminders, type Treatment } from './schedule';
import { zonedInstant } from './zoned-time';

const protocol = defaultProtocol();
const preferences = somePreferences();
const now = zonedInstant('2026-12-13', '12:00', 'Europe/Berlin');
const none = new Set<string>();

/** The input for a file made at `at` for these sessions, as the app gathers it. */
function input(
	treatments: Treatment[],
	previous: CalendarExport | null = null,
	at = now,
	using: Protocol = protocol
): CalendarInput {
	// The patient said their provider asked for the vitamin A/C cream: a month of evenings.
	const plan = buildPlan(using, treatments, preferences, new Set(['vitamin-cream']));
	return {
		protocol: using,
		treatments,
		reminders: pendingReminders(plan, at, none, none),
		previous,
		now: at
	};
}

function vevents(text: string): ICAL.Component[] {
	return new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
}

function byUid(text: string): Map<string, ICAL.Component> {
	return new Map(
		vevents(text).map((event) => [event.getFirstPropertyValue('uid') as string, event])
	);
}

/** The default protocol's appointment task, as its clinic might change it. */
function protocolWithAppointmentTask(appointment: Partial<ProtocolTask> = {}): Protocol {
	return {
		...protocol,
		clinic: { name: 'Skin, Light & Co', phone: '', website: '', email: '', logo: '', accent: '' },
		tasks: protocol.tasks.map((task) =>
			task.kind === 'appointment'
				? {
						...task,
						title: 'Your treatment is in 2 hours',
						text: 'Leave in time for your appointment.',
						...appointment
					}
				: task
		)
	};
}

/** A clinic's protocol without an appointment reminder: the appointment event still has one. */
const withoutAppointmentTask: Protocol = {
	...protocol,
	tasks: protocol.tasks.filter((task) => task.kind !== 'appointment')
};

describe('calendar file', () => {
	const treatment = aTreatment();
	const file = calendarFile(input([treatment]));
	// The appointment's own reminder is the appointment event's alarm, not an event of its own.
	const reminders = input([treatment]).reminders.filter((one) => one.kind !== 'appointment');

	it('has one event per reminder and one for the appointment, in UTC, each with an alarm', () => {
		const events = vevents(file.text);
		expect(reminders.length).toBeGreaterThan(5);
		expect(events).toHaveLength(reminders.length + 1);
		expect(file).toMatchObject({ reminders: reminders.length, appointments: 1, cancelled: 0 });
		const titles = new Map(protocol.tasks.map((task) => [task.id, task.title]));
		for (const reminder of reminders) {
			const component = byUid(file.text).get(
				`t1:${reminder.taskId}:day${reminder.planDay}:${reminder.slot}@aftercare-companion`
			)!;
			const event = new ICAL.Event(component);
			expect(event.summary).toBe(titles.get(reminder.taskId));
			expect(event.startDate.toJSDate().getTime()).toBe(reminder.at);
			expect(event.startDate.zone.tzid).toBe('UTC');
			expect(event.duration.toSeconds()).toBe(15 * 60);
			expect(component.getFirstPropertyValue('transp')).toBe('TRANSPARENT');
			const alarms = component.getAllSubcomponents('valarm');
			expect(alarms).toHaveLength(1);
			expect(alarms[0]!.getFirstPropertyValue('action')).toBe('DISPLAY');
			expect(alarms[0]!.getFirstPropertyValue('description')).toBe(event.summary);
			expect((alarms[0]!.getFirstPropertyValue('trigger') as ICAL.Duration).toSeconds()).toBe(0);
		}
	});

	it('is METHOD:PUBLISH, its events CONFIRMED with a SEQUENCE and no organizer', () => {
		const calendar = new ICAL.Component(ICAL.parse(file.text));
		expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
		expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
		expect(file.type).toBe('text/calendar;charset=utf-8;method=PUBLISH');
		for (const event of vevents(file.text)) {
			expect(event.getFirstPropertyValue('status')).toBe('CONFIRMED');
			expect(event.getFirstPropertyValue('sequence')).toBe(file.record.sequence);
			expect(event.getFirstPropertyValue('dtstamp')!.toString()).toBe('2026-12-13T11:00:00Z');
			expect(event.hasProperty('organizer')).toBe(false);
		}
	});

	it('is a valid, empty calendar when nothing is ahead', () => {
		const empty = calendarFile(input([treatment], null, Date.UTC(2027, 6, 1)));
		const calendar = new ICAL.Component(ICAL.parse(empty.text));
		expect(calendar.getAllSubcomponents('vevent')).toEqual([]);
		// iTIP's PUBLISH needs an event: an empty file is a plain snapshot, without METHOD.
		expect(calendar.hasProperty('method')).toBe(false);
		expect(empty.type).toBe('text/calendar;charset=utf-8');
	});
});

describe('the appointment event', () => {
	it('starts at the appointment, in UTC, lasts 90 minutes and alerts an hour before without a reminder task', () => {
		const treatment = aTreatment({ date: '2026-12-14', time: '10:00', timeZone: 'Europe/Berlin' });
		const event = byUid(
			calendarFile(input([treatment], null, now, withoutAppointmentTask)).text
		).get('t1:appointment@aftercare-companion')!;
		expect(event.getFirstPropertyValue('dtstart')!.toString()).toBe('2026-12-14T09:00:00Z');
		expect(event.getFirstPropertyValue('summary')).toBe('Microneedling treatment');
		expect((event.getFirstPropertyValue('duration') as ICAL.Duration).toSeconds()).toBe(90 * 60);
		expect(event.getFirstPropertyValue('transp')).toBe('OPAQUE');
		expect(event.hasProperty('location')).toBe(false);
		const [alarm] = event.getAllSubcomponents('valarm');
		expect((alarm!.getFirstPropertyValue('trigger') as ICAL.Duration).toString()).toBe('-PT1H');
	});

	it('keeps a clinic in another zone on its own clock', () => {
		const treatment = aTreatment({
			date: '2027-07-01',
			time: '09:30',
			timeZone: 'America/New_York'
		});
		const event = byUid(calendarFile(input([treatment])).text).get(
			't1:appointment@aftercare-companion'
		)!;
		expect(event.getFirstPropertyValue('dtstart')!.toString()).toBe('2027-07-01T13:30:00Z');
	});

	it('takes its alarm from the protocol’s appointment task, which gets no event of its own', () => {
		const withTask = protocolWithAppointmentTask();
		const fileInput = input([aTreatment()], null, now, withTask);
		// The plan does remind of the appointment task: the file leaves it to the appointment.
		expect(fileInput.reminders.map((reminder) => reminder.taskId)).toContain('appointment');
		const file = calendarFile(fileInput);
		const events = byUid(file.text);
		expect(events.size).toBe(fileInput.reminders.length);
		expect([...events.keys()].filter((uid) => uid.includes(':appointment'))).toEqual([
			't1:appointment@aftercare-companion'
		]);
		expect([...events.keys()].some((uid) => uid.includes('numbing-cream'))).toBe(false);

		const event = events.get('t1:appointment@aftercare-companion')!;
		expect(event.getFirstPropertyValue('summary')).toBe(
			'Microneedling treatment at Skin, Light & Co'
		);
		expect(event.getFirstPropertyValue('location')).toBe('Skin, Light & Co');
		const [alarm] = event.getAllSubcomponents('valarm');
		expect((alarm!.getFirstPropertyValue('trigger') as ICAL.Duration).toString()).toBe('-PT2H');
		expect(alarm!.getFirstPropertyValue('description')).toBe('Your treatment is in 2 hours');
	});

	it('has no alarm when the clinic turned the appointment reminder off', () => {
		const withTask = protocolWithAppointmentTask({ remind: false });
		const event = byUid(calendarFile(input([aTreatment()], null, now, withTask)).text).get(
			't1:appointment@aftercare-companion'
		)!;
		expect(event.getAllSubcomponents('valarm')).toEqual([]);
	});

	it('leaves out a session whose appointment has passed', () => {
		const past = aTreatment({ id: 'old', date: '2026-11-16' });
		const next = aTreatment({ id: 'next', date: '2026-12-14', seriesNumber: 2, seriesTotal: 3 });
		const events = byUid(calendarFile(input([past, next])).text);
		expect(events.has('old:appointment@aftercare-companion')).toBe(false);
		expect(
			events.get('next:appointment@aftercare-companion')!.getFirstPropertyValue('description')
		).toMatch(/^Session 2 of 3\.\n/);
	});
});

describe('a newer file over an earlier one', () => {
	/** Imports each file in turn into an empty calendar. */
	function calendarAfter(...files: string[]): Map<string, CalendarEvent> {
		const calendar = new Map<string, CalendarEvent>();
		for (const text of files) {
			importCalendarFile(calendar, text);
		}
		return calendar;
	}

	it('moves every event when the treatment moves, and leaves none on the old dates', () => {
		const first = calendarFile(input([aTreatment({ date: '2026-12-14' })]));
		const moved = [aTreatment({ date: '2026-12-21' })];
		const second = calendarFile(input(moved, first.record));

		const calendar = calendarAfter(first.text, second.text);
		expect(eventList(calendar)).toEqual(eventList(calendarAfter(calendarFile(input(moved)).text)));
		expect(second.record.sequence).toBeGreaterThan(first.record.sequence);
		// The appointment (10:00 Berlin) and its aftercare left the old date; the cream of that
		// evening is the new plan's own.
		expect(
			eventList(calendar).filter(
				(event) => event.includes('2026-12-14T') && !event.startsWith('Vitamin A or C cream')
			)
		).toEqual([]);
		expect(eventList(calendar)).toContain('Microneedling treatment @ 2026-12-21T09:00:00.000Z');
		// Moving later drops nothing: every event is updated in place, none cancelled.
		expect(second.cancelled).toBe(0);
	});

	it('cancels events the new plan no longer has, but not those whose time has passed', () => {
		const later = aTreatment({ date: '2026-12-21' });
		const first = calendarFile(input([later]));
		// Moved a week earlier: the evening vitamin cream of seven plan days now falls in the past.
		const earlier = [aTreatment({ date: '2026-12-14' })];
		const second = calendarFile(input(earlier, first.record));
		expect(second.cancelled).toBe(7);
		const cancelled = vevents(second.text).filter(
			(event) => event.getFirstPropertyValue('status') === 'CANCELLED'
		);
		expect(cancelled.map((event) => event.getFirstPropertyValue('uid')).sort()).toEqual(
			[-8, -7, -6, -5, -4, -3, -2]
				.map((day) => `t1:vitamin-cream:day${day}:evening@aftercare-companion`)
				.sort()
		);
		for (const event of cancelled) {
			expect(event.getAllSubcomponents('valarm')).toEqual([]);
		}
		expect(eventList(calendarAfter(first.text, second.text))).toEqual(
			eventList(calendarAfter(calendarFile(input(earlier)).text))
		);

		// A day on, the one whose time has passed is left alone, the rest are cancelled again.
		const dayLater = now + 24 * 60 * 60 * 1000;
		const third = calendarFile(input(earlier, second.record, dayLater));
		expect(third.cancelled).toBe(6);
	});

	it('cancels a removed session’s events, even when the file in between was never added', () => {
		const sessions = [aTreatment(), aTreatment({ id: 't2', date: '2027-01-11', seriesNumber: 2 })];
		const first = calendarFile(input(sessions));
		const skipped = calendarFile(input(sessions, first.record));
		const third = calendarFile(input([sessions[0]!], skipped.record));
		expect(third.cancelled).toBeGreaterThan(5);
		const calendar = calendarAfter(first.text, third.text);
		expect([...calendar.keys()].filter((uid) => uid.startsWith('t2:'))).toEqual([]);
		expect(eventList(calendar)).toEqual(
			eventList(calendarAfter(calendarFile(input([sessions[0]!])).text))
		);
	});

	it('keeps raising SEQUENCE, even after the phone forgot its earlier files', () => {
		const first = calendarFile(input([aTreatment()]));
		const second = calendarFile(input([aTreatment()], first.record));
		expect(second.record.sequence).toBe(first.record.sequence + 1);
		// "Delete all data", onboarding again an hour later: the count starts from the clock.
		const afterClear = calendarFile(input([aTreatment()], null, now + 3_600_000));
		expect(afterClear.record.sequence).toBeGreaterThan(second.record.sequence);
		// A clock set back does not lower it.
		const backwards = calendarFile(input([aTreatment()], second.record, now - 3_600_000));
		expect(backwards.record.sequence).toBe(second.record.sequence + 1);
	});
});

describe('the file as text', () => {
	const physicalLines = (text: string) => text.split('\r\n').slice(0, -1);
	const octets = (line: string) => new TextEncoder().encode(line).length;

	// Long, multi-byte and special words in every kind of text the file carries.
	const withTask = protocolWithAppointmentTask({
		title: 'Leave in time; bring your notes, and \\ your questions'
	});
	const wordy: Protocol = {
		...withTask,
		title: 'Care plan: “Skin, Light & Co”; 2027',
		tasks: withTask.tasks.map((task) =>
			task.id === 'ice-pack'
				? {
						...task,
						title: 'Ice pack, 10–15 minutes; don’t put ice on bare skin \\ wrap it 🧊',
						text: 'Line one, with a comma; and a semicolon.\nLine two: “quoted” and C:\\path — done. '.repeat(
							3
						),
						items: ['A towel, clean', 'Ten minutes; no more']
					}
				: task
		)
	};
	const file = calendarFile(input([aTreatment()], null, now, wordy));

	it('ends every line with CRLF and folds each to at most 75 octets', () => {
		expect(file.text.endsWith('\r\n')).toBe(true);
		expect(file.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
		const lines = physicalLines(file.text);
		expect(lines.filter((line) => line.startsWith(' ')).length).toBeGreaterThan(10);
		for (const line of lines) {
			expect(octets(line)).toBeLessThanOrEqual(75);
		}
	});

	it('never splits a character: each line is whole UTF-8 and the words come back intact', () => {
		const bytes = new TextEncoder().encode(file.text);
		const strict = new TextDecoder('utf-8', { fatal: true });
		let start = 0;
		for (let index = 0; index < bytes.length - 1; index++) {
			if (bytes[index] === 0x0d && bytes[index + 1] === 0x0a) {
				expect(() => strict.decode(bytes.subarray(start, index))).not.toThrow();
				start = index + 2;
			}
		}
		const ice = vevents(file.text).find((event) =>
			(event.getFirstPropertyValue('uid') as string).includes(':ice-pack:')
		)!;
		const task = wordy.tasks.find((one) => one.id === 'ice-pack')!;
		expect(ice.getFirstPropertyValue('summary')).toBe(task.title);
		expect(ice.getFirstPropertyValue('description')).toBe(
			[task.text, ...task.items.map((item) => `• ${item}`)].join('\n')
		);
	});

	it('escapes backslash, semicolon, comma and line breaks in every text, alarms included', () => {
		const unfolded = file.text.replace(/\r\n /g, '');
		expect(unfolded).toContain(
			'\r\nSUMMARY:Ice pack\\, 10–15 minutes\\; don’t put ice on bare skin \\\\ wrap it 🧊\r\n'
		);
		// The alarm's text, which the `ics` package left unescaped.
		expect(unfolded).toContain(
			'\r\nDESCRIPTION:Ice pack\\, 10–15 minutes\\; don’t put ice on bare skin \\\\ wrap it 🧊\r\n'
		);
		expect(unfolded).toContain(
			'\r\nDESCRIPTION:Leave in time\\; bring your notes\\, and \\\\ your questions\r\n'
		);
		expect(unfolded).toContain('and a semicolon.\\nLine two: “quoted” and C:\\\\path');
		expect(unfolded).toContain('\r\nX-WR-CALNAME:Care plan: “Skin\\, Light & Co”\\; 2027\r\n');
		expect(unfolded).toContain('\r\nLOCATION:Skin\\, Light & Co\r\n');
		// Nothing left unescaped in any TEXT value.
		for (const line of unfolded.split('\r\n')) {
			const [name, value = ''] = [
				line.slice(0, line.indexOf(':')),
				line.slice(line.indexOf(':') + 1)
			];
			if (['SUMMARY', 'DESCRIPTION', 'LOCATION', 'X-WR-CALNAME'].includes(name)) {
				expect(value.replace(/\\[\\;,nN]/g, '')).not.toMatch(/[\\;,]/);
			}
		}
	});
});

describe('in German', () => {
	beforeAll(() => language.choose('de'));
	afterAll(() => language.choose(null));

	const clinic: Protocol = {
		...withoutAppointmentTask,
		clinic: {
			name: 'Hautpraxis Dr. Müller-Lüdenscheidt, Größe & Schönheit',
			phone: '',
			website: '',
			email: '',
			logo: '',
			accent: ''
		}
	};
	const treatment = aTreatment({
		date: '2026-12-14',
		time: '10:00',
		seriesNumber: 2,
		seriesTotal: 3
	});
	// Made in the tests, once German is chosen.
	const german = () => calendarFile(input([treatment], null, now, clinic));

	it('writes the app’s own words of the appointment in German, the clinic’s name as it is', () => {
		const event = byUid(german().text).get('t1:appointment@aftercare-companion')!;
		expect(event.getFirstPropertyValue('summary')).toBe(
			'Microneedling-Behandlung bei Hautpraxis Dr. Müller-Lüdenscheidt, Größe & Schönheit'
		);
		const description = event.getFirstPropertyValue('description') as string;
		expect(description.split('\n')[0]).toBe('Sitzung 2 von 3.');
		expect(description).toContain('hängt vom behandelten Bereich ab');
		expect(description).toContain('Fragen Sie Ihre Praxis');
		const [alarm] = event.getAllSubcomponents('valarm');
		expect(alarm!.getFirstPropertyValue('description')).toBe(
			event.getFirstPropertyValue('summary')
		);
	});

	it('folds the umlauts by octets, never inside a character, and escapes the comma', () => {
		const file = german();
		const lines = file.text.split('\r\n').slice(0, -1);
		const strict = new TextDecoder('utf-8', { fatal: true });
		const encoder = new TextEncoder();
		for (const line of lines) {
			const bytes = encoder.encode(line);
			expect(bytes.length).toBeLessThanOrEqual(75);
			expect(() => strict.decode(bytes)).not.toThrow();
		}
		const summary = file.text
			.replace(/\r\n /g, '')
			.split('\r\n')
			.find((line) => line.startsWith('SUMMARY:Microneedling'))!;
		expect(summary).toBe(
			'SUMMARY:Microneedling-Behandlung bei Hautpraxis Dr. Müller-Lüdenscheidt\\, Größe & Schönheit'
		);
		// Long enough to be folded, with its umlauts still whole on either side of the fold.
		expect(encoder.encode(summary).length).toBeGreaterThan(75);
	});

	it('says "Session 2." when the series has no known length', () => {
		const open = aTreatment({ date: '2026-12-14', seriesNumber: 2, seriesTotal: null });
		const description = byUid(calendarFile(input([open], null, now, clinic)).text)
			.get('t1:appointment@aftercare-companion')!
			.getFirstPropertyValue('description') as string;
		expect(description.split('\n')[0]).toBe('Sitzung 2.');
	});
});
