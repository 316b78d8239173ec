import type { Protocol, ProtocolTask, Slot } from './protocol';
import { addDays, daysBetween, localParts, minutesOfDay, zonedInstant } from './zoned-time';

/** The kinds of microneedling the patient can pick; RF is named in the guide. */
export const treatmentTypes = ['standard', 'rf'] as const;
export type TreatmentType = (typeof treatmentTypes)[number];

/** One session of microneedling, as the patient entered it. */
export interface Treatment {
	id: string;
	/** Appointment date and time, on the clinic's clock (`timeZone`). */
	date: string;
	time: string;
	/** Where the appointment is: it stays put when the patient travels. */
	timeZone: string;
	areas: string[];
	type: TreatmentType;
	/** Needle length in millimetres when the provider said it (the guide: 0.5 to 2). */
	needleDepthMm: number | null;
	/** 1 for the first session of a series. */
	seriesNumber: number;
	/** How many sessions the series has, when known. */
	seriesTotal: number | null;
}

/** When the patient wants to be reminded. */
export interface Preferences {
	/** IANA zone the phone is in now; daily reminders follow it. */
	timeZone: string;
	morningTime: string;
	eveningTime: string;
	/** Reminders are held back during these hours (may wrap past midnight); null: none. */
	quietHours: { start: string; end: string } | null;
}

/** One dated occurrence of a protocol task for one treatment. */
export interface PlannedTask {
	/**
	 * Stable across recomputation: the same treatment, task, plan day and time slot always give
	 * the same id, so reminders can be replaced idempotently and completions survive edits.
	 */
	id: string;
	taskId: string;
	treatmentId: string;
	phase: string;
	kind: ProtocolTask['kind'];
	/** Days from the treatment day (0), negative before it. */
	day: number;
	/**
	 * The plan day it belongs to, before quiet hours moved it; with `treatmentId`, `taskId` and
	 * `slot` it names the occurrence whatever the treatment's date (calendar UIDs need that).
	 */
	planDay: number;
	slot: Slot | 'appointment';
	/** The day it is due, in the patient's zone. */
	date: string;
	/** Wall-clock time the task is due, in the patient's zone. */
	time: string;
	/** The exact instant it is due, epoch milliseconds. */
	at: number;
	remind: boolean;
	/** Moved out of the patient's quiet hours. */
	movedForQuietHours: boolean;
	/** Advice for the whole day (`allDay` in the protocol), not a step at `time`. */
	allDay: boolean;
	/**
	 * For a task that stays on Today until it is ticked off (`untilTreatment`): from when (the
	 * previous session's appointment; null for the first session) until when (this session's
	 * appointment), epoch milliseconds. Null for every other task.
	 */
	window: { from: number | null; until: number } | null;
	/**
	 * For an entry tied to the appointment (an `appointment` schedule): when the appointment
	 * starts, epoch milliseconds; Today stops showing it then. Null for every other task.
	 */
	appointmentStart: number | null;
}

/**
 * Builds the whole dated plan for every treatment the patient has entered.
 * @param protocol the validated care protocol
 * @param treatments the sessions of the series, in any order
 * @param preferences reminder times and the patient's current time zone
 * @param optedIn ids of the optional tasks (`askPatient`) the patient said yes to; the others
 *   are left out
 * @returns every occurrence, ordered by due instant
 */
export function buildPlan(
	protocol: Protocol,
	treatments: readonly Treatment[],
	preferences: Preferences,
	optedIn: ReadonlySet<string> = new Set()
): PlannedTask[] {
	const sessions = [...treatments].sort((a, b) => appointmentAt(a) - appointmentAt(b));
	const phaseOrder = new Map(protocol.phases.map((phase, index) => [phase.id, index]));
	const taskOrder = new Map(protocol.tasks.map((task, index) => [task.id, index]));
	const tasks = protocol.tasks.filter((task) => !task.askPatient || optedIn.has(task.id));
	const plan = sessions.flatMap((treatment, index) =>
		tasks.flatMap((task) =>
			occurrences(protocol, task, treatment, {
				isFirst: index === 0,
				isLast: index === sessions.length - 1,
				previous: sessions[index - 1] ?? null,
				preferences
			})
		)
	);
	return plan.sort(
		(a, b) =>
			a.at - b.at ||
			(phaseOrder.get(a.phase) ?? 0) - (phaseOrder.get(b.phase) ?? 0) ||
			(taskOrder.get(a.taskId) ?? 0) - (taskOrder.get(b.taskId) ?? 0)
	);
}

/** The instant the appointment starts. */
export function appointmentAt(treatment: Treatment): number {
	return zonedInstant(treatment.date, treatment.time, treatment.timeZone);
}

/** Whether the series may go on after this session. */
export function moreSessionsExpected(treatment: Treatment): boolean {
	return treatment.seriesTotal === null || treatment.seriesNumber < treatment.seriesTotal;
}

interface SessionContext {
	isFirst: boolean;
	isLast: boolean;
	/** The session before this one, if any. */
	previous: Treatment | null;
	preferences: Preferences;
}

