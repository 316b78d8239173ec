import { describe, expect, it } from 'vitest';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { defaultProtocol } from './default-protocol';
import { buildPlan } from './schedule';
import { timeline } from './timeline';

const protocol = defaultProtocol();

describe('timeline', () => {
	const treatment = aTreatment({ date: '2026-12-14' });
	const plan = buildPlan(protocol, [treatment], somePreferences());

	it('lists the phases of a session in protocol order, day by day', () => {
		const [session] = timeline(protocol, plan, [treatment], '2026-12-16');
		expect(session!.phases.map((phase) => phase.phase.id)).toEqual([
			'preparation',
			'treatment',
			'recovery',
			'healing',
			'series'
		]);
		const recovery = session!.phases[2]!;
		expect(recovery.days.map((day) => day.day)).toEqual([0, 1, 2, 3, 4, 5]);
		expect(recovery.days[1]!.tasks.map((task) => task.taskId)).toEqual([
			'ice-pack',
			'makeup-allowed',
			'redness-swelling',
			'ice-pack'
		]);
	});

	it('marks past phases and the current one', () => {
		const [session] = timeline(protocol, plan, [treatment], '2026-12-16');
		const flags = session!.phases.map((phase) => [phase.phase.id, phase.past, phase.current]);
		expect(flags).toEqual([
			['preparation', true, false],
			['treatment', true, false],
			['recovery', false, true],
			['healing', false, true],
			['series', false, false]
		]);
	});

	it('keeps the sessions of a series apart', () => {
		const next = aTreatment({ id: 't2', date: '2027-01-11', seriesNumber: 2 });
		const sessions = timeline(
			protocol,
			buildPlan(protocol, [treatment, next], somePreferences()),
			[treatment, next],
			'2026-12-16'
		);
		expect(sessions.map((session) => session.treatment.id)).toEqual(['t1', 't2']);
		expect(sessions[1]!.phases.map((phase) => phase.phase.id)).not.toContain('preparation');
	});

	it('keeps the preparation going until the treatment while the consultation stays open', () => {
		// Without the cream, the consultation (reminded 30 days before) is its only task.
		const [session] = timeline(protocol, plan, [treatment], '2026-11-20');
		expect(session!.phases[0]).toMatchObject({
			phase: { id: 'preparation' },
			end: '2026-12-14',
			past: false,
			current: true
		});
		expect(session!.phases[0]!.days.map((day) => day.date)).toEqual(['2026-11-14']);
	});
});
