import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { calendarFile } from './calendar';
import { defaultProtocol } from './default-protocol';
import { buildPlan, pendingReminders } from './schedule';

const protocol = defaultProtocol();

describe('calendar file', () => {
	const plan = buildPlan(protocol, [aTreatment()], somePreferences());
	const now = Date.UTC(2026, 11, 13, 12);
	const reminders = pendingReminders(plan, now, new Set(), new Set());

	it('has one event per reminder, in UTC, with its title, a stable UID and an alarm at the start', () => {
		const text = calendarFile(protocol, reminders, now);
		const calendar = new ICAL.Component(ICAL.parse(text));
		const events = calendar.getAllSubcomponents('vevent');
		expect(reminders.length).toBeGreaterThan(5);
		expect(events).toHaveLength(reminders.length);
		const titles = new Map(protocol.tasks.map((task) => [task.id, task.title]));
		events.forEach((component, index) => {
			const event = new ICAL.Event(component);
			const reminder = reminders[index]!;
			expect(event.uid).toBe(`${reminder.id}@aftercare`);
			expect(event.summary).toBe(titles.get(reminder.taskId));
			expect(event.startDate.toJSDate().getTime()).toBe(reminder.at);
			expect(event.startDate.zone.tzid).toBe('UTC');
			const alarms = component.getAllSubcomponents('valarm');
			expect(alarms).toHaveLength(1);
			expect(alarms[0]!.getFirstPropertyValue('action')).toBe('DISPLAY');
			const trigger = alarms[0]!.getFirstPropertyValue('trigger') as ICAL.Time;
			expect(trigger.toJSDate().getTime()).toBe(reminder.at);
		});
		expect(text).toMatch(/^DTSTART:\d{8}T\d{6}Z\r$/m);
	});

	it('is a valid, empty calendar when no reminders are ahead', () => {
		const calendar = new ICAL.Component(ICAL.parse(calendarFile(protocol, [], now)));
		expect(calendar.getAllSubcomponents('vevent')).toEqual([]);
	});
});
