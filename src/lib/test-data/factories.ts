import type { Preferences, Treatment } from '$lib/domain/schedule';

/** A treatment with sensible defaults; override what the test is about. */
export function aTreatment(overrides: Partial<Treatment> = {}): Treatment {
	return {
		id: 't1',
		date: '2026-12-14',
		time: '10:00',
		timeZone: 'Europe/Berlin',
		areas: ['face'],
		type: 'standard',
		needleDepthMm: null,
		seriesNumber: 1,
		seriesTotal: null,
		...overrides
	};
}

/** Preferences with sensible defaults; override what the test is about. */
export function somePreferences(overrides: Partial<Preferences> = {}): Preferences {
	return {
		timeZone: 'Europe/Berlin',
		morningTime: '09:00',
		eveningTime: '20:00',
		quietHours: null,
		...overrides
	};
}