function occurrences(
	protocol: Protocol,
	task: ProtocolTask,
	treatment: Treatment,
	{ isFirst, isLast, previous, preferences }: SessionContext
): PlannedTask[] {
	const phase = protocol.phases.find((candidate) => candidate.id === task.phase);
	if (!phase || (phase.firstSessionOnly && !isFirst)) {
		return [];
	}
	if (task.onlyIf === 'moreSessionsExpected' && !(isLast && moreSessionsExpected(treatment))) {
		return [];
	}
	const appointment = appointmentAt(treatment);
	const base = {
		taskId: task.id,
		treatmentId: treatment.id,
		phase: task.phase,
		kind: task.kind,
		remind: task.remind,
		allDay: task.allDay,
		window: null,
		appointmentStart: null
	};
	const { schedule } = task;

	if (schedule.kind === 'appointment') {
		// Tied to a fixed appointment, so quiet hours do not move it.
		const at = appointment + schedule.minutesFromAppointment * 60_000;
		const local = localParts(at, preferences.timeZone);
		return [
			{
				...base,
				id: `${treatment.id}:${task.id}:${treatment.date}:appointment`,
				day: daysBetween(treatment.date, local.date),
				planDay: 0,
				slot: 'appointment',
				date: local.date,
				time: local.time,
				at,
				movedForQuietHours: false,
				appointmentStart: appointment
			}
		];
	}

	/** When plan day `day` at `slot` falls, moved out of quiet hours. */
	const atSlot = (day: number, slot: Slot) => {
		const date = addDays(treatment.date, day);
		const wanted = slotTime(slot, preferences);
		const time = outsideQuietHours(wanted, preferences.quietHours);
		// Whether it moved into the next day (an evening slot inside overnight quiet hours).
		const nextDay = minutesOfDay(time) < minutesOfDay(wanted);
		const at = zonedInstant(nextDay ? addDays(date, 1) : date, time, preferences.timeZone);
		// Date and day follow the reminder if quiet hours moved it.
		const local = localParts(at, preferences.timeZone);
		return {
			at,
			day: daysBetween(treatment.date, local.date),
			date: local.date,
			time: local.time,
			movedForQuietHours: time !== wanted
		};
	};

	if (schedule.kind === 'untilTreatment') {
		const slot = schedule.times[0]!;
		return [
			{
				...base,
				...atSlot(schedule.from, slot),
				planDay: schedule.from,
				slot,
				// No date in the id: moving the treatment keeps the tick.
				id: `${treatment.id}:${task.id}:until-treatment:${slot}`,
				window: { from: previous ? appointmentAt(previous) : null, until: appointment }
			}
		];
	}

	const days =
		schedule.kind === 'seriesInterval'
			? [protocol.series.intervalDays]
			: dayRange(schedule.from, schedule.to ?? schedule.from, schedule.every);
	return days.flatMap((day) =>
		schedule.times.flatMap((slot): PlannedTask[] => {
			const when = atSlot(day, slot);
			if (phase.afterTreatment && day === 0 && when.at < appointment) {
				return [];
			}
			// The id keeps the plan day, wherever quiet hours moved the reminder.
			const planDate = addDays(treatment.date, day);
			return [
				{
					...base,
					...when,
					planDay: day,
					slot,
					id: `${treatment.id}:${task.id}:${planDate}:${slot}`
				}
			];
		})
	);
}

function dayRange(from: number, to: number, every: number): number[] {
	const days: number[] = [];
	for (let day = from; day <= to; day += every) {
		days.push(day);
	}
	return days;
}

function slotTime(slot: Slot, preferences: Preferences): string {
	return slot === 'morning' ? preferences.morningTime : preferences.eveningTime;
}

/** Whether a wall time falls inside quiet hours, which may wrap past midnight. */
export function inQuietHours(time: string, quietHours: Preferences['quietHours']): boolean {
	if (!quietHours || quietHours.start === quietHours.end) {
		return false;
	}
	const minutes = minutesOfDay(time);
	const start = minutesOfDay(quietHours.start);
	const end = minutesOfDay(quietHours.end);
	return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

/** A reminder inside quiet hours waits until they end. */
function outsideQuietHours(time: string, quietHours: Preferences['quietHours']): string {
	return quietHours && inQuietHours(time, quietHours) ? quietHours.end : time;
}

/**
 * The reminders still to send: due after `now`, marked to remind, not done, and not reached
 * before. An occurrence whose time has come once is never scheduled again, even when a later
 * edit (a new reminder time, a treatment moved by a few hours) puts it in the future again.
 * @param plan the output of {@link buildPlan}
 * @param now the current instant, epoch milliseconds
 * @param done ids of occurrences the patient has ticked off
 * @param reached ids of occurrences whose time came under an earlier plan ({@link reachedIds})
 */
export function pendingReminders(
	plan: readonly PlannedTask[],
	now: number,
	done: ReadonlySet<string>,
	reached: ReadonlySet<string>
): PlannedTask[] {
	return plan.filter(
		(task) => task.remind && task.at > now && !done.has(task.id) && !reached.has(task.id)
	);
}

/**
 * Ids of the occurrences whose time has come by `now`. Record them before replacing a plan, and
 * pass them to {@link pendingReminders} afterwards.
 * @param plan the plan about to be replaced
 * @param now the current instant, epoch milliseconds
 */
export function reachedIds(plan: readonly PlannedTask[], now: number): string[] {
	return plan.filter((task) => task.at <= now).map((task) => task.id);
}

/**
 * Ids to record as reached before a change of plan: the occurrences whose time had come under the
 * previous plan that the next one puts after `now` (a later reminder time, a zone move), and the
 * occurrences the next plan adds whose time has already come (a task the patient opts into, a
 * session added or moved into the past), which the patient was never asked to do. What was not
 * ticked off yesterday then stays "missed" after an edit, and nothing new is "missed" by it.
 * @param previous the plan about to be replaced
 * @param next the plan replacing it
 * @param now the current instant, epoch milliseconds
 */
export function broughtBack(
	previous: readonly PlannedTask[],
	next: readonly PlannedTask[],
	now: number
): string[] {
	const ahead = new Set(next.filter((task) => task.at > now).map((task) => task.id));
	const before = new Set(previous.map((task) => task.id));
	return [
		...reachedIds(previous, now).filter((id) => ahead.has(id)),
		...reachedIds(next, now).filter((id) => !before.has(id))
	];
}
