import { describe, expect, it } from 'vitest';
import {
	areaLabel,
	countdown,
	dayAndTime,
	dayLabel,
	days,
	sessionName,
	sessionTitle,
	wallTime
} from './format';

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

describe('sessionTitle', () => {
	it('names the session and, when known, the length of the series, with spaces', () => {
		expect(sessionTitle({ seriesNumber: 1, seriesTotal: 3 })).toBe('1st session of 3');
		expect(sessionTitle({ seriesNumber: 2, seriesTotal: null })).toBe('2nd session');
		expect(sessionTitle({ seriesNumber: 3, seriesTotal: 3 })).toBe('3rd session of 3');
	});
});

describe('areaLabel', () => {
	const areas = [
		{ id: 'face', label: 'Face' },
		{ id: 'other', label: 'Another area' }
	];

	it('gives the label a patient reads, never the id', () => {
		expect(areaLabel(areas, 'face')).toBe('Face');
	});

	it('keeps an area the protocol no longer lists, by its id', () => {
		expect(areaLabel(areas, 'scalp')).toBe('scalp');
	});
});
