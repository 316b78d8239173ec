import type { TimelineRun } from '$lib/domain/timeline';

/**
 * Display formatting in the phone's language. Dates are plan dates (`YYYY-MM-DD`) and times wall
 * times (`HH:MM`), so both are formatted as UTC to keep them exactly as given.
 */

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = JSON.stringify(options);
	let found = cache.get(key);
	if (!found) {
		found = new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' });
		cache.set(key, found);
	}
	return found;
}

const noon = (date: string) => new Date(`${date}T12:00:00Z`);

/** "Mon 14 Dec" */
export function shortDate(date: string): string {
	return formatter({ weekday: 'short', day: 'numeric', month: 'short' }).format(noon(date));
}

/** "Monday 14 December 2026" */
export function longDate(date: string): string {
	return formatter({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(
		noon(date)
	);
}

/** "09:15" or "9:15 AM", as the phone's language writes times. */
export function wallTime(time: string): string {
	return formatter({ hour: 'numeric', minute: '2-digit' }).format(
		new Date(`1970-01-01T${time}:00Z`)
	);
}

/** "Thursday 8 April at 10:30": when an appointment is, as the phone's language writes it. */
export function dayAndTime(date: string, time: string): string {
	const day = formatter({ weekday: 'long', day: 'numeric', month: 'long' }).format(noon(date));
	return `${day} at ${wallTime(time)}`;
}

/** "treatment day", "1 day before", "3 days before", "day 6": a day relative to the treatment. */
export function dayLabel(day: number): string {
	return day === 0 ? 'treatment day' : day < 0 ? `${days(-day)} before` : `day ${day}`;
}

/** "treatment" for the first session of a series, "2nd session" for the next ones. */
export function sessionName(seriesNumber: number): string {
	return seriesNumber > 1 ? `${ordinal(seriesNumber)} session` : 'treatment';
}

/** "29 days until your treatment", "7 days until your 2nd session", "Your treatment is tomorrow" */
export function countdown(daysUntil: number, seriesNumber: number): string {
	const what = sessionName(seriesNumber);
	return daysUntil === 1 ? `Your ${what} is tomorrow` : `${days(daysUntil)} until your ${what}`;
}

/** "1 day", "12 days" */
export function days(count: number): string {
	return `${count} ${count === 1 ? 'day' : 'days'}`;
}

/** "1st", "2nd", "3rd", "11th" */
export function ordinal(n: number): string {
	const suffix = new Intl.PluralRules('en', { type: 'ordinal' }).select(n);
	return `${n}${{ one: 'st', two: 'nd', few: 'rd', other: 'th', zero: 'th', many: 'th' }[suffix]}`;
}

/** Labels for the kinds of treatment. */
export const treatmentTypeLabels: Record<string, string> = {
	standard: 'Microneedling',
	rf: 'Microneedling RF (radiofrequency)'
};

/** "2nd session of 3", or "2nd session" when the series has no known length: a session's title. */
export function sessionTitle(session: {
	seriesNumber: number;
	seriesTotal: number | null;
}): string {
	const name = `${ordinal(session.seriesNumber)} session`;
	return session.seriesTotal ? `${name} of ${session.seriesTotal}` : name;
}

/**
 * The patient-facing name of a treatment area ("Face"), never its id; an area the protocol no
 * longer lists (a restored backup, an edited protocol) keeps its id rather than vanishing.
 */
export function areaLabel(areas: readonly { id: string; label: string }[], id: string): string {
	return areas.find((area) => area.id === id)?.label ?? id;
}

/**
 * What a repeated step is counted in: an evening or a morning, as the patient set their reminder
 * times; a day for all-day advice, or for an evening reminder that quiet hours moved to the
 * next morning.
 */
function repeatUnit(task: TimelineRun['tasks'][number]): 'morning' | 'evening' | 'day' {
	return task.allDay || task.movedForQuietHours || task.slot === 'appointment' ? 'day' : task.slot;
}

/**
 * "every evening at 20:00 until Sun 13 Dec"; "all day, every day from Tue 15 Dec until Mon 28
 * Dec" for one that starts after today; only the dates for information ("until Sun 13 Dec"),
 * which asks for nothing at any hour.
 * @param run a run from `timeline`
 * @param today the patient's local date
 */
export function repeatText(run: TimelineRun, today: string): string {
	const first = run.tasks[0]!;
	const when =
		first.kind === 'info'
			? ''
			: first.allDay
				? 'all day, every day '
				: `every ${repeatUnit(first)} at ${wallTime(first.time)} `;
	const from = run.from > today ? `from ${shortDate(run.from)} ` : '';
	return `${when}${from}until ${shortDate(run.until)}`;
}

/**
 * "Done 5 of 7 evenings", "Done 2 of 3 days so far" (while the run goes on); null when nothing
 * was due yet.
 * @param run a run from `timeline`
 * @param today the patient's local date
 */
export function progressText(run: TimelineRun, today: string): string | null {
	if (!run.progress) {
		return null;
	}
	const { done, of } = run.progress;
	const unit = repeatUnit(run.tasks[0]!);
	return `Done ${done} of ${of} ${of === 1 ? unit : `${unit}s`}${run.until >= today ? ' so far' : ''}`;
}
