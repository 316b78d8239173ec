import { describe, expect, it } from 'vitest';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { defaultProtocol } from './default-protocol';
import { buildPlan, type PlannedTask } from './schedule';
import { findRuns, timeline, type TimelineSession } from './timeline';

const protocol = defaultProtocol();
const cream = new Set(['vitamin-cream']);

/** The phase of a session with this id. */
const phaseOf = (session: TimelineSession | undefined, id: string) =>
	session!.phases.find((phase) => phase.phase.id === id)!;

/** A daily occurrence, for the run finder; only what it reads matters. */
function occurrence(
	date: string,
	time = '20:00',
	overrides: Partial<PlannedTask> = {}
): PlannedTask {
	return {
		id: `t1:vitamin-cream:${date}:evening`,
		taskId: 'vitamin-cream',
		treatmentId: 't1',
		phase: 'preparation',
		kind: 'care',
		day: 0,
		planDay: 0,
		slot: 'evening',
		date,
		time,
		at: 0,
		remind: true,
		movedForQuietHours: false,
		allDay: false,
		window: null,
		appointmentStart: null,
		...overrides
	};
}

describe('findRuns', () => {
	it('joins the same task at the same time on consecutive days', () => {
		const runs = findRuns([
			occurrence('2027-04-01'),
			occurrence('2027-04-02'),
			occurrence('2027-04-03')
		]);
		expect(runs.map((run) => run.map((task) => task.date))).toEqual([
			['2027-04-01', '2027-04-02', '2027-04-03']
		]);
	});

	it('starts a new run after a missing day or at another time, and leaves single days out', () => {
		const runs = findRuns([
			occurrence('2027-04-01'),
			occurrence('2027-04-02'),
			// a gap
			occurrence('2027-04-04'),
			occurrence('2027-04-05'),
			// another time
			occurrence('2027-04-06', '21:00'),
			// alone again
			occurrence('2027-04-08')
		]);
		expect(runs.map((run) => run.map((task) => task.date))).toEqual([
			['2027-04-01', '2027-04-02'],
			['2027-04-04', '2027-04-05']
		]);
	});

	it('keeps a morning and an evening of one task apart, and never joins the consultation', () => {
		const morning = { slot: 'morning' as const };
		const runs = findRuns([
			occurrence('2027-04-01', '09:00', morning),
			occurrence('2027-04-01'),
			occurrence('2027-04-02', '09:00', morning),
			occurrence('2027-04-02'),
			occurrence('2027-04-03', '09:00', { window: { from: null, until: 0 } }),
			occurrence('2027-04-04', '09:00', { window: { from: null, until: 0 } })
		]);
		expect(runs.map((run) => [run[0]!.slot, run.length])).toEqual([
			['morning', 2],
			['evening', 2]
		]);
	});

	it('keeps a month of evenings as one run across the change to summer time', () => {
		// Berlin moves its clocks on 28 March 2027; the cream runs 9 March to 7 April.
		const treatment = aTreatment({ date: '2027-04-08', time: '10:30' });
		const plan = buildPlan(protocol, [treatment], somePreferences(), cream);
		const creamRuns = findRuns(plan).filter((run) => run[0]!.taskId === 'vitamin-cream');
		expect(creamRuns).toHaveLength(1);
		expect(creamRuns[0]).toHaveLength(30);
		expect(creamRuns[0]!.at(-1)!.date).toBe('2027-04-07');
	});

	it('keeps evenings moved out of quiet hours to the next morning as one run', () => {
		const treatment = aTreatment({ date: '2027-04-08' });
		const preferences = somePreferences({
			eveningTime: '23:00',
			quietHours: { start: '22:00', end: '07:00' }
		});
		const plan = buildPlan(protocol, [treatment], preferences, cream);
		const [run] = findRuns(plan).filter((found) => found[0]!.taskId === 'vitamin-cream');
		expect(run).toHaveLength(30);
		expect(run!.every((task) => task.time === '07:00' && task.movedForQuietHours)).toBe(true);
	});
});

