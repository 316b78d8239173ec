import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlannedTask } from '$lib/domain/schedule';
import type { TimelineRun } from '$lib/domain/timeline';
import {
	areaLabel,
	countdown,
	dayAndTime,
	dayLabel,
	days,
	progressText,
	repeatText,
	sessionName,
	sessionTitle,
	wallTime,
	longDate,
	shortDate
} from './format';
import { language } from '$lib/i18n/language.svelte';

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

describe('a repeated step', () => {
	const run = (
		task: Partial<PlannedTask>,
		from = '2026-11-14',
		until = '2026-12-13',
		progress: TimelineRun['progress'] = null
	): TimelineRun => ({
		tasks: [
			{
				slot: 'evening',
				time: '20:00',
				allDay: false,
				movedForQuietHours: false,
				...task
			} as PlannedTask
		],
		from,
		until,
		progress
	});
	const date = (iso: string) => new RegExp(`\\b(${iso.slice(8).replace(/^0/, '')})\\b`);

	it('reads as one line: every evening or morning at its time, until its last day', () => {
		const text = repeatText(run({}), '2026-11-24');
		expect(text).toMatch(new RegExp(`^every evening at ${wallTime('20:00')} until \\S+ `));
		expect(text).toMatch(date('2026-12-13'));
		expect(repeatText(run({ slot: 'morning', time: '09:00' }), '2026-11-24')).toMatch(
			/^every morning at /
		);
	});

	it('gives only the dates of information, which asks for nothing at any hour', () => {
		expect(repeatText(run({ kind: 'info' }), '2026-11-24')).toMatch(/^until \S+ /);
		expect(repeatText(run({ kind: 'info' }), '2026-11-01')).toMatch(/^from .+ until /);
	});

	it('says when it starts if that is after today', () => {
		expect(repeatText(run({}), '2026-11-01')).toMatch(/^every evening at .+ from .+ until /);
	});

	it('says "all day", and "every day" for evenings that quiet hours moved to the morning', () => {
		expect(repeatText(run({ allDay: true }), '2026-11-24')).toMatch(/^all day, every day until /);
		expect(repeatText(run({ movedForQuietHours: true, time: '07:00' }), '2026-11-24')).toMatch(
			new RegExp(`^every day at ${wallTime('07:00')} until `)
		);
	});

	it('counts what was done, in proper plurals, "so far" while it goes on', () => {
		expect(progressText(run({}, undefined, undefined, { done: 5, of: 7 }), '2026-11-24')).toBe(
			'Done 5 of 7 evenings so far'
		);
		expect(progressText(run({}, undefined, undefined, { done: 1, of: 1 }), '2026-12-20')).toBe(
			'Done 1 of 1 evening'
		);
		expect(
			progressText(run({ allDay: true }, undefined, undefined, { done: 0, of: 3 }), '2026-12-20')
		).toBe('Done 0 of 3 days');
		expect(progressText(run({}), '2026-11-24')).toBeNull();
	});
});

describe('in German', () => {
	beforeAll(() => language.choose('de'));
	afterAll(() => language.choose(null));

	it('writes dates in German order and times in 24 hours', () => {
		expect(shortDate('2026-12-14')).toBe('Mo., 14. Dez.');
		expect(longDate('2026-12-14')).toBe('Montag, 14. Dezember 2026');
		expect(wallTime('20:05')).toBe('20:05');
		expect(dayAndTime('2027-04-08', '10:30')).toBe('Donnerstag, 8. April um 10:30 Uhr');
	});

	it('counts and orders in German', () => {
		expect(days(1)).toBe('1 Tag');
		expect(days(5)).toBe('5 Tage');
		expect(dayLabel(-3)).toBe('3 Tage vorher');
		expect(countdown(7, 2)).toBe('Noch 7 Tage bis zu Ihrer 2. Sitzung');
		expect(countdown(1, 1)).toBe('Ihre Behandlung ist morgen');
		expect(sessionTitle({ seriesNumber: 2, seriesTotal: 3 })).toBe('2. Sitzung von 3');
	});
});
