import { describe, expect, it } from 'vitest';
import { areaLabel, sessionName } from './format';

describe('sessionName', () => {
	it('names the session and, when known, the length of the series, with spaces', () => {
		expect(sessionName({ seriesNumber: 1, seriesTotal: 3 })).toBe('1st session of 3');
		expect(sessionName({ seriesNumber: 2, seriesTotal: null })).toBe('2nd session');
		expect(sessionName({ seriesNumber: 3, seriesTotal: 3 })).toBe('3rd session of 3');
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
