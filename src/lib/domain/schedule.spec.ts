import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { defaultProtocol } from './default-protocol';
import { broughtBack, buildPlan, pendingReminders, reachedIds, type PlannedTask } from './schedule';
import { localParts, zonedInstant } from './zoned-time';

const protocol = defaultProtocol();
const iso = (instant: number) => new Date(instant).toISOString();
const ofTask = (plan: PlannedTask[], taskId: string) =>
	plan.filter((task) => task.taskId === taskId);
/** The patient said their provider asked for the vitamin A/C cream. */
const withCream = new Set(['vitamin-cream']);

describe('the default protocol as a plan', () => {
	// Treatment on Monday 2026-12-14 at 10:00 in Berlin (UTC+1 all month).
	const plan = buildPlan(protocol, [aTreatment()], somePreferences(), withCream);

	it('schedules every task of the protocol at least once, the optional ones when asked for', () => {
		const scheduled = new Set(plan.map((task) => task.taskId));
		expect([...scheduled].sort()).toEqual(protocol.tasks.map((task) => task.id).sort());
	});

	it('leaves the vitamin A/C cream out unless the patient says their provider asked for it', () => {
		// The guide: "your healthcare provider may ask you to apply vitamin A or C cream".
		const unasked = buildPlan(protocol, [aTreatment()], somePreferences());
		expect(ofTask(unasked, 'vitamin-cream')).toEqual([]);
		expect(unasked.length).toBe(plan.length - 30);
	});

	it('puts the vitamin A/C cream on each evening of the month before, and stops the day before', () => {
		const cream = ofTask(plan, 'vitamin-cream');
		expect(cream).toHaveLength(30);
		expect(cream[0]).toMatchObject({ date: '2026-11-14', time: '20:00', day: -30, remind: true });
		expect(cream.at(-1)).toMatchObject({ date: '2026-12-13', day: -1 });
		expect(iso(cream[0]!.at)).toBe('2026-11-14T19:00:00.000Z');
	});

	it('reminds of the consultation once, 30 days before, and keeps it open until the appointment', () => {
		expect(ofTask(plan, 'consultation')).toEqual([
			expect.objectContaining({
				id: 't1:consultation:until-treatment:morning',
				date: '2026-11-14',
				time: '09:00',
				day: -30,
				kind: 'care',
				remind: true,
				window: { from: null, until: zonedInstant('2026-12-14', '10:00', 'Europe/Berlin') }
			})
		]);
	});

	it('keeps the consultation ticked off when the treatment moves', () => {
		const moved = buildPlan(protocol, [aTreatment({ date: '2027-01-04' })], somePreferences());
		expect(ofTask(moved, 'consultation')[0]).toMatchObject({
			id: ofTask(plan, 'consultation')[0]!.id,
			date: '2026-12-05'
		});
	});

	it('reminds of the appointment 2 hours before; numbing cream is what the provider does', () => {
		expect(ofTask(plan, 'appointment')).toEqual([
			expect.objectContaining({
				date: '2026-12-14',
				time: '08:00',
				day: 0,
				kind: 'appointment',
				remind: true
			})
		]);
		// The guide: "Your healthcare provider … applies a numbing cream": not the patient's task.
		expect(ofTask(plan, 'numbing-cream')).toEqual([
			expect.objectContaining({ time: '09:15', day: 0, kind: 'info', remind: false })
		]);
		expect(ofTask(plan, 'procedure')).toEqual([
			expect.objectContaining({ time: '10:00', day: 0, kind: 'info', remind: false })
		]);
		expect(
			plan.filter(
				(task) =>
					task.kind === 'care' && task.day === 0 && task.at < ofTask(plan, 'procedure')[0]!.at
			)
		).toEqual([]);
	});

	it('expects redness and swelling from the treatment day to day 5', () => {
		expect(ofTask(plan, 'redness-swelling').map((task) => task.day)).toEqual([0, 1, 2, 3, 4, 5]);
	});

	it('uses the ice pack morning and evening until day 3, never before the procedure', () => {
		const ice = ofTask(plan, 'ice-pack');
		expect(ice.map((task) => `${task.day} ${task.time}`)).toEqual([
			'0 20:00',
			'1 09:00',
			'1 20:00',
			'2 09:00',
			'2 20:00',
			'3 09:00',
			'3 20:00'
		]);
	});

	it('allows makeup again from the day after, and says to wait on the day itself', () => {
		expect(ofTask(plan, 'no-makeup-yet').map((task) => task.day)).toEqual([0]);
		expect(ofTask(plan, 'makeup-allowed')).toEqual([
			expect.objectContaining({ date: '2026-12-15', day: 1, kind: 'info' })
		]);
	});

	it('reminds to stay out of the sun each morning for the clinic-default 14 days', () => {
		const sun = ofTask(plan, 'sun-avoidance');
		expect(sun.map((task) => task.day)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
		expect(sun.every((task) => task.time === '09:00' && task.remind)).toBe(true);
		// Advice for the whole day, not a step at 09:00.
		expect(sun.every((task) => task.allDay)).toBe(true);
		expect(plan.filter((task) => task.allDay).map((task) => task.taskId)).toEqual(
			sun.map(() => 'sun-avoidance')
		);
	});

	it('suggests planning the next session after the series interval', () => {
		expect(ofTask(plan, 'next-session')).toEqual([
			expect.objectContaining({ date: '2027-01-11', day: 28, phase: 'series' })
		]);
	});

	it('orders the plan by due instant and gives every occurrence a distinct id', () => {
		expect(plan.map((task) => task.at)).toEqual(
			[...plan.map((task) => task.at)].sort((a, b) => a - b)
		);
		expect(new Set(plan.map((task) => task.id)).size).toBe(plan.length);
	});

	it('gives the same ids when the plan is recomputed, even with other reminder times', () => {
		const again = buildPlan(
			protocol,
			[aTreatment()],
			somePreferences({ morningTime: '07:30' }),
			withCream
		);
		expect(again.map((task) => task.id)).toEqual(plan.map((task) => task.id));
	});
});

describe('series', () => {
	const first = aTreatment({ id: 'a', seriesNumber: 1, seriesTotal: 3 });
	const second = aTreatment({ id: 'b', date: '2027-01-11', seriesNumber: 2, seriesTotal: 3 });
	const last = aTreatment({ id: 'c', date: '2027-02-08', seriesNumber: 3, seriesTotal: 3 });

	it('prepares the skin only before the first session', () => {
		const plan = buildPlan(protocol, [second, first], somePreferences(), withCream);
		expect(new Set(ofTask(plan, 'vitamin-cream').map((task) => task.treatmentId))).toEqual(
			new Set(['a'])
		);
		expect(ofTask(plan, 'ice-pack').filter((task) => task.treatmentId === 'b')).toHaveLength(7);
	});

	it('nudges about the next session only after the latest one, and not after the last of the series', () => {
		expect(ofTask(buildPlan(protocol, [first, second], somePreferences()), 'next-session')).toEqual(
			[expect.objectContaining({ treatmentId: 'b', date: '2027-02-08' })]
		);
		expect(
			ofTask(buildPlan(protocol, [first, second, last], somePreferences()), 'next-session')
		).toEqual([]);
		expect(
			ofTask(
				buildPlan(protocol, [aTreatment({ seriesNumber: 1, seriesTotal: 1 })], somePreferences()),
				'next-session'
			)
		).toEqual([]);
	});
});

describe('wall-clock reminders across DST and zone changes', () => {
	it('keeps 09:00 at 09:00 in Berlin across the 2026-03-29 spring change', () => {
		const plan = buildPlan(
			protocol,
			[aTreatment({ date: '2026-03-27', timeZone: 'Europe/Berlin' })],
			somePreferences()
		);
		const sun = ofTask(plan, 'sun-avoidance').slice(0, 3);
		expect(sun.map((task) => [task.date, task.time, iso(task.at)])).toEqual([
			['2026-03-28', '09:00', '2026-03-28T08:00:00.000Z'],
			['2026-03-29', '09:00', '2026-03-29T07:00:00.000Z'],
			['2026-03-30', '09:00', '2026-03-30T07:00:00.000Z']
		]);
	});

	it('keeps 09:00 at 09:00 in New York across the 2026-11-01 fall change', () => {
		const plan = buildPlan(
			protocol,
			[aTreatment({ date: '2026-10-30', timeZone: 'America/New_York' })],
			somePreferences({ timeZone: 'America/New_York' })
		);
		const sun = ofTask(plan, 'sun-avoidance').slice(0, 3);
		expect(sun.map((task) => [task.date, task.time, iso(task.at)])).toEqual([
			['2026-10-31', '09:00', '2026-10-31T13:00:00.000Z'],
			['2026-11-01', '09:00', '2026-11-01T14:00:00.000Z'],
			['2026-11-02', '09:00', '2026-11-02T14:00:00.000Z']
		]);
	});

	it('fires a reminder set inside the spring-forward gap just after it, once', () => {
		const plan = buildPlan(
			protocol,
			[aTreatment({ date: '2026-03-27' })],
			somePreferences({ morningTime: '02:30' })
		);
		const onChangeDay = ofTask(plan, 'sun-avoidance').filter((task) => task.date === '2026-03-29');
		expect(onChangeDay.map((task) => [task.time, iso(task.at)])).toEqual([
			['03:30', '2026-03-29T01:30:00.000Z']
		]);
	});

	it('fires a reminder set inside the repeated fall-back hour once, at its first occurrence', () => {
		const plan = buildPlan(
			protocol,
			[aTreatment({ date: '2026-10-30', timeZone: 'America/New_York' })],
			somePreferences({ timeZone: 'America/New_York', morningTime: '01:30' })
		);
		const onChangeDay = ofTask(plan, 'sun-avoidance').filter((task) => task.date === '2026-11-01');
		expect(onChangeDay.map((task) => iso(task.at))).toEqual(['2026-11-01T05:30:00.000Z']);
	});

	it('plans across a leap day with one occurrence per calendar day', () => {
		const plan = buildPlan(
			protocol,
			[aTreatment({ date: '2028-02-27', timeZone: 'UTC' })],
			somePreferences({ timeZone: 'UTC' })
		);
		expect(
			ofTask(plan, 'ice-pack')
				.filter((task) => task.time === '09:00')
				.map((task) => task.date)
		).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
		const leap = buildPlan(
			protocol,
			[aTreatment({ date: '2028-02-29', timeZone: 'UTC' })],
			somePreferences({ timeZone: 'UTC' }),
			withCream
		);
		expect(ofTask(leap, 'vitamin-cream')[0]!.date).toBe('2028-01-30');
		expect(ofTask(leap, 'next-session')[0]!.date).toBe('2028-03-28');
	});

	it('keeps daily reminders at the same local time after the patient moves zone, and the appointment where it is', () => {
		const treatment = aTreatment({ date: '2026-12-14', time: '10:00', timeZone: 'Europe/Berlin' });
		const home = buildPlan(protocol, [treatment], somePreferences({ timeZone: 'Europe/Berlin' }));
		const away = buildPlan(
			protocol,
			[treatment],
			somePreferences({ timeZone: 'America/New_York' })
		);
		const sunHome = ofTask(home, 'sun-avoidance')[0]!;
		const sunAway = ofTask(away, 'sun-avoidance')[0]!;
		expect([sunHome.time, sunAway.time]).toEqual(['09:00', '09:00']);
		expect(iso(sunAway.at)).toBe('2026-12-15T14:00:00.000Z');
		expect(sunAway.id).toBe(sunHome.id);
		// The appointment stays on the clinic's clock: 08:00 Berlin is 02:00 in New York.
		expect(ofTask(away, 'appointment')[0]).toMatchObject({
			time: '02:00',
			at: ofTask(home, 'appointment')[0]!.at
		});
	});

	it('gives every daily reminder its wall time in any zone on any date (property)', () => {
		const zones = [
			'Europe/Berlin',
			'America/New_York',
			'Australia/Sydney',
			'Asia/Tokyo',
			'America/Santiago'
		];
		fc.assert(
			fc.property(
				fc.date({ min: new Date('2025-01-01'), max: new Date('2029-12-31'), noInvalidDate: true }),
				fc.constantFrom(...zones),
				fc.integer({ min: 4, max: 11 }),
				(day, zone, hour) => {
					const morningTime = `${String(hour).padStart(2, '0')}:15`;
					const plan = buildPlan(
						protocol,
						[aTreatment({ date: day.toISOString().slice(0, 10), timeZone: zone })],
						somePreferences({ timeZone: zone, morningTime })
					);
					for (const task of ofTask(plan, 'sun-avoidance')) {
						expect(localParts(task.at, zone)).toEqual({ date: task.date, time: morningTime });
					}
				}
			),
			{ numRuns: 150 }
		);
		// 150 whole plans: seconds on a loaded 2-core machine, so not the default 5 s limit.
	}, 30_000);
});

describe('quiet hours', () => {
	it('holds a reminder back until quiet hours end, overnight', () => {
		const plan = buildPlan(
			protocol,
			[aTreatment()],
			somePreferences({ eveningTime: '22:30', quietHours: { start: '22:00', end: '07:00' } })
		);
		const firstIce = ofTask(plan, 'ice-pack')[0]!;
		expect(firstIce).toMatchObject({
			id: 't1:ice-pack:2026-12-14:evening',
			date: '2026-12-15',
			day: 1,
			// Still the treatment day's evening occurrence, whatever the clock says.
			planDay: 0,
			slot: 'evening',
			time: '07:00',
			movedForQuietHours: true
		});
		expect(iso(firstIce.at)).toBe('2026-12-15T06:00:00.000Z');
	});

	it('leaves reminders outside quiet hours and appointment reminders where they are', () => {
		const plan = buildPlan(
			protocol,
			[aTreatment({ time: '07:30' })],
			somePreferences({ quietHours: { start: '22:00', end: '08:00' } })
		);
		expect(ofTask(plan, 'appointment')[0]).toMatchObject({
			time: '05:30',
			movedForQuietHours: false
		});
		expect(ofTask(plan, 'sun-avoidance')[0]).toMatchObject({
			time: '09:00',
			movedForQuietHours: false
		});
	});
});

describe('pendingReminders', () => {
	const plan = buildPlan(protocol, [aTreatment()], somePreferences(), withCream);
	const now = zonedInstant('2026-12-15', '12:00', 'Europe/Berlin');
	const none = new Set<string>();

	it('lists only future reminders that are not done', () => {
		const pending = pendingReminders(plan, now, new Set(['t1:ice-pack:2026-12-15:evening']), none);
		expect(pending[0]!.id).toBe('t1:ice-pack:2026-12-16:morning');
		expect(pending.map((task) => task.id)).not.toContain('t1:ice-pack:2026-12-15:evening');
		expect(pending.some((task) => task.at <= now || !task.remind)).toBe(false);
		expect(pending.length).toBeGreaterThan(10);
	});

	it('never schedules again a reminder whose time came, when a later reminder time moves it ahead', () => {
		// At 10:00 the 09:00 ice pack has fired; the patient then moves mornings to 11:00.
		const tenOClock = zonedInstant('2026-12-15', '10:00', 'Europe/Berlin');
		const reached = new Set(reachedIds(plan, tenOClock));
		const later = buildPlan(protocol, [aTreatment()], somePreferences({ morningTime: '11:00' }));
		const pending = pendingReminders(later, tenOClock, none, reached);
		expect(later.find((task) => task.id === 't1:ice-pack:2026-12-15:morning')!.at).toBeGreaterThan(
			tenOClock
		);
		expect(pending.map((task) => task.id)).not.toContain('t1:ice-pack:2026-12-15:morning');
		expect(pending[0]!.id).toBe('t1:ice-pack:2026-12-15:evening');
		// Without the record of what was reached, it would have come back.
		expect(pendingReminders(later, tenOClock, none, none)[0]!.id).toBe(
			't1:ice-pack:2026-12-15:morning'
		);
	});

	it('records as reached only what a change brings back, so yesterday stays yesterday', () => {
		const tenOClock = zonedInstant('2026-12-15', '10:00', 'Europe/Berlin');
		const later = buildPlan(
			protocol,
			[aTreatment()],
			somePreferences({ morningTime: '11:00' }),
			withCream
		);
		// Only this morning's steps move from 09:00 (come) to 11:00 (ahead); yesterday's stay.
		expect(broughtBack(plan, later, tenOClock)).toEqual([
			't1:ice-pack:2026-12-15:morning',
			't1:makeup-allowed:2026-12-15:morning',
			't1:sun-avoidance:2026-12-15:morning',
			// New and already past: at 11:00 the treatment day's morning ice pack falls after the
			// 10:00 appointment, a step the patient was never asked to do.
			't1:ice-pack:2026-12-14:morning'
		]);
		expect(
			pendingReminders(later, tenOClock, none, new Set(broughtBack(plan, later, tenOClock)))[0]!.id
		).toBe('t1:ice-pack:2026-12-15:evening');
		expect(broughtBack(plan, plan, tenOClock)).toEqual([]);
	});

	it('records as reached what a change adds in the past: nothing new is ever "missed"', () => {
		const midPreparation = zonedInstant('2026-11-24', '12:00', 'Europe/Berlin');
		const without = buildPlan(protocol, [aTreatment()], somePreferences());
		const optedIn = buildPlan(protocol, [aTreatment()], somePreferences(), withCream);
		const recorded = broughtBack(without, optedIn, midPreparation);
		const pastCream = optedIn.filter(
			(task) => task.taskId === 'vitamin-cream' && task.at <= midPreparation
		);
		expect(pastCream.length).toBeGreaterThan(5);
		expect(recorded).toEqual(expect.arrayContaining(pastCream.map((task) => task.id)));
		// Nothing still ahead is recorded: tonight's cream is reminded.
		expect(
			optedIn.filter((task) => recorded.includes(task.id) && task.at > midPreparation)
		).toEqual([]);
	});

	it('schedules the new days of a moved treatment, and keeps ticks of days that stay', () => {
		const before = zonedInstant('2026-11-24', '12:00', 'Europe/Berlin');
		const done = new Set(['t1:vitamin-cream:2026-11-24:evening']);
		const moved = buildPlan(
			protocol,
			[aTreatment({ date: '2026-12-21' })],
			somePreferences(),
			withCream
		);
		const pending = pendingReminders(moved, before, done, new Set(reachedIds(plan, before)));
		const cream = pending
			.filter((task) => task.taskId === 'vitamin-cream')
			.map((task) => task.date);
		// Today's cream was ticked and stays ticked; the rest of the month moves with the treatment.
		expect(moved.some((task) => task.id === 't1:vitamin-cream:2026-11-24:evening')).toBe(true);
		expect(cream[0]).toBe('2026-11-25');
		expect(cream.at(-1)).toBe('2026-12-20');
	});
});

describe('tasks that stay until the appointment (untilTreatment)', () => {
	it('open after the previous session when their phase comes before every session', () => {
		const everySession = {
			...protocol,
			phases: protocol.phases.map((phase) => ({ ...phase, firstSessionOnly: false }))
		};
		const first = aTreatment({ id: 'a' });
		const second = aTreatment({ id: 'b', date: '2027-01-11', seriesNumber: 2 });
		const consultations = ofTask(
			buildPlan(everySession, [second, first], somePreferences()),
			'consultation'
		);
		expect(consultations.map((task) => [task.treatmentId, task.window])).toEqual([
			['a', { from: null, until: zonedInstant('2026-12-14', '10:00', 'Europe/Berlin') }],
			[
				'b',
				{
					from: zonedInstant('2026-12-14', '10:00', 'Europe/Berlin'),
					until: zonedInstant('2027-01-11', '10:00', 'Europe/Berlin')
				}
			]
		]);
	});

	it('puts an early appointment’s reminder on the evening before', () => {
		const plan = buildPlan(protocol, [aTreatment({ time: '01:00' })], somePreferences());
		expect(ofTask(plan, 'appointment')[0]).toMatchObject({
			date: '2026-12-13',
			time: '23:00',
			day: -1
		});
	});
});
