import { describe, expect, it } from 'vitest';
import type { Enrolment } from '$lib/domain/enrolment';
import type { Treatment } from '$lib/domain/schedule';
import {
	forgetEnrolment,
	freshOnboardingDraft,
	keepEnrolment,
	keptEnrolment,
	nextSessionFromEnrolment,
	onboardingDraftFromEnrolment
} from './enrolment-draft';

const enrolment: Enrolment = {
	protocol: 'microneedling-default',
	date: '2027-04-08',
	time: '10:30',
	timeZone: 'Europe/Berlin',
	areas: ['face', 'neck'],
	type: 'rf',
	needleDepthMm: 1.5,
	seriesNumber: 1,
	seriesTotal: 3
};

describe('the plan form filled from a clinic’s enrolment', () => {
	it('has the treatment, and the clinic’s zone only when it is not the phone’s', () => {
		const draft = onboardingDraftFromEnrolment(enrolment, 'Europe/London', 'id-1');
		expect(draft.treatment).toEqual({
			id: 'id-1',
			date: '2027-04-08',
			time: '10:30',
			timeZone: 'Europe/Berlin',
			areas: ['face', 'neck'],
			type: 'rf',
			needleDepthMm: '1.5',
			seriesNumber: '1',
			seriesTotal: '3'
		});
		expect(draft.clinicElsewhere).toBe(true);
		expect(onboardingDraftFromEnrolment(enrolment, 'Europe/Berlin', 'id-1').clinicElsewhere).toBe(
			false
		);
		expect(draft.preferences).toEqual(freshOnboardingDraft('Europe/London', 'x').preferences);
	});

	it('keeps the form’s defaults for what a broken link did not give', () => {
		const draft = onboardingDraftFromEnrolment({ time: '09:00' }, 'Europe/London', 'id-2');
		expect(draft).toEqual({
			...freshOnboardingDraft('Europe/London', 'id-2'),
			treatment: { ...freshOnboardingDraft('Europe/London', 'id-2').treatment, time: '09:00' }
		});
	});

	it('brings the reminder times and answers of a plan being replaced', () => {
		const draft = onboardingDraftFromEnrolment(enrolment, 'Europe/Berlin', 'id-3', {
			preferences: {
				timeZone: 'Europe/Berlin',
				morningTime: '07:15',
				eveningTime: '21:00',
				quietHours: null
			},
			screening: { pregnant: 'no' }
		});
		expect(draft.preferences.morningTime).toBe('07:15');
		expect(draft.preferences.quietHoursOn).toBe(false);
		expect(draft.screening).toEqual({ pregnant: 'no' });
	});
});

describe('the next session from a clinic’s enrolment', () => {
	const latestDraft: Treatment = {
		id: 'next',
		date: '2027-05-06',
		time: '10:30',
		timeZone: 'Europe/London',
		areas: ['back'],
		type: 'standard',
		needleDepthMm: null,
		seriesNumber: 2,
		seriesTotal: 3
	};

	it('is the Treatment screen’s draft with the clinic’s date, time and details', () => {
		expect(
			nextSessionFromEnrolment(latestDraft, { ...enrolment, seriesNumber: 1 }, 'Europe/London', 'x')
		).toEqual({ ...enrolment, protocol: undefined, id: 'next', seriesNumber: 2 });
	});

	it('keeps the series’ details the link leaves out', () => {
		expect(
			nextSessionFromEnrolment(
				latestDraft,
				{
					...enrolment,
					timeZone: null,
					areas: null,
					type: null,
					needleDepthMm: null,
					seriesTotal: null,
					seriesNumber: 3
				},
				'Europe/London',
				'x'
			)
		).toEqual({ ...latestDraft, date: '2027-04-08', time: '10:30', seriesNumber: 3 });
	});
});

describe('the enrolment kept for this tab', () => {
	it('is kept, read and forgotten; blocked storage is no error', () => {
		const map = new Map<string, string>();
		const storage = {
			setItem: (key: string, value: string) => void map.set(key, value),
			getItem: (key: string) => map.get(key) ?? null,
			removeItem: (key: string) => void map.delete(key)
		};
		keepEnrolment(storage, 'v=1&d=2027-04-08&t=10:30');
		expect(keptEnrolment(storage)).toBe('v=1&d=2027-04-08&t=10:30');
		forgetEnrolment(storage);
		expect(keptEnrolment(storage)).toBeNull();
		const blocked = {
			setItem: () => {
				throw new Error('blocked');
			},
			getItem: () => {
				throw new Error('blocked');
			},
			removeItem: () => {
				throw new Error('blocked');
			}
		};
		expect(() => keepEnrolment(blocked, 'v=1')).not.toThrow();
		expect(keptEnrolment(blocked)).toBeNull();
		expect(() => forgetEnrolment(blocked)).not.toThrow();
	});
});
