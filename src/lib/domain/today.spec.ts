import { describe, expect, it } from 'vitest';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { defaultProtocol } from './default-protocol';
import { buildPlan, reachedIds } from './schedule';
import { questionsToRaise } from './screening';
import { agendaFor, invitesCheckIn, screeningMoment, standing } from './today';
import { zonedInstant } from './zoned-time';

const protocol = defaultProtocol();
const treatment = aTreatment({ date: '2026-12-14', time: '10:00' });
const plan = buildPlan(protocol, [treatment], somePreferences());
const at = (date: string, time: string) => zonedInstant(date, time, 'Europe/Berlin');

describe('standing', () => {
	it('counts the days until treatment', () => {
		expect(standing(protocol, plan, [treatment], '2026-11-24')).toMatchObject({
			treatmentToday: null,
			aftercare: null,
			upcoming: { daysUntil: 20 }
		});
	});

	it('knows the treatment day', () => {
		expect(standing(protocol, plan, [treatment], '2026-12-14').treatmentToday).toBe(treatment);
	});

	it('is in recovery up to the expected five days, then healing while aftercare lasts', () => {
		expect(standing(protocol, plan, [treatment], '2026-12-16').aftercare).toMatchObject({
			day: 2,
			stage: 'recovery'
		});
		expect(standing(protocol, plan, [treatment], '2026-12-19').aftercare).toMatchObject({
			day: 5,
			stage: 'recovery'
		});
		expect(standing(protocol, plan, [treatment], '2026-12-20').aftercare).toMatchObject({
			day: 6,
			stage: 'healing'
		});
		expect(standing(protocol, plan, [treatment], '2026-12-28').aftercare).toMatchObject({
			day: 14,
			stage: 'healing'
		});
		// The next-session nudge on day 28 is not aftercare.
		expect(standing(protocol, plan, [treatment], '2026-12-29').aftercare).toBeNull();
	});

	it('shows recovery from one session and the countdown to the next together', () => {
		const next = aTreatment({ id: 't2', date: '2026-12-18', seriesNumber: 2 });
		const both = buildPlan(protocol, [treatment, next], somePreferences());
		expect(standing(protocol, both, [next, treatment], '2026-12-16')).toMatchObject({
			aftercare: { treatment: { id: 't1' }, day: 2 },
			upcoming: { treatment: { id: 't2' }, daysUntil: 2 },
			expectedDays: 5
		});
	});
});

