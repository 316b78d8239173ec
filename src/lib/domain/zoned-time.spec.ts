import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	addDays,
	daysBetween,
	isDate,
	isTime,
	isTimeZone,
	localParts,
	zonedInstant
} from './zoned-time';

const iso = (instant: number) => new Date(instant).toISOString();
const DAY = 24 * 60 * 60_000;
const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
/** The zone's UTC offset at an instant, in minutes, read back through localParts. */
const offsetMinutes = (instant: number, zone: string) => {
	const { date, time } = localParts(instant, zone);
	return (Date.parse(`${date}T${time}:00Z`) - Math.floor(instant / 60_000) * 60_000) / 60_000;
};

describe('zonedInstant', () => {
	it('reads a wall time with the offset in force on that date', () => {
		expect(iso(zonedInstant('2026-03-28', '09:00', 'Europe/Berlin'))).toBe(
			'2026-03-28T08:00:00.000Z'
		);
		expect(iso(zonedInstant('2026-03-29', '09:00', 'Europe/Berlin'))).toBe(
			'2026-03-29T07:00:00.000Z'
		);
		expect(iso(zonedInstant('2026-10-31', '09:00', 'America/New_York'))).toBe(
			'2026-10-31T13:00:00.000Z'
		);
		expect(iso(zonedInstant('2026-11-01', '09:00', 'America/New_York'))).toBe(
			'2026-11-01T14:00:00.000Z'
		);
	});

	it('moves a skipped spring-forward time forward by the gap', () => {
		// Berlin skips 02:00–03:00 on 2026-03-29; New York skips it on 2026-03-08.
		expect(iso(zonedInstant('2026-03-29', '02:30', 'Europe/Berlin'))).toBe(
			'2026-03-29T01:30:00.000Z'
		);
		expect(
			localParts(zonedInstant('2026-03-29', '02:30', 'Europe/Berlin'), 'Europe/Berlin').time
		).toBe('03:30');
		expect(iso(zonedInstant('2026-03-08', '02:30', 'America/New_York'))).toBe(
			'2026-03-08T07:30:00.000Z'
		);
	});

	it('reads a repeated fall-back time as its first occurrence, in every zone alike', () => {
		expect(iso(zonedInstant('2026-10-25', '02:30', 'Europe/Berlin'))).toBe(
			'2026-10-25T00:30:00.000Z'
		);
		expect(iso(zonedInstant('2026-11-01', '01:30', 'America/New_York'))).toBe(
			'2026-11-01T05:30:00.000Z'
		);
	});

	it('handles half-hour zones and zones whose DST shift is 30 minutes', () => {
		expect(iso(zonedInstant('2026-07-01', '09:00', 'Asia/Kolkata'))).toBe(
			'2026-07-01T03:30:00.000Z'
		);
		// Lord Howe Island moves its clocks by 30 minutes (10:30 in winter, 11:00 in summer).
		expect(iso(zonedInstant('2026-07-01', '09:00', 'Australia/Lord_Howe'))).toBe(
			'2026-06-30T22:30:00.000Z'
		);
		expect(iso(zonedInstant('2027-01-01', '09:00', 'Australia/Lord_Howe'))).toBe(
			'2026-12-31T22:00:00.000Z'
		);
	});

	it('rejects dates and times that do not exist on any calendar', () => {
		expect(() => zonedInstant('2027-02-29', '09:00', 'UTC')).toThrow(/calendar date/);
		expect(() => zonedInstant('2026-12-14', '24:00', 'UTC')).toThrow(/time of day/);
		expect(() => zonedInstant('2026-12-14', '09:00', 'Mars/Olympus')).toThrow(RangeError);
	});

	it('round-trips every wall time that is not in a gap (property)', () => {
		const zones = [
			'Europe/Berlin',
			'America/New_York',
			'Australia/Lord_Howe',
			'Pacific/Chatham',
			'America/Santiago',
			'UTC'
		];
		fc.assert(
			fc.property(
				fc.date({ min: new Date('2024-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
				fc.integer({ min: 0, max: 23 }),
				fc.integer({ min: 0, max: 59 }),
				fc.constantFrom(...zones),
				(day, hour, minute, zone) => {
					const date = day.toISOString().slice(0, 10);
					const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
					const instant = zonedInstant(date, time, zone);
					const back = localParts(instant, zone);
					// Either the exact wall time, or (in a spring-forward gap) that time moved on by
					// exactly the length of the gap, on the same day.
					expect(back.date).toBe(date);
					if (back.time !== time) {
						const shift = minutes(back.time) - minutes(time);
						expect(shift).toBe(offsetMinutes(instant, zone) - offsetMinutes(instant - DAY, zone));
					}
				}
			),
			{ numRuns: 2000 }
		);
	});
});

describe('calendar helpers', () => {
	it('adds days across month ends, leap days and years', () => {
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
		expect(addDays('2028-02-29', 1)).toBe('2028-03-01');
		expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
		expect(addDays('2026-12-14', -30)).toBe('2026-11-14');
		expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
	});

	it('counts calendar days, not 24-hour periods', () => {
		expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
		expect(daysBetween('2026-12-14', '2026-11-24')).toBe(-20);
		expect(daysBetween('2028-02-01', '2028-03-01')).toBe(29);
	});

	it('validates what patients type', () => {
		expect(isDate('2028-02-29')).toBe(true);
		expect(isDate('2027-02-29')).toBe(false);
		expect(isDate('2026-13-01')).toBe(false);
		expect(isDate('14/12/2026')).toBe(false);
		expect(isTime('07:30')).toBe(true);
		expect(isTime('7:30')).toBe(false);
		expect(isTime('23:60')).toBe(false);
		expect(isTimeZone('Europe/Berlin')).toBe(true);
		expect(isTimeZone('Nowhere/Land')).toBe(false);
	});
});
