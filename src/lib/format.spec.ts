import { describe, expect, it } from 'vitest';
import { countdown, dayAndTime, dayLabel, days, sessionName, wallTime } from './format';

describe('words for days', () => {
	it('counts in proper plurals', () => {
		expect(days(1)).toBe('1 day');
		expect(days(2)).toBe('2 days');
		expect(dayLabel(-1)).toBe('1 day before');
		expect(dayLabel(-20)).toBe('20 days before');
		expect(dayLabel(0)).toBe('treatment day');
		expect(dayLabel(6)).toBe('day 6');
	});

	it('names the session a countdown leads to', () => {
		expect(sessionName(1)).toBe('treatment');
		expect(sessionName(2)).toBe('2nd session');
		expect(countdown(29, 1)).toBe('29 days until your treatment');
		expect(countdown(7, 2)).toBe('7 days until your 2nd session');
		expect(countdown(1, 1)).toBe('Your treatment is tomorrow');
		expect(countdown(1, 3)).toBe('Your 3rd session is tomorrow');
	});

	it('says the weekday, date and time of an appointment', () => {
		// Node's default language here may be en-US or en-GB: both orders are fine.
		expect(dayAndTime('2027-04-08', '10:30')).toMatch(
			new RegExp(`^Thursday,? (8 April|April 8) at ${wallTime('10:30')}$`)
		);
	});
});
