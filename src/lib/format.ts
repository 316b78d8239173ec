import type { TimelineRun } from '$lib/domain/timeline';
import { getLanguageTag } from '$lib/i18n/message-runtime';
import { m } from '$lib/paraglide/messages';

/**
 * Display formatting in the app's language (src/lib/i18n): words from the message catalogue,
 * dates and times through `Intl` with the language's tag, region included. Dates are plan dates
 * (`YYYY-MM-DD`) and times wall times (`HH:MM`), so both are formatted as UTC to keep them exactly
 * as given.
 */

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const tag = getLanguageTag();
	const key = tag + JSON.stringify(options);
	let found = cache.get(key);
	if (!found) {
		found = new Intl.DateTimeFormat(tag, { ...options, timeZone: 'UTC' });
		cache.set(key, found);
	}
	return found;
}

const noon = (date: string) => new Date(`${date}T12:00:00Z`);

/** "Mon 14 Dec", "Mo., 14. Dez." */
export function shortDate(date: string): string {
	return formatter({ weekday: 'short', day: 'numeric', month: 'short' }).format(noon(date));
}

/** "Monday 14 December 2026", "Montag, 14. Dezember 2026" */
export function longDate(date: string): string {
	return formatter({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(
		noon(date)
	);
}

/** "09:15" or "9:15 AM", as the language writes times (German: always 24-hour). */
export function wallTime(time: string): string {
	return formatter({ hour: 'numeric', minute: '2-digit' }).format(
		new Date(`1970-01-01T${time}:00Z`)
	);
}

/** "Thursday 8 April at 10:30": when an appointment is, in the app's language. */
export function dayAndTime(date: string, time: string): string {
	const day = formatter({ weekday: 'long', day: 'numeric', month: 'long' }).format(noon(date));
	return m.format_day_and_time({ day, time: wallTime(time) });
}

/** "treatment day", "1 day before", "3 days before", "day 6": a day relative to the treatment. */
export function dayLabel(day: number): string {
	return day === 0
		? m.format_treatment_day()
		: day < 0
			? m.format_days_before({ count: -day })
			: m.format_day_number({ day });
}

/** "treatment" for the first session of a series, "2nd session" for the next ones. */
export function sessionName(seriesNumber: number): string {
	return seriesNumber > 1
		? m.format_nth_session({ nth: ordinal(seriesNumber) })
		: m.format_treatment();
}

/** "29 days until your treatment", "7 days until your 2nd session", "Your treatment is tomorrow" */
export function countdown(daysUntil: number, seriesNumber: number): string {
	const what = sessionName(seriesNumber);
	return daysUntil === 1
		? m.format_is_tomorrow({ what })
		: m.format_days_until({ days: days(daysUntil), what });
}

/** "1 day", "12 days" */
export function days(count: number): string {
	return m.format_days({ count });
}

/** "1st", "2nd", "3rd", "11th"; "2." in German */
export function ordinal(n: number): string {
	return m.format_ordinal({ n });
}

/** "2nd session", "2. Sitzung" */
export function nthSession(n: number): string {
	return m.format_nth_session({ nth: ordinal(n) });
}

/** The name of a kind of treatment, in the app's language. */
export function treatmentTypeLabel(type: string): string {
	return type === 'rf' ? m.format_type_rf() : m.format_type_standard();
}

/** "2nd session of 3", or "2nd session" when the series has no known length: a session's title. */
export function sessionTitle(session: {
	seriesNumber: number;
	seriesTotal: number | null;
}): string {
	const nth = ordinal(session.seriesNumber);
	return session.seriesTotal
		? m.format_nth_session_of({ nth, total: session.seriesTotal })
		: m.format_nth_session({ nth });
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
	const time = first.kind === 'info' || first.allDay ? '' : wallTime(first.time);
	const when =
		first.kind === 'info'
			? null
			: first.allDay
				? m.format_all_day_every_day()
				: {
						morning: m.format_every_morning_at,
						evening: m.format_every_evening_at,
						day: m.format_every_day_at
					}[repeatUnit(first)]({ time });
	const from = run.from > today ? m.format_from_date({ date: shortDate(run.from) }) : null;
	return [when, from, m.format_until_date({ date: shortDate(run.until) })]
		.filter((part) => part !== null)
		.join(' ');
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
	const words = {
		morning: m.format_progress_mornings,
		evening: m.format_progress_evenings,
		day: m.format_progress_days
	}[repeatUnit(run.tasks[0]!)];
	return words({ done, of, soFar: run.until >= today ? 'yes' : 'no' });
}
