import type { Protocol } from './protocol';
import { appointmentAt, type PlannedTask, type Treatment } from './schedule';
import { daysBetween, localParts } from './zoned-time';

/** Where the patient is in their series today. */
export interface Standing {
	/** A session on today's date. */
	treatmentToday: Treatment | null;
	/** The latest past session whose aftercare is still running, and how far along it is. */
	aftercare: { treatment: Treatment; day: number; stage: 'recovery' | 'healing' } | null;
	/** The next session ahead, and how many days away. */
	upcoming: { treatment: Treatment; daysUntil: number } | null;
	/** Days redness and swelling can last, from the protocol. */
	expectedDays: number;
}

/**
 * Works out where the patient stands: before treatment, on the day, recovering, or healing.
 * @param protocol the care protocol (recovery window, which tasks count as aftercare)
 * @param plan the plan from `buildPlan`
 * @param treatments the sessions the patient entered
 * @param today the patient's local date, `YYYY-MM-DD`
 */
export function standing(
	protocol: Protocol,
	plan: readonly PlannedTask[],
	treatments: readonly Treatment[],
	today: string
): Standing {
	const sessions = [...treatments].sort((a, b) => appointmentAt(a) - appointmentAt(b));
	const treatmentToday = sessions.find((treatment) => treatment.date === today) ?? null;
	const upcomingSession = sessions.find((treatment) => treatment.date > today);
	const past = sessions.filter((treatment) => treatment.date < today).at(-1);

	let aftercare: Standing['aftercare'] = null;
	if (past) {
		const day = daysBetween(past.date, today);
		if (day <= protocol.recovery.expectedDays) {
			aftercare = { treatment: past, day, stage: 'recovery' };
		} else if (aftercareContinues(protocol, plan, past, today)) {
			aftercare = { treatment: past, day, stage: 'healing' };
		}
	}
	return {
		treatmentToday,
		aftercare,
		upcoming: upcomingSession
			? { treatment: upcomingSession, daysUntil: daysBetween(today, upcomingSession.date) }
			: null,
		expectedDays: protocol.recovery.expectedDays
	};
}

/** Whether any after-treatment care of this session (not the next-session nudge) is still ahead. */
function aftercareContinues(
	protocol: Protocol,
	plan: readonly PlannedTask[],
	treatment: Treatment,
	today: string
): boolean {
	const afterPhases = new Set(
		protocol.phases.filter((phase) => phase.afterTreatment).map((phase) => phase.id)
	);
	const seriesTasks = new Set(
		protocol.tasks.filter((task) => task.schedule.kind === 'seriesInterval').map((task) => task.id)
	);
	return plan.some(
		(task) =>
			task.treatmentId === treatment.id &&
			afterPhases.has(task.phase) &&
			!seriesTasks.has(task.taskId) &&
			task.date >= today
	);
}

/** Today's part of the plan, split the way the Today screen shows it. */
export interface Agenda {
	/** Care tasks whose time has come (or passed) today. */
	now: PlannedTask[];
	/** Care tasks later today. */
	later: PlannedTask[];
	/** What to expect today: information, nothing to tick. */
	expect: PlannedTask[];
}

/**
 * Splits the plan's entries for the patient's current day into now, later and what to expect.
 * @param plan the plan from `buildPlan`
 * @param now the current instant, epoch milliseconds
 * @param timeZone the patient's zone, which decides what "today" is
 */
export function agendaFor(plan: readonly PlannedTask[], now: number, timeZone: string): Agenda {
	const today = localParts(now, timeZone).date;
	const todays = plan.filter((task) => task.date === today);
	const care = todays.filter((task) => task.kind === 'care');
	return {
		now: care.filter((task) => task.at <= now),
		later: care.filter((task) => task.at > now),
		expect: todays.filter((task) => task.kind === 'info')
	};
}
