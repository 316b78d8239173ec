import type { Protocol } from './protocol';
import type { ScreeningMoment } from './screening';
import { appointmentAt, type PlannedTask, type Treatment } from './schedule';
import { addDays, daysBetween, localParts } from './zoned-time';

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
	/**
	 * Reminders of an appointment (`appointment` tasks) due today, until it begins: shown, never
	 * ticked off.
	 */
	appointments: PlannedTask[];
	/**
	 * Tasks that stay on Today until the appointment (`untilTreatment`, the consultation), ticked
	 * off or not: a ticked one folds away but can be unticked.
	 */
	beforeTreatment: PlannedTask[];
	/** Care steps whose time has come (or passed) today. */
	now: PlannedTask[];
	/** Care steps later today. */
	later: PlannedTask[];
	/** Advice for the whole of today (`allDay`): not a step at a time. */
	allDay: PlannedTask[];
	/**
	 * Care of yesterday that was not ticked off, to tick off late; not what was due before the
	 * patient had the plan (reached before it was made).
	 */
	missed: PlannedTask[];
	/** What to expect today: information, nothing to tick; what is tied to the appointment
	 * only until it begins. */
	expect: PlannedTask[];
}

/**
 * Splits the plan's entries for the patient's current day into what Today shows.
 * @param plan the plan from `buildPlan`
 * @param now the current instant, epoch milliseconds
 * @param timeZone the patient's zone, which decides what "today" is
 * @param done ids of the occurrences ticked off
 * @param reached ids of the occurrences whose time had come when the plan was made or changed
 */
export function agendaFor(
	plan: readonly PlannedTask[],
	now: number,
	timeZone: string,
	done: ReadonlySet<string>,
	reached: ReadonlySet<string>
): Agenda {
	const today = localParts(now, timeZone).date;
	const yesterday = addDays(today, -1);
	const dated = plan.filter((task) => task.window === null);
	const todays = dated.filter((task) => task.date === today);
	const steps = todays.filter((task) => task.kind === 'care' && !task.allDay);
	const ahead = (task: PlannedTask) =>
		task.appointmentStart === null || now < task.appointmentStart;
	return {
		appointments: todays.filter((task) => task.kind === 'appointment' && ahead(task)),
		beforeTreatment: plan.filter(
			(task) =>
				task.window !== null &&
				(task.window.from === null || task.window.from <= now) &&
				now < task.window.until
		),
		now: steps.filter((task) => task.at <= now),
		later: steps.filter((task) => task.at > now),
		allDay: todays.filter((task) => task.kind === 'care' && task.allDay),
		missed: dated.filter(
			(task) =>
				task.date === yesterday &&
				task.kind === 'care' &&
				!done.has(task.id) &&
				!reached.has(task.id)
		),
		expect: todays.filter((task) => task.kind === 'info' && ahead(task))
	};
}

/**
 * Where the patient is for the screening advice: before a session, on its day before the
 * appointment, or past it (in aftercare, or with no session ahead).
 * @param current from {@link standing}
 * @param now the current instant
 */
export function screeningMoment(current: Standing, now: number): ScreeningMoment {
	if (current.treatmentToday) {
		return now < appointmentAt(current.treatmentToday) ? 'treatment-day' : 'after';
	}
	return current.upcoming && !current.aftercare ? 'before' : 'after';
}

/**
 * Whether Today invites a skin check-in: in aftercare, and on the treatment day once the
 * appointment has begun (before it there is nothing to check).
 * @param current from {@link standing}
 * @param now the current instant
 */
export function invitesCheckIn(current: Standing, now: number): boolean {
	return (
		current.aftercare !== null ||
		(current.treatmentToday !== null && now >= appointmentAt(current.treatmentToday))
	);
}
