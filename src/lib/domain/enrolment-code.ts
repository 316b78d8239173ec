// The enrolment as a short code a patient can type: "4F7K 2M9Q X3BD". On an iPhone a link or a
// camera scan opens Safari, and the app the patient then adds to the Home Screen has storage of its
// own and starts at the manifest's start_url, not at the link (docs/ios-safari.md, "Enrolment on
// an iPhone"). So Safari shows this code, and the installed app accepts it
// (/enrol/code) and goes on as the link would.
//
// 11 characters of Crockford base32 carry 55 bits; a 12th is a check character over them.
//
//   bits  field
//   13    date, days since 2025-01-01 (to 6 June 2047)
//   11    time, minutes since midnight
//    9    the clinic's zone, a hash of its IANA name (0: none, the phone's zone)
//    6    areas, one bit per area in the protocol's order (0: the form's default)
//    2    kind: 0 none, 1 standard, 2 rf
//    6    needle depth in steps of 0.05 mm (0: not known), up to 3.15 mm
//    4    session number − 1 (1 to 16)
//    4    sessions planned (0: not said, up to 15)
//
// The protocol is not in the code: the installed app uses the one its server serves, which is the
// one the link named (the enrolment page shows a code only then). A zone's hash is read back by
// trying the phone's own zone first, then every zone the browser knows; a clash between two other
// zones could pick the wrong one, which is why the page shows the zone's name beside the code's
// result before anything is saved.
import { m } from '$lib/paraglide/messages';
import type { Enrolment } from './enrolment';
import { treatmentTypes } from './schedule';
import { isDate, isTime } from './zoned-time';

/** Crockford's base32 alphabet: no I, L, O or U, so nothing reads as another character. */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Data characters, and the whole code with its check character. */
const dataLength = 11;
export const enrolmentCodeLength = dataLength + 1;

const epoch = Date.UTC(2025, 0, 1);
const day = 86_400_000;
const widths = { date: 13, time: 11, zone: 9, areas: 6, type: 2, depth: 6, session: 4, total: 4 };

/**
 * A zone's 9-bit hash, 1 to 511 (0 stands for no zone): FNV-1a over its name.
 * @param zone an IANA zone name
 */
export function zoneHash(zone: string): number {
	let hash = 0x811c9dc5;
	for (let index = 0; index < zone.length; index++) {
		hash = Math.imul(hash ^ zone.charCodeAt(index), 0x01000193) >>> 0;
	}
	return (hash % 511) + 1;
}

// The check character: a weighted sum in GF(32) with weights α^i. Every weight is distinct and not
// zero, so one mistyped character, or two characters swapped, always changes it.
function gfTimes(a: number, b: number): number {
	let product = 0;
	for (let x = a, y = b; y > 0; y >>= 1) {
		if (y & 1) {
			product ^= x;
		}
		x <<= 1;
		if (x & 32) {
			x ^= 0b100101; // x^5 + x^2 + 1, primitive
		}
	}
	return product;
}

function checkValue(values: readonly number[]): number {
	let check = 0;
	let weight = 1;
	for (const value of values) {
		check ^= gfTimes(value, weight);
		weight = gfTimes(weight, 2);
	}
	return check;
}

/**
 * The code for an enrolment, in groups of four ("4F7K 2M9Q X3BD"), or null when it does not fit
 * (a date before 2025 or after 6 June 2047, a depth between steps of 0.05 mm, more than 16 sessions, an area the protocol
 * does not list, more than six areas).
 * @param enrolment what the link held
 * @param areaIds the protocol's area ids, in its order
 */
export function enrolmentCode(enrolment: Enrolment, areaIds: readonly string[]): string | null {
	const days = (Date.UTC(...dateParts(enrolment.date)) - epoch) / day;
	const time = Number(enrolment.time.slice(0, 2)) * 60 + Number(enrolment.time.slice(3, 5));
	let areas = 0;
	for (const area of enrolment.areas ?? []) {
		const index = areaIds.indexOf(area);
		if (index < 0 || index >= widths.areas) {
			return null;
		}
		areas |= 1 << index;
	}
	const depth = enrolment.needleDepthMm === null ? 0 : Math.round(enrolment.needleDepthMm * 20);
	const fields: [number, number][] = [
		[days, widths.date],
		[time, widths.time],
		[enrolment.timeZone === null ? 0 : zoneHash(enrolment.timeZone), widths.zone],
		[areas, widths.areas],
		[enrolment.type === null ? 0 : treatmentTypes.indexOf(enrolment.type) + 1, widths.type],
		[depth, widths.depth],
		[enrolment.seriesNumber - 1, widths.session],
		[enrolment.seriesTotal ?? 0, widths.total]
	];
	const exact =
		enrolment.needleDepthMm === null ||
		(depth > 0 && Math.abs(depth / 20 - enrolment.needleDepthMm) < 1e-9);
	if (
		!exact ||
		fields.some(([value, bits]) => !Number.isInteger(value) || value < 0 || value >= 2 ** bits)
	) {
		return null;
	}
	let bits = 0n;
	for (const [value, width] of fields) {
		bits = (bits << BigInt(width)) | BigInt(value);
	}
	const values: number[] = [];
	for (let index = dataLength - 1; index >= 0; index--) {
		values.push(Number((bits >> BigInt(index * 5)) & 31n));
	}
	values.push(checkValue(values));
	const text = values.map((value) => alphabet[value]).join('');
	return text.replace(/(.{4})(?!$)/g, '$1 ');
}

