import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { language } from '$lib/i18n/language.svelte';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { longDate, wallTime } from '../format';
import { defaultProtocol } from './default-protocol';
import { appointmentReminderWords, reminderRecords, reworded } from './reminder-words';
import { KEEP_PAST_MS, nextMirror, wireReminders, type ReminderRecord } from './reminders';
import { maxReminderAheadMs, maxReminders, subscriptionBodySchema } from './push-contract';
import { buildPlan, pendingReminders } from './schedule';

const protocol = defaultProtocol();
const hour = 60 * 60 * 1000;

function aRecord(overrides: Partial<ReminderRecord> = {}): ReminderRecord {
	return {
		id: 'opaque-1',
		occurrenceId: 't1:ice-pack:2026-12-15:morning',
		taskId: 'ice-pack',
		treatmentId: 't1',
		at: 10 * hour,
		title: 'Ice pack',
		body: 'Use it.',
		...overrides
	};
}

describe('reminder records', () => {
	it('carry the protocol’s title and text under the opaque id', () => {
		const plan = buildPlan(protocol, [aTreatment()], somePreferences());
		// After the appointment, whose reminder starts with words of its own (below).
		const pending = pendingReminders(plan, Date.UTC(2026, 11, 14, 12), new Set(), new Set());
		const ids = new Map(pending.map((task, index) => [task.id, `opaque-${index}`]));
		const records = reminderRecords(protocol, pending, ids, [aTreatment()]);
		expect(records).toHaveLength(pending.length);
		const first = records[0]!;
		const task = protocol.tasks.find((one) => one.id === pending[0]!.taskId)!;
		expect(first).toEqual({
			id: 'opaque-0',
			occurrenceId: pending[0]!.id,
			taskId: task.id,
			treatmentId: 't1',
			at: pending[0]!.at,
			title: task.title,
			body: task.text,
			locale: 'en'
		});
	});

	it('say when the appointment is, and cannot be ticked off', () => {
		const treatment = aTreatment({ date: '2027-04-08', time: '10:30' });
		const plan = buildPlan(protocol, [treatment], somePreferences());
		const appointment = plan.filter((task) => task.taskId === 'appointment');
		const ids = new Map(appointment.map((task) => [task.id, 'opaque-a']));
		const [record] = reminderRecords(protocol, appointment, ids, [treatment]);
		expect(record).toMatchObject({
			title: 'Your treatment appointment',
			body: `Your treatment is at ${wallTime('10:30')} today. Your provider applies numbing cream about 30 to 45 minutes before the procedure, so it has time to work: allow for it. You can go home once it's done.`,
			tickable: false,
			at: Date.parse('2027-04-08T06:30:00Z')
		});
		// Care reminders stay tickable.
		const ice = plan.filter((task) => task.taskId === 'ice-pack').slice(0, 1);
		const [care] = reminderRecords(protocol, ice, new Map([[ice[0]!.id, 'o']]), [treatment]);
		expect(care).not.toHaveProperty('tickable');
	});

	it('name the session and the day of an appointment', () => {
		const second = aTreatment({ date: '2027-04-08', time: '01:00', seriesNumber: 2 });
		const at = (iso: string) => Date.parse(iso);
		// The time as the phone's language writes it: "01:00" in en-GB, "1:00 AM" in en-US.
		const one = wallTime('01:00');
		expect(appointmentReminderWords(second, at('2027-04-07T21:00:00Z'))).toBe(
			`Your 2nd session is at ${one} tomorrow`
		);
		expect(appointmentReminderWords(second, at('2027-04-07T22:30:00Z'))).toBe(
			`Your 2nd session is at ${one} today`
		);
		expect(appointmentReminderWords(second, at('2027-04-05T22:30:00Z'))).toBe(
			`Your 2nd session is at ${one} on ${longDate('2027-04-08')}`
		);
	});

	it('keep snoozes ahead and recent past reminders, and drop the rest', () => {
		const now = 100 * hour;
		const previous = [
			aRecord({ id: 'snoozed', at: now - hour, snoozedUntil: now + hour }),
			aRecord({ id: 'recent', at: now - hour }),
			aRecord({ id: 'old', at: now - KEEP_PAST_MS - hour }),
			aRecord({ id: 'moved-away', at: now + 5 * hour }),
			aRecord({ id: 'ticked', occurrenceId: 'done-one', at: now - hour })
		];
		const fresh = [aRecord({ id: 'fresh', at: now + 2 * hour })];
		const mirror = nextMirror(previous, fresh, new Set(['done-one']), now);
		expect(mirror.map((record) => record.id)).toEqual(['recent', 'snoozed', 'fresh']);
		expect(wireReminders(mirror, now)).toEqual({
			reminders: [
				{ id: 'snoozed', dueAt: now + hour },
				{ id: 'fresh', dueAt: now + 2 * hour }
			],
			heldBack: 0
		});
	});
});

