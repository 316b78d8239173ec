import { describe, expect, it } from 'vitest';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { defaultProtocol } from './default-protocol';
import { buildPlan } from './schedule';
import { questionsToRaise } from './screening';
import { agendaFor, standing } from './today';
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
	it('shows the vitamin cream later today, 20 days before treatment', () => {
		const agenda = agendaFor(plan, at('2026-11-24', '08:00'), 'Europe/Berlin');
		expect(agenda.now).toEqual([]);
		expect(agenda.later.map((task) => task.taskId)).toEqual(['vitamin-cream']);
	});

	it('moves a task to "now" once its time has come', () => {
		const agenda = agendaFor(plan, at('2026-11-24', '20:00'), 'Europe/Berlin');
		expect(agenda.now.map((task) => task.taskId)).toEqual(['vitamin-cream']);
	});

	it('the day after treatment: makeup allowed, ice pack and sun care', () => {
		const agenda = agendaFor(plan, at('2026-12-15', '12:00'), 'Europe/Berlin');
		expect(agenda.expect.map((task) => task.taskId)).toEqual([
			'makeup-allowed',
			'redness-swelling'
		]);
		expect(agenda.now.map((task) => task.taskId)).toEqual(['ice-pack', 'sun-avoidance']);
		expect(agenda.later.map((task) => task.taskId)).toEqual(['ice-pack']);
	});

	it('decides what "today" is in the patient\'s zone', () => {
		// 23:30 UTC on the 14th is already the 15th in Berlin.
		const agenda = agendaFor(plan, Date.parse('2026-12-14T23:30:00Z'), 'Europe/Berlin');
		expect(agenda.expect.map((task) => task.date)).toContain('2026-12-15');
	});
});

describe('questionsToRaise', () => {
	it('flags "yes" and "not sure" answers, never blocks on "no"', () => {
		const flagged = questionsToRaise(protocol, { acne: 'yes', blood: 'no', keloids: 'unsure' });
		expect(flagged.map((question) => question.id)).toEqual(['acne', 'keloids']);
		expect(questionsToRaise(protocol, {})).toEqual([]);
	});
});