/** What a typed code held, or why it could not be used. */
export interface ReadEnrolmentCode {
	enrolment: Enrolment | null;
	/** What is wrong, in the patient's words; empty when `enrolment` is set. */
	problems: string[];
}

/**
 * Reads a code as a patient typed it: lower case, spaces and dashes are fine, and so are O for 0
 * and I or L for 1. Never throws.
 * @param text what the patient typed
 * @param areaIds the protocol's area ids, in its order
 * @param zones zones to match the code's zone against, the phone's own first
 */
export function readEnrolmentCode(
	text: string,
	areaIds: readonly string[],
	zones: readonly string[]
): ReadEnrolmentCode {
	const cleaned = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
	const fail = (problem: string): ReadEnrolmentCode => ({ enrolment: null, problems: [problem] });
	if (cleaned === '') {
		return fail(m.enrol_code_empty());
	}
	if (cleaned.length > 100 || /[^0-9A-Z]/.test(cleaned) || cleaned.includes('U')) {
		return fail(m.enrol_code_bad_characters());
	}
	if (cleaned.length !== enrolmentCodeLength) {
		return fail(
			m.enrol_code_wrong_length({ count: cleaned.length, expected: enrolmentCodeLength })
		);
	}
	const values = [...cleaned].map((character) => alphabet.indexOf(character));
	if (checkValue(values.slice(0, dataLength)) !== values[dataLength]) {
		return fail(m.enrol_code_typing_mistake());
	}
	let bits = 0n;
	for (const value of values.slice(0, dataLength)) {
		bits = (bits << 5n) | BigInt(value);
	}
	const read: Record<keyof typeof widths, number> = {
		date: 0,
		time: 0,
		zone: 0,
		areas: 0,
		type: 0,
		depth: 0,
		session: 0,
		total: 0
	};
	let shift = dataLength * 5;
	for (const key of Object.keys(widths) as (keyof typeof widths)[]) {
		shift -= widths[key];
		read[key] = Number((bits >> BigInt(shift)) & ((1n << BigInt(widths[key])) - 1n));
	}
	const date = new Date(epoch + read.date * day).toISOString().slice(0, 10);
	const time = `${String(Math.floor(read.time / 60)).padStart(2, '0')}:${String(read.time % 60).padStart(2, '0')}`;
	const timeZone =
		read.zone === 0 ? null : (zones.find((zone) => zoneHash(zone) === read.zone) ?? '');
	const areas = areaIds.filter((_, index) => index < widths.areas && read.areas & (1 << index));
	const problems: string[] = [];
	if (!isDate(date) || !isTime(time) || read.time >= 24 * 60) {
		problems.push(m.enrol_code_no_date());
	}
	if (timeZone === '') {
		problems.push(m.enrol_code_zone_unknown());
	}
	if (
		read.type > treatmentTypes.length ||
		read.areas >= 2 ** Math.min(areaIds.length, widths.areas)
	) {
		problems.push(m.enrol_code_unknown_treatment());
	}
	if (read.total !== 0 && read.session + 1 > read.total) {
		problems.push(m.enrol_code_bad_session());
	}
	if (problems.length > 0) {
		return { enrolment: null, problems };
	}
	return {
		enrolment: {
			protocol: null,
			date,
			time,
			timeZone,
			areas: read.areas === 0 ? null : areas,
			type: treatmentTypes[read.type - 1] ?? null,
			needleDepthMm: read.depth === 0 ? null : read.depth / 20,
			seriesNumber: read.session + 1,
			seriesTotal: read.total === 0 ? null : read.total
		},
		problems: []
	};
}

function dateParts(date: string): [number, number, number] {
	return [Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))];
}