describe('what the push server is told', () => {
	const now = Date.UTC(2026, 11, 14, 12);
	const subscription = {
		endpoint: 'https://push.example/endpoint-1',
		keys: { p256dh: 'key', auth: 'secret' }
	};

	it('is the soonest reminders the contract allows, the rest held back', () => {
		// A daily two-slot task over a long series: more reminders than the server keeps.
		const mirror = Array.from({ length: 2 * 300 }, (_, index) =>
			aRecord({ id: `r${String(index).padStart(3, '0')}`, at: now + (index + 1) * 12 * hour })
		).reverse();
		const { reminders, heldBack } = wireReminders(mirror, now);
		expect(reminders).toHaveLength(maxReminders);
		expect(heldBack).toBe(600 - maxReminders);
		expect(reminders[0]).toEqual({ id: 'r000', dueAt: now + 12 * hour });
		expect(reminders.at(-1)?.id).toBe(`r${maxReminders - 1}`);
		const body = { subscription, reminders };
		expect(v.safeParse(subscriptionBodySchema(now), body).success).toBe(true);
		const oneMore = [...reminders, { id: 'extra', dueAt: now + hour }];
		expect(v.safeParse(subscriptionBodySchema(now), { ...body, reminders: oneMore }).success).toBe(
			false
		);
	});

	it('holds back what lies beyond the year the server takes', () => {
		const mirror = [
			aRecord({ id: 'soon', at: now + hour }),
			aRecord({ id: 'next-year', at: now + maxReminderAheadMs + hour })
		];
		expect(wireReminders(mirror, now)).toEqual({
			reminders: [{ id: 'soon', dueAt: now + hour }],
			heldBack: 1
		});
	});

	it('holds nothing back when everything fits', () => {
		expect(wireReminders([aRecord({ at: now + hour })], now).heldBack).toBe(0);
		expect(wireReminders([aRecord({ at: now - hour })], now)).toEqual({
			reminders: [],
			heldBack: 0
		});
	});
});

describe('reminder words in German', () => {
	beforeAll(() => language.choose('de'));
	afterAll(() => language.choose(null));

	it('say when the appointment is, the session named, 24-hour time', () => {
		const second = aTreatment({ date: '2027-04-08', time: '13:00', seriesNumber: 2 });
		const at = (iso: string) => Date.parse(iso);
		expect(appointmentReminderWords(second, at('2027-04-07T09:00:00Z'))).toBe(
			'Ihre 2. Sitzung ist morgen um 13:00 Uhr'
		);
		expect(appointmentReminderWords(second, at('2027-04-08T06:00:00Z'))).toBe(
			'Ihre 2. Sitzung ist heute um 13:00 Uhr'
		);
		expect(appointmentReminderWords(second, at('2027-04-05T06:00:00Z'))).toBe(
			'Ihre 2. Sitzung ist am Donnerstag, 8. April 2027 um 13:00 Uhr'
		);
		const first = aTreatment({ date: '2027-04-08', time: '10:30' });
		expect(appointmentReminderWords(first, at('2027-04-08T05:00:00Z'))).toBe(
			'Ihre Behandlung ist heute um 10:30 Uhr'
		);
	});

	it('are written anew with the language, a snooze and the times kept', () => {
		const treatment = aTreatment({ date: '2027-04-08', time: '10:30' });
		const plan = buildPlan(protocol, [treatment], somePreferences());
		const appointment = plan.filter((task) => task.taskId === 'appointment');
		const english = { ...aRecord({ id: 'a', taskId: 'appointment' }), locale: 'en' as const };
		const old: ReminderRecord = {
			...english,
			occurrenceId: appointment[0]!.id,
			treatmentId: treatment.id,
			at: appointment[0]!.at,
			body: 'Your treatment is at 10:30 today. …',
			snoozedUntil: 5
		};
		const [record] = reworded(protocol, [old], [treatment]);
		expect(record).toMatchObject({
			id: 'a',
			at: old.at,
			snoozedUntil: 5,
			locale: 'de',
			tickable: false
		});
		expect(record!.body).toMatch(/^Ihre Behandlung ist heute um 10:30 Uhr\. /);
		// A task the protocol no longer has keeps its words.
		const gone = aRecord({ taskId: 'gone' });
		expect(reworded(protocol, [gone], [treatment])).toEqual([gone]);
	});
});
