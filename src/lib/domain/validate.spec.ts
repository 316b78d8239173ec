import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { language } from '$lib/i18n/language.svelte';
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

describe('the errors in German', () => {
	beforeAll(() => language.choose('de'));
	afterAll(() => language.choose(null));

	it('explains a treatment’s problems in German, with German numbers', () => {
		const errors = treatmentErrors(
			aTreatment({ date: '', areas: [], needleDepthMm: 3, seriesNumber: 4, seriesTotal: 3 })
		);
		expect(errors.date).toBe('Geben Sie das Datum Ihrer Behandlung ein.');
		expect(errors.areas).toBe('Wählen Sie mindestens einen Bereich.');
		expect(errors.needleDepthMm).toBe(
			'Die Nadeltiefe liegt zwischen 0,5 und 2 mm. Lassen Sie das Feld leer, wenn Sie es nicht wissen.'
		);
		expect(errors.seriesTotal).toBe('Sitzung 4 kann nicht Teil einer Serie von 3 Sitzungen sein.');
	});

	it('explains reminder times’ problems in German', () => {
		expect(
			preferencesErrors(
				somePreferences({ morningTime: '06:30', quietHours: { start: '22:00', end: '07:00' } })
			).morningTime
		).toBe('Diese Zeit liegt in Ihrer Ruhezeit, die Erinnerung würde also bis 07:00 warten.');
		expect(
			preferencesErrors(somePreferences({ morningTime: '21:00', eveningTime: '20:00' })).eveningTime
		).toBe('Die Abenderinnerung sollte nach der Morgenerinnerung kommen.');
		expect(preferencesErrors(somePreferences({ eveningTime: '' })).eveningTime).toBe(
			'Geben Sie eine Uhrzeit ein, zum Beispiel 08:00.'
		);
	});
});
