import { describe, expect, it } from 'vitest';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { defaultProtocol } from './default-protocol';
import { preferencesErrors, treatmentErrors as errorsWith } from './validate';

const treatmentErrors = (treatment: Parameters<typeof errorsWith>[0]) =>
	errorsWith(treatment, defaultProtocol().treatmentOptions);

describe('treatmentErrors', () => {
	it('accepts a complete treatment', () => {
		expect(treatmentErrors(aTreatment({ needleDepthMm: 1.5, seriesTotal: 3 }))).toEqual({});
	});

	it('explains each problem in words, per field', () => {
		const errors = treatmentErrors(
			aTreatment({
				date: '2027-02-29',
				time: '',
				timeZone: 'Atlantis',
				areas: [],
				needleDepthMm: 3,
				seriesNumber: 0
			})
		);
		expect(Object.keys(errors).sort()).toEqual([
			'areas',
			'date',
			'needleDepthMm',
			'seriesNumber',
			'time',
			'timeZone'
		]);
		expect(errors.needleDepthMm).toContain('between 0.5 and 2 mm');
	});

	it('keeps the session number inside the series', () => {
		expect(treatmentErrors(aTreatment({ seriesNumber: 4, seriesTotal: 3 })).seriesTotal).toBe(
			'Session 4 cannot be part of a series of 3.'
		);
	});
});

describe('preferencesErrors', () => {
	it('accepts sensible preferences', () => {
		expect(
			preferencesErrors(somePreferences({ quietHours: { start: '22:00', end: '07:00' } }))
		).toEqual({});
	});

	it('warns when a reminder time falls in quiet hours', () => {
		const errors = preferencesErrors(
			somePreferences({ morningTime: '06:30', quietHours: { start: '22:00', end: '07:00' } })
		);
		expect(errors.morningTime).toContain('wait until 07:00');
	});

	it('wants the evening after the morning, and real times and zones', () => {
		expect(
			preferencesErrors(somePreferences({ morningTime: '21:00', eveningTime: '20:00' })).eveningTime
		).toBeDefined();
		expect(
			Object.keys(preferencesErrors(somePreferences({ timeZone: 'X', morningTime: '9am' })))
		).toEqual(['timeZone', 'morningTime']);
	});
});
