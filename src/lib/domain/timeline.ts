import type { Protocol } from './protocol';
import type { PlannedTask, Treatment } from './schedule';
import { addDays } from './zoned-time';

/**
 * How an entry stands: ticked off; not ticked off on a day now past ("missed"); still to do; or
 * null when there is nothing to tick (information, an appointment) or it was due before the
 * patient had the plan.
 */
export type EntryStatus = 'done' | 'missed' | 'to-do' | null;

/** One occurrence on a day of the Timeline. */
export interface TimelineEntry {
	task: PlannedTask;
	status: EntryStatus;
}

/** One day, listed once, with everything due on it. */
export interface TimelineDay {
	date: string;
	day: number;
	entries: TimelineEntry[];
}

/**
 * A task repeated on consecutive days at the same wall-clock time ("every evening at 20:00 until
 * 7 Apr"), read as one line instead of a row a day.
 */
export interface TimelineRun {
	/** The occurrences, one a day, in date order: two or more. */
	tasks: PlannedTask[];
	from: string;
	until: string;
	/**
	 * Of the days before today on which the patient was asked to do it: how many, and on how many
	 * it was ticked off. Null for information, or before the first such day.
	 */
	progress: { done: number; of: number } | null;
}

/** One phase of one session. */
export interface TimelinePhase {
	phase: Protocol['phases'][number];
	/** The phase's repeated tasks. */
	runs: TimelineRun[];
	/**
	 * Days shown one by one: those with something that is not a repeat, and today. A day sits in
	 * the first phase (protocol order) with a task on it, so it appears once.
	 */
	days: TimelineDay[];
	start: string;
	/** Its last date; the treatment day for a task open until it. */
	end: string;
	/** Whether every day of the phase is before `today`. */
	past: boolean;
	/** Whether `today` falls inside the phase. */
	current: boolean;
}

/** One session with its phases. */
export interface TimelineSession {
	treatment: Treatment;
	phases: TimelinePhase[];
	start: string;
	end: string;
	/** The session the patient is in: the first one not over yet, or else the last. */
	current: boolean;
	/** A session before the current one. */
	past: boolean;
}

/**
 * Finds the repeats in a session's tasks: the same task at the same wall-clock time in the
 * patient's zone on consecutive days. A missing day or another time starts a new run; a change
 * to or from summer time does not, since the wall-clock time stays the same.
 * @param tasks occurrences from `buildPlan`, in its order
 * @returns runs of two or more occurrences, each in date order
 */
export function findRuns(tasks: readonly PlannedTask[]): PlannedTask[][] {
	const runs: PlannedTask[][] = [];
	const latest = new Map<string, PlannedTask[]>();
	for (const task of tasks) {
		// A checklist open until the treatment, and what is tied to the appointment, never repeat.
		if (task.window || task.slot === 'appointment') {
			continue;
		}
		const key = `${task.treatmentId} ${task.taskId} ${task.slot}`;
		const run = latest.get(key);
		const last = run?.at(-1);
		if (run && last && addDays(last.date, 1) === task.date && last.time === task.time) {
			run.push(task);
		} else {
			const next = [task];
			latest.set(key, next);
			runs.push(next);
		}
	}
	return runs.filter((run) => run.length > 1);
}

/** `Map.groupBy`, which Node 20 and older phones lack; keys in first-seen order. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const item of items) {
		const key = keyOf(item);
		const group = groups.get(key);
		if (group) {
			group.push(item);
		} else {
			groups.set(key, [item]);
		}
	}
	return groups;
}

/**
 * Groups the plan by session, then phase (in protocol order): each phase's repeats as runs, and
 * its days, each day once, with how every step stands.
 * @param protocol gives the phases and their order
 * @param plan the plan from `buildPlan`
 * @param sessions treatments in date order
 * @param today the patient's local date
 * @param done ids of the occurrences ticked off
 * @param reached ids of the occurrences due before the patient had the plan (never "missed")
 */
export function timeline(
	protocol: Protocol,
	plan: readonly PlannedTask[],
	sessions: readonly Treatment[],
	today: string,
	done: ReadonlySet<string> = new Set(),
	reached: ReadonlySet<string> = new Set()
): TimelineSession[] {
	const order = new Map(protocol.phases.map((phase, index) => [phase.id, index]));
	const byTreatment = groupBy(plan, (task) => task.treatmentId);
	const asked = (task: PlannedTask) => done.has(task.id) || !reached.has(task.id);

	const status = (task: PlannedTask, treatment: Treatment): EntryStatus => {
		if (task.kind !== 'care') {
			return null;
		}
		if (done.has(task.id)) {
			return 'done';
		}
		// The consultation checklist stays open until the treatment, whenever its reminder was.
		const over = task.window ? treatment.date < today : task.date < today;
		if (!over) {
			return 'to-do';
		}
		return task.window || asked(task) ? 'missed' : null;
	};

	const built = sessions.map((treatment) => {
		const tasks = byTreatment.get(treatment.id) ?? [];
		const runs = findRuns(tasks);
		const repeated = new Set(runs.flat().map((task) => task.id));
		const runsByPhase = groupBy(runs, (run) => run[0]!.phase);

		const daysByPhase = new Map<string, TimelineDay[]>();
		for (const [date, ofDay] of groupBy(tasks, (task) => task.date)) {
			if (date !== today && ofDay.every((task) => repeated.has(task.id))) {
				continue;
			}
			const phase = ofDay.reduce((first, task) =>
				(order.get(task.phase) ?? 0) < (order.get(first.phase) ?? 0) ? task : first
			).phase;
			const list = daysByPhase.get(phase) ?? [];
			list.push({
				date,
				day: ofDay[0]!.day,
				entries: ofDay.map((task) => ({ task, status: status(task, treatment) }))
			});
			daysByPhase.set(phase, list);
		}

		const phases = protocol.phases.flatMap((phase): TimelinePhase[] => {
			const phaseRuns = (runsByPhase.get(phase.id) ?? []).map((run): TimelineRun => {
				const past = run.filter((task) => task.date < today && asked(task));
				return {
					tasks: run,
					from: run[0]!.date,
					until: run.at(-1)!.date,
					progress:
						run[0]!.kind === 'care' && past.length > 0
							? { done: past.filter((task) => done.has(task.id)).length, of: past.length }
							: null
				};
			});
			const days = (daysByPhase.get(phase.id) ?? []).sort((a, b) => a.date.localeCompare(b.date));
			if (phaseRuns.length === 0 && days.length === 0) {
				return [];
			}
			const dates = [
				...days.map((day) => day.date),
				...phaseRuns.flatMap((run) => [run.from, run.until]),
				// A task that stays until the appointment (the consultation) keeps its phase going.
				...(days.some((day) => day.entries.some((entry) => entry.task.window))
					? [treatment.date]
					: [])
			].sort();
			const start = dates[0]!;
			const end = dates.at(-1)!;
			return [
				{
					phase,
					runs: phaseRuns,
					days,
					start,
					end,
					past: end < today,
					current: start <= today && today <= end
				}
			];
		});
		const dates = phases.flatMap((phase) => [phase.start, phase.end]).sort();
		return { treatment, phases, start: dates[0] ?? treatment.date, end: dates.at(-1) ?? '' };
	});

	const found = built.findIndex((session) => session.end >= today);
	const current = found === -1 ? built.length - 1 : found;
	return built.map((session, index) => ({
		...session,
		current: index === current,
		past: index < current
	}));
}