describe('agendaFor', () => {
	const none = new Set<string>();
	const withCream = buildPlan(protocol, [treatment], somePreferences(), new Set(['vitamin-cream']));
	const ids = (tasks: { taskId: string }[]) => tasks.map((task) => task.taskId);

	it('shows the vitamin cream later today, 20 days before treatment, when it was asked for', () => {
		const agenda = agendaFor(withCream, at('2026-11-24', '08:00'), 'Europe/Berlin', none, none);
		expect(agenda.now).toEqual([]);
		expect(ids(agenda.later)).toEqual(['vitamin-cream']);
	});

	it('moves a task to "now" once its time has come', () => {
		const agenda = agendaFor(withCream, at('2026-11-24', '20:00'), 'Europe/Berlin', none, none);
		expect(ids(agenda.now)).toEqual(['vitamin-cream']);
	});

	it('keeps the consultation checklist from the first day until the appointment, ticked or not', () => {
		for (const [date, time] of [
			['2026-09-01', '12:00'],
			['2026-11-15', '12:00'],
			['2026-12-14', '09:59']
		] as const) {
			const agenda = agendaFor(plan, at(date, time), 'Europe/Berlin', none, none);
			expect(ids(agenda.beforeTreatment), `${date} ${time}`).toEqual(['consultation']);
			expect(ids([...agenda.now, ...agenda.later, ...agenda.missed])).not.toContain('consultation');
		}
		const ticked = new Set(['t1:consultation:until-treatment:morning']);
		expect(
			ids(agendaFor(plan, at('2026-11-20', '12:00'), 'Europe/Berlin', ticked, none).beforeTreatment)
		).toEqual(['consultation']);
		expect(
			agendaFor(plan, at('2026-12-14', '10:00'), 'Europe/Berlin', none, none).beforeTreatment
		).toEqual([]);
	});

	it('shows the appointment on its day apart from the care steps, and nothing to tick before it', () => {
		const agenda = agendaFor(plan, at('2026-12-14', '07:30'), 'Europe/Berlin', none, none);
		expect(ids(agenda.appointments)).toEqual(['appointment']);
		expect(
			[...agenda.now, ...agenda.later].filter((task) => task.at < at('2026-12-14', '10:00'))
		).toEqual([]);
		expect(ids(agenda.expect)).toEqual(expect.arrayContaining(['numbing-cream', 'procedure']));
	});

	it('stops showing the appointment and what leads up to it once the appointment begins', () => {
		const agenda = agendaFor(plan, at('2026-12-14', '12:00'), 'Europe/Berlin', none, none);
		expect(agenda.appointments).toEqual([]);
		expect(ids(agenda.expect)).toEqual(['redness-swelling', 'no-makeup-yet']);
		expect(ids(agenda.later)).toEqual(['ice-pack']);
	});

	it('the day after treatment: makeup allowed, ice pack, and the sun as advice for the whole day', () => {
		const agenda = agendaFor(plan, at('2026-12-15', '12:00'), 'Europe/Berlin', none, none);
		expect(ids(agenda.expect)).toEqual(['makeup-allowed', 'redness-swelling']);
		expect(ids(agenda.now)).toEqual(['ice-pack']);
		expect(ids(agenda.later)).toEqual(['ice-pack']);
		expect(ids(agenda.allDay)).toEqual(['sun-avoidance']);
	});

	it('lists what was not ticked off yesterday, and drops it once ticked', () => {
		const dayTwo = at('2026-12-16', '08:00');
		expect(
			agendaFor(plan, dayTwo, 'Europe/Berlin', none, none).missed.map((task) => task.id)
		).toEqual([
			't1:ice-pack:2026-12-15:morning',
			't1:sun-avoidance:2026-12-15:morning',
			't1:ice-pack:2026-12-15:evening'
		]);
		const ticked = new Set([
			't1:ice-pack:2026-12-15:morning',
			't1:sun-avoidance:2026-12-15:morning'
		]);
		expect(
			agendaFor(plan, dayTwo, 'Europe/Berlin', ticked, none).missed.map((task) => task.id)
		).toEqual(['t1:ice-pack:2026-12-15:evening']);
		// Information, the appointment and the consultation (open until the appointment) are never
		// "missed": on the day after the treatment day, only its evening ice pack is.
		expect(
			agendaFor(plan, at('2026-12-15', '08:00'), 'Europe/Berlin', none, none).missed.map(
				(task) => task.id
			)
		).toEqual(['t1:ice-pack:2026-12-14:evening']);
	});

	it('does not call "missed" what was due before the patient had the plan', () => {
		// Onboarding at 12:00 on day 1: what was due by then is recorded as reached.
		const reached = new Set(reachedIds(plan, at('2026-12-15', '12:00')));
		expect(
			agendaFor(plan, at('2026-12-16', '08:00'), 'Europe/Berlin', none, reached).missed.map(
				(task) => task.id
			)
		).toEqual(['t1:ice-pack:2026-12-15:evening']);
	});

	it('decides what "today" is in the patient\'s zone', () => {
		// 23:30 UTC on the 14th is already the 15th in Berlin.
		const agenda = agendaFor(plan, Date.parse('2026-12-14T23:30:00Z'), 'Europe/Berlin', none, none);
		expect(agenda.expect.map((task) => task.date)).toContain('2026-12-15');
	});
});

describe('screeningMoment and invitesCheckIn', () => {
	const second = aTreatment({ id: 't2', date: '2027-01-11', seriesNumber: 2 });
	const both = buildPlan(protocol, [treatment, second], somePreferences());
	const where = (date: string, time: string) => {
		const current = standing(protocol, both, [treatment, second], date);
		const now = at(date, time);
		return [screeningMoment(current, now), invitesCheckIn(current, now)];
	};

	it('is before the treatment on the days before it, with no check-in', () => {
		expect(where('2026-11-15', '12:00')).toEqual(['before', false]);
		expect(where('2026-12-13', '20:00')).toEqual(['before', false]);
	});

	it('is the treatment day until the appointment begins; only then is a check-in invited', () => {
		expect(where('2026-12-14', '07:30')).toEqual(['treatment-day', false]);
		expect(where('2026-12-14', '10:00')).toEqual(['after', true]);
		expect(where('2026-12-14', '12:00')).toEqual(['after', true]);
	});

	it('is after during aftercare, even with the next session ahead', () => {
		expect(where('2026-12-16', '12:00')).toEqual(['after', true]);
		// Aftercare is over by day 15, and the 2nd session is ahead.
		expect(where('2027-01-05', '12:00')).toEqual(['before', false]);
		expect(where('2027-01-11', '09:00')).toEqual(['treatment-day', false]);
	});
});

describe('questionsToRaise', () => {
	it('flags "yes" and "not sure" answers, never blocks on "no"', () => {
		const flagged = questionsToRaise(protocol, { acne: 'yes', blood: 'no', keloids: 'unsure' });
		expect(flagged.map((question) => question.id)).toEqual(['acne', 'keloids']);
		expect(questionsToRaise(protocol, {})).toEqual([]);
	});
});
