/**
 * Wall-clock time in an IANA time zone, on top of `Intl` alone (no time-zone data shipped to the
 * phone). Dates are `YYYY-MM-DD` strings and times `HH:MM` strings, which is how the patient enters
 * them and how they are stored; instants are epoch milliseconds.
 *
 * Why not a library: the 1 kB candidate, @date-fns/tz, resolves a repeated (fall-back) wall time to
 * the earlier instant in America/New_York but to the later one in Europe/Berlin, and reminders must
 * behave the same everywhere. The rule here is Temporal's "compatible" one: a repeated time means
 * its first occurrence; a skipped (spring-forward) time moves forward by the length of the gap.
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const timePattern = /^([01]\d|2[0-3]):([0-5]\d)$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit'
		});
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

/** Whether `timeZone` is an IANA zone name this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
	try {
		formatterFor(timeZone);
		return true;
	} catch {
		return false;
	}
}

/** Whether `date` is a real calendar date written `YYYY-MM-DD` (2027-02-29 is not). */
export function isDate(date: string): boolean {
	const match = datePattern.exec(date);
	if (!match) {
		return false;
	}
	const [, year, month, day] = match.map(Number) as [number, number, number, number];
	const utc = new Date(Date.UTC(year, month - 1, day));
	return (
		utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day
	);
}

/** Whether `time` is a wall-clock time written `HH:MM` (24-hour). */
export function isTime(time: string): boolean {
	return timePattern.test(time);
}

/** The local calendar date and time of an instant in a zone. */
export function localParts(instant: number, timeZone: string): { date: string; time: string } {
	const parts: Record<string, string> = {};
	for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
		parts[part.type] = part.value;
	}
	return {
		date: `${parts.year}-${parts.month}-${parts.day}`,
		time: `${parts.hour}:${parts.minute}`
	};
}

/** Milliseconds the zone's clock is ahead of UTC at an instant. */
function offsetAt(instant: number, timeZone: string): number {
	const { date, time } = localParts(instant, timeZone);
	const wholeMinute = Math.floor(instant / MINUTE) * MINUTE;
	return wallAsUtc(date, time) - wholeMinute;
}

function wallAsUtc(date: string, time: string): number {
	const [year, month, day] = date.split('-').map(Number) as [number, number, number];
	const [hour, minute] = time.split(':').map(Number) as [number, number];
	return Date.UTC(year, month - 1, day, hour, minute);
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` `time`.
 * @param date local calendar date, `YYYY-MM-DD`
 * @param time local wall-clock time, `HH:MM`
 * @param timeZone IANA zone, e.g. `Europe/Berlin`
 */
export function zonedInstant(date: string, time: string, timeZone: string): number {
	if (!isDate(date)) {
		throw new RangeError(`Not a calendar date: "${date}"`);
	}
	if (!isTime(time)) {
		throw new RangeError(`Not a time of day: "${time}"`);
	}
	const wall = wallAsUtc(date, time);
	// Offsets a day either side bracket any transition near this wall time.
	const offsetBefore = offsetAt(wall - DAY, timeZone);
	const offsetAfter = offsetAt(wall + DAY, timeZone);
	const candidates = [wall - offsetBefore, wall - offsetAfter].filter(
		(instant) => wall - instant === offsetAt(instant, timeZone)
	);
	if (candidates.length > 0) {
		return Math.min(...candidates);
	}
	// The wall time falls in a gap: read it with the offset in force before the gap.
	return wall - offsetBefore;
}

/**
 * The calendar date `days` after `date` (negative: before).
 * @param date `YYYY-MM-DD`
 * @param days whole days to add
 */
export function addDays(date: string, days: number): string {
	const [year, month, day] = date.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
	return Math.round((wallAsUtc(to, '00:00') - wallAsUtc(from, '00:00')) / DAY);
}

/** Minutes since midnight of an `HH:MM` time. */
export function minutesOfDay(time: string): number {
	const [hour, minute] = time.split(':').map(Number) as [number, number];
	return hour * 60 + minute;
}
