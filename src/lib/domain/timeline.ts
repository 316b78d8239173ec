import type { Protocol } from './protocol';
import type { PlannedTask, Treatment } from './schedule';

/** One day of one phase, as the Timeline lists it. */
export interface TimelineDay {
	date: string;
	day: number;
	tasks: PlannedTask[];
}

/** One phase of one session. */
export interface TimelinePhase {
	phase: Protocol['phases'][number];
	days: TimelineDay[];
	/** Its last date: the last day with a task, or the treatment day for a task open until it. */
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
}

/**
 * Groups the plan by session, then phase (in protocol order), then day.
 * @param protocol gives the phases and their order
 * @param plan the plan from `buildPlan`
 * @param sessions treatments in date order
 * @param today the patient's local date
 */
export function timeline(
	protocol: Protocol,
	plan: readonly PlannedTask[],
	sessions: readonly Treatment[],
	today: string
): TimelineSession[] {
	return sessions.map((treatment) => ({
		treatment,
		phases: protocol.phases.flatMap((phase) => {
			const tasks = plan.filter(
				(task) => task.treatmentId === treatment.id && task.phase === phase.id
			);
			if (tasks.length === 0) {
				return [];
			}
			const days: TimelineDay[] = [];
			for (const task of tasks) {
				const last = days.at(-1);
				if (last?.date === task.date) {
					last.tasks.push(task);
				} else {
					days.push({ date: task.date, day: task.day, tasks: [task] });
				}
			}
			const first = days[0]!.date;
			const last = days.at(-1)!.date;
			// A task that stays until the appointment (the consultation) keeps its phase going.
			const end =
				tasks.some((task) => task.window) && treatment.date > last ? treatment.date : last;
			return [{ phase, days, end, past: end < today, current: first <= today && today <= end }];
		})
	}));
}