describe('timeline', () => {
	const treatment = aTreatment({ date: '2026-12-14' });
	const plan = buildPlan(protocol, [treatment], somePreferences());

	it('lists the phases of a session in protocol order', () => {
		const [session] = timeline(protocol, plan, [treatment], '2026-12-16');
		expect(session!.phases.map((phase) => phase.phase.id)).toEqual([
			'preparation',
			'treatment',
			'recovery',
			'healing',
			'series'
		]);
	});

	it('lists each day once, in the first phase with a task on it, with all of its tasks', () => {
		const [session] = timeline(protocol, plan, [treatment], '2026-12-16');
		const dates = session!.phases.flatMap((phase) => phase.days.map((day) => day.date));
		expect(new Set(dates).size).toBe(dates.length);
		expect(phaseOf(session, 'treatment').days.map((day) => day.day)).toEqual([0]);
		// Day 1 has a step of its own (makeup); day 2 is today; days 3 to 14 only repeat.
		const recovery = phaseOf(session, 'recovery');
		expect(recovery.days.map((day) => day.day)).toEqual([1, 2]);
		expect(recovery.days[0]!.entries.map((entry) => entry.task.taskId)).toEqual([
			'ice-pack',
			'makeup-allowed',
			'sun-avoidance',
			'redness-swelling',
			'ice-pack'
		]);
		expect(phaseOf(session, 'healing').days).toEqual([]);
		expect(phaseOf(session, 'series').days.map((day) => day.day)).toEqual([28]);
	});

	it('reads repeated steps as runs, in the phase they belong to', () => {
		const [session] = timeline(protocol, plan, [treatment], '2026-12-16');
		const runs = (id: string) =>
			phaseOf(session, id).runs.map((run) => [
				run.tasks[0]!.taskId,
				run.tasks[0]!.slot,
				run.from,
				run.until
			]);
		expect(runs('recovery')).toEqual([
			['redness-swelling', 'evening', '2026-12-14', '2026-12-19'],
			['ice-pack', 'evening', '2026-12-14', '2026-12-17'],
			['ice-pack', 'morning', '2026-12-15', '2026-12-17']
		]);
		expect(runs('healing')).toEqual([['sun-avoidance', 'morning', '2026-12-15', '2026-12-28']]);
		expect(phaseOf(session, 'healing')).toMatchObject({
			start: '2026-12-15',
			end: '2026-12-28',
			current: true
		});
	});

	it('reads a month of cream as one run, with a row for today only', () => {
		const withCream = buildPlan(protocol, [treatment], somePreferences(), cream);
		const [session] = timeline(protocol, withCream, [treatment], '2026-11-24');
		const preparation = phaseOf(session, 'preparation');
		expect(preparation.runs.map((run) => [run.from, run.until, run.tasks.length])).toEqual([
			['2026-11-14', '2026-12-13', 30]
		]);
		// The consultation's day, and today.
		expect(preparation.days.map((day) => day.date)).toEqual(['2026-11-14', '2026-11-24']);
	});

	it('says what was done and what was missed on past days, and leaves information alone', () => {
		const done = new Set(['t1:ice-pack:2026-12-15:morning', 't1:ice-pack:2026-12-14:evening']);
		const [session] = timeline(protocol, plan, [treatment], '2026-12-17', done);
		const dayOne = phaseOf(session, 'recovery').days[0]!;
		expect(dayOne.entries.map((entry) => [entry.task.taskId, entry.status])).toEqual([
			['ice-pack', 'done'],
			['makeup-allowed', null],
			['sun-avoidance', 'missed'],
			['redness-swelling', null],
			['ice-pack', 'missed']
		]);
		const today = phaseOf(session, 'recovery').days.find((day) => day.date === '2026-12-17')!;
		expect(
			today.entries.filter((entry) => entry.task.kind === 'care').map((e) => e.status)
		).toEqual(['to-do', 'to-do', 'to-do']);
		const progress = phaseOf(session, 'recovery').runs.map((run) => run.progress);
		expect(progress).toEqual([null, { done: 1, of: 3 }, { done: 1, of: 2 }]);
	});

	it('never calls missed what was due before the patient had the plan', () => {
		const reached = new Set(['t1:sun-avoidance:2026-12-15:morning']);
		const [session] = timeline(protocol, plan, [treatment], '2026-12-17', new Set(), reached);
		const sun = phaseOf(session, 'recovery').days[0]!.entries[2]!;
		expect(sun).toMatchObject({ task: { taskId: 'sun-avoidance' }, status: null });
		expect(phaseOf(session, 'healing').runs[0]!.progress).toEqual({ done: 0, of: 1 });
	});

	it('keeps the preparation going until the treatment while the consultation stays open', () => {
		// Without the cream, the consultation (reminded 30 days before) is its only task.
		const [session] = timeline(protocol, plan, [treatment], '2026-11-20');
		expect(session!.phases[0]).toMatchObject({
			phase: { id: 'preparation' },
			start: '2026-11-14',
			end: '2026-12-14',
			past: false,
			current: true
		});
		expect(session!.phases[0]!.days.map((day) => day.date)).toEqual(['2026-11-14']);
		expect(session!.phases[0]!.days[0]!.entries[0]!.status).toBe('to-do');
		const [after] = timeline(protocol, plan, [treatment], '2026-12-15');
		expect(after!.phases[0]!.days[0]!.entries[0]!.status).toBe('missed');
	});

	describe('a series', () => {
		const next = aTreatment({ id: 't2', date: '2027-01-11', seriesNumber: 2 });
		const series = buildPlan(protocol, [treatment, next], somePreferences());
		const on = (today: string) => timeline(protocol, series, [treatment, next], today);

		it('keeps the sessions apart', () => {
			const sessions = on('2026-12-16');
			expect(sessions.map((session) => session.treatment.id)).toEqual(['t1', 't2']);
			expect(sessions[1]!.phases.map((phase) => phase.phase.id)).not.toContain('preparation');
		});

		it('makes the session the patient is in the current one, and the ones before it past', () => {
			const flags = (today: string) =>
				on(today).map((session) => [session.treatment.id, session.past, session.current]);
			expect(flags('2026-12-16')).toEqual([
				['t1', false, true],
				['t2', false, false]
			]);
			// Between the sessions: the first one's care is over.
			expect(flags('2026-12-30')).toEqual([
				['t1', true, false],
				['t2', false, true]
			]);
			expect(flags('2027-06-01')).toEqual([
				['t1', true, false],
				['t2', false, true]
			]);
		});
	});
});
