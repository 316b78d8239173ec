import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { language } from '$lib/i18n/language.svelte';
import { enrolmentLink, readEnrolment } from './enrolment';
import {
	enrolmentMailto,
	enrolmentOfTreatment,
	handoutSeries,
	handoutWhen,
	qrPath
} from './enrolment-share';
import type { Treatment } from './schedule';

const treatment: Treatment = {
	id: 'ignored',
	date: '2027-04-08',
	time: '10:30',
	timeZone: 'Europe/Berlin',
	areas: ['face', 'neck'],
	type: 'standard',
	needleDepthMm: 1.5,
	seriesNumber: 1,
	seriesTotal: 3
};

describe('enrolmentOfTreatment', () => {
	it('puts every field of the form in the link, and the phone reads them back', () => {
		const enrolment = enrolmentOfTreatment(treatment, 'microneedling');
		const link = enrolmentLink('https://clinic.example', enrolment);
		expect(link).toBe(
			'https://clinic.example/enrol#v=1&p=microneedling&d=2027-04-08&t=10:30&z=Europe/Berlin&a=face,neck&k=standard&mm=1.5&n=1&of=3'
		);
		expect(readEnrolment(new URL(link).hash).enrolment).toEqual(enrolment);
	});

	it('leaves out what the staff left empty', () => {
		const enrolment = enrolmentOfTreatment(
			{ ...treatment, areas: [], needleDepthMm: null, seriesTotal: null },
			null
		);
		expect(enrolment).toMatchObject({
			protocol: null,
			areas: null,
			needleDepthMm: null,
			seriesTotal: null
		});
		expect(enrolmentLink('https://clinic.example', enrolment)).toBe(
			'https://clinic.example/enrol#v=1&d=2027-04-08&t=10:30&z=Europe/Berlin&k=standard&n=1'
		);
	});
});

describe('qrPath', () => {
	it('draws each run of dark modules in a row as one rectangle', () => {
		expect(
			qrPath([
				[true, true, false, true],
				[false, false, false, false],
				[false, true, true, true]
			])
		).toBe('M0 0h2v1h-2zM3 0h1v1h-1zM1 2h3v1h-3z');
	});

	it('draws nothing for a blank grid', () => {
		expect(qrPath([[false, false]])).toBe('');
	});
});

describe('enrolmentMailto', () => {
	it('names the clinic in the subject and carries the link whole in the body', () => {
		const link = 'https://clinic.example/enrol#v=1&d=2027-04-08&t=10:30&n=1';
		const mailto = enrolmentMailto(link, 'Praxis Test');
		expect(mailto.startsWith('mailto:?subject=')).toBe(true);
		const params = new URL(mailto).searchParams;
		expect(params.get('subject')).toBe('Your aftercare plan from Praxis Test');
		expect(params.get('body')).toContain(`\n${link}\n`);
		// A "+" would read as a plus sign in a mail app: spaces are %20.
		expect(mailto).not.toContain('+');
	});

	it('leaves the clinic out of the subject when it has no name', () => {
		expect(
			new URL(enrolmentMailto('https://x.example/enrol#v=1', ' ')).searchParams.get('subject')
		).toBe('Your aftercare plan');
	});
});

describe('the patient’s language, whatever the page’s', () => {
	// The page speaks English; staff chose German for the patient.
	beforeAll(() => language.choose('en'));
	afterAll(() => language.choose(null));
	const enrolment = enrolmentOfTreatment({ ...treatment, seriesNumber: 2, type: 'rf' }, null);

	it('writes the e-mail in the patient’s language', () => {
		const link = enrolmentLink('https://clinic.example', enrolment, 'de');
		const params = new URL(enrolmentMailto(link, 'Praxis Test', 'de')).searchParams;
		expect(params.get('subject')).toBe('Praxis Test: Ihr Pflegeplan für die Nachsorge');
		expect(params.get('body')).toMatch(/^Guten Tag,\n\nöffnen Sie diesen Link/);
		expect(params.get('body')).toContain(`\n${link}\n`);
	});

	it('writes the handout’s date, time and session in it', () => {
		expect(handoutWhen(enrolment, 'de')).toBe(
			'Microneedling RF (Radiofrequenz) am Donnerstag, 8. April 2027 um 10:30 Uhr'
		);
		expect(handoutSeries(enrolment, 'de')).toBe('2. Sitzung von 3');
		expect(handoutWhen(enrolment, 'en', 'en-GB')).toMatch(
			/^Microneedling RF \(radiofrequency\) on Thursday,? 8 April 2027 at 10:30$/
		);
		expect(handoutSeries(enrolment, 'en')).toBe('2nd session of 3');
		expect(handoutSeries({ ...enrolment, seriesNumber: 1, seriesTotal: null }, 'de')).toBeNull();
	});
});
