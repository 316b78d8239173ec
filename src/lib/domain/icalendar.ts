/**
 * A small iCalendar (RFC 5545) writer: components, properties, TEXT escaping and line folding.
 * Only what the app's calendar file needs: no parameters, no recurrence, times in UTC.
 */

/** A property's value, typed so that each is written the way RFC 5545 says for its type. */
export type PropertyValue =
	/** TEXT (§3.3.11): escaped on output. */
	| string
	/** DATE-TIME in UTC (§3.3.5, form 2), from epoch milliseconds. */
	| { utc: number }
	/** DURATION (§3.3.6) of whole minutes; negative: before. */
	| { minutes: number }
	/** INTEGER (§3.3.8). */
	| { integer: number }
	/** A token written as is: enumerated values such as DISPLAY, PUBLISH, CANCELLED. */
	| { token: string };

/** A component (VCALENDAR, VEVENT, VALARM…) with its properties in order. */
export interface CalendarComponent {
	name: string;
	properties: (readonly [name: string, value: PropertyValue])[];
	components?: CalendarComponent[];
}

/** RFC 5545 §3.1: "Lines of text SHOULD NOT be longer than 75 octets, excluding the line break." */
const MAX_LINE_OCTETS = 75;
const CRLF = '\r\n';

/**
 * The iCalendar text of a component and everything in it: CRLF line ends, lines folded.
 * @param component usually a VCALENDAR
 */
export function serializeCalendar(component: CalendarComponent): string {
	return contentLines(component).map(foldLine).join(CRLF) + CRLF;
}

function contentLines({ name, properties, components = [] }: CalendarComponent): string[] {
	return [
		`BEGIN:${name}`,
		...properties.map(([property, value]) => `${property}:${formatValue(value)}`),
		...components.flatMap(contentLines),
		`END:${name}`
	];
}

function formatValue(value: PropertyValue): string {
	if (typeof value === 'string') {
		return escapeText(value);
	}
	if ('utc' in value) {
		return utcDateTime(value.utc);
	}
	if ('minutes' in value) {
		return duration(value.minutes);
	}
	if ('integer' in value) {
		if (!Number.isSafeInteger(value.integer)) {
			throw new RangeError(`Not an integer: ${value.integer}`);
		}
		return String(value.integer);
	}
	if (/[\p{Cc};:,"]/u.test(value.token)) {
		throw new RangeError(`Not a token: "${value.token}"`);
	}
	return value.token;
}

/**
 * A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma get a backslash; a line break
 * becomes `\n`. Other control characters are not allowed in TEXT, so they are dropped.
 * @param text the words as the patient should read them
 */
export function escapeText(text: string): string {
	return (
		text
			.replace(/\r\n?/g, '\n')
			// Every control character but the tab (allowed) and the line feed (escaped below).
			// eslint-disable-next-line no-control-regex
			.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
			.replace(/[\\;,\n]/g, (char) => (char === '\n' ? '\\n' : `\\${char}`))
	);
}

/**
 * Folds a content line into lines of at most 75 octets of UTF-8 (RFC 5545 §3.1), each
 * continuation starting with a space. It breaks between characters, never inside one's UTF-8
 * sequence (a code point is whole; a surrogate pair stays together).
 * @param line one unfolded content line, without its line break
 * @returns the physical lines joined by CRLF
 */
export function foldLine(line: string): string {
	const lines: string[] = [];
	let current = '';
	let octets = 0;
	for (const char of line) {
		const size = utf8Length(char);
		if (octets + size > MAX_LINE_OCTETS) {
			lines.push(current);
			// The leading space of a continuation line counts towards its 75 octets.
			current = ' ';
			octets = 1;
		}
		current += char;
		octets += size;
	}
	lines.push(current);
	return lines.join(CRLF);
}

/** Octets of one code point in UTF-8. */
function utf8Length(char: string): number {
	const code = char.codePointAt(0)!;
	return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

/** `YYYYMMDDTHHMMSSZ` */
function utcDateTime(instant: number): string {
	if (!Number.isFinite(instant)) {
		throw new RangeError(`Not an instant: ${instant}`);
	}
	return new Date(instant)
		.toISOString()
		.replace(/\.\d{3}Z$/, 'Z')
		.replace(/[-:]/g, '');
}

/** `PT15M`, `-PT2H`, `PT1H30M`, `PT0S` (RFC 5545 §3.3.6). */
function duration(minutes: number): string {
	if (!Number.isSafeInteger(minutes)) {
		throw new RangeError(`Not a whole number of minutes: ${minutes}`);
	}
	if (minutes === 0) {
		return 'PT0S';
	}
	const sign = minutes < 0 ? '-' : '';
	const hours = Math.floor(Math.abs(minutes) / 60);
	const rest = Math.abs(minutes) % 60;
	return `${sign}PT${hours > 0 ? `${hours}H` : ''}${rest > 0 ? `${rest}M` : ''}`;
}
