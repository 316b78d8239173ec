import { describe, expect, it } from 'vitest';
import {
	enrolmentFragment,
	enrolmentLink,
	forProtocol,
	readEnrolment,
	type Enrolment
} from './enrolment';

const full: Enrolment = {
	protocol: 'microneedling',
	date: '2027-04-08',
	time: '10:30',
	timeZone: 'Europe/Berlin',
	areas: ['face', 'neck'],
	type: 'standard',
	needleDepthMm: 1.5,
	seriesNumber: 1,
	seriesTotal: 3
};
const least: Enrolment = {
	protocol: null,
	date: '2027-04-08',
	time: '10:30',
	timeZone: null,
	areas: null,
	type: null,
	needleDepthMm: null,
	seriesNumber: 1,
	seriesTotal: null
};

describe('an enrolment link', () => {
	it('is the documented fragment, readable and short', () => {
		expect(enrolmentLink('https://clinic.example/', full)).toBe(
			'https://clinic.example/enrol#v=1&p=microneedling&d=2027-04-08&t=10:30&z=Europe/Berlin&a=face,neck&k=standard&mm=1.5&n=1&of=3'
		);
		expect(enrolmentFragment(least)).toBe('v=1&d=2027-04-08&t=10:30&n=1');
	});

	it('reads back exactly what was written, with or without its #', () => {
		for (const enrolment of [full, least]) {
			const fragment = enrolmentFragment(enrolment);
			expect(readEnrolment(fragment)).toEqual({
				enrolment,
				found: expect.anything(),
				problems: [],
				language: null
			});
			expect(readEnrolment(`#${fragment}`).enrolment).toEqual(enrolment);
		}
	});

	it('reads what a booking system may write: encoded slashes and commas, other key order', () => {
		expect(
			readEnrolment('n=2&t=09:00&d=2027-05-06&v=1&z=America%2FNew_York&a=face%2Cscalp').enrolment
		).toEqual({
			...least,
			date: '2027-05-06',
			time: '09:00',
			timeZone: 'America/New_York',
			areas: ['face', 'scalp'],
			seriesNumber: 2
		});
	});
});

describe('a link that cannot be used whole', () => {
	it('says a link cut short is not whole, and keeps what it could read', () => {
		const cut = enrolmentFragment(full).slice(0, 28); // "v=1&p=microneedling&d=2027-0"
		const read = readEnrolment(cut);
		expect(read.enrolment).toBeNull();
		expect(read.found).toEqual({ protocol: 'microneedling' });
		expect(read.problems).toEqual([
			'The treatment date is missing or could not be read.',
			'The appointment time is missing or could not be read.'
		]);
	});

	it('says a newer version needs a newer app, yet keeps the date and time for the form', () => {
		const read = readEnrolment('v=2&d=2027-04-08&t=10:30');
		expect(read.enrolment).toBeNull();
		expect(read.problems).toEqual([
			'This link is from a newer version of the app. Reload the app and open it again.'
		]);
		expect(read.found).toEqual({ date: '2027-04-08', time: '10:30' });
	});

	it('names each field it could not read', () => {
		const read = readEnrolment(
			'v=1&p=../../etc&d=2027-02-30&t=25:00&z=Mars/Olympus&a=face,<b>&k=laser&mm=-1&n=0&of=x'
		);
		expect(read.enrolment).toBeNull();
		expect(read.found).toEqual({});
		expect(read.problems).toHaveLength(9);
	});

	it('refuses a session beyond the series, and anything that is not a link of ours', () => {
		expect(readEnrolment('v=1&d=2027-04-08&t=10:30&n=4&of=3').problems).toEqual([
			'Session 4 cannot be part of a series of 3.'
		]);
		for (const junk of ['', '#', 'hello', '%E0%A4%A', 'v=1'.repeat(1000), 'v=abc&d=x']) {
			const read = readEnrolment(junk);
			expect(read.enrolment, junk).toBeNull();
			expect(read.problems.length, junk).toBeGreaterThan(0);
		}
	});
});

describe('a link for this server', () => {
	it('is used when it names the served protocol, or none', () => {
		const read = readEnrolment(enrolmentFragment(full));
		expect(forProtocol(read, 'microneedling')).toEqual({
			enrolment: full,
			found: { ...read.found, protocol: undefined },
			problems: [],
			language: null
		});
		expect(forProtocol(readEnrolment(enrolmentFragment(least)), 'other').enrolment).toEqual(least);
	});

	it('is explained when it names another protocol, the rest kept for the form', () => {
		const read = forProtocol(readEnrolment(enrolmentFragment(full)), 'laser-peel');
		expect(read.enrolment).toBeNull();
		expect(read.problems).toEqual([
			'This link is for a treatment plan this app does not have (“microneedling”). Your clinic may have changed its plans since: ask them for a new link, or enter your treatment yourself.'
		]);
		expect(read.found).toEqual({
			date: '2027-04-08',
			time: '10:30',
			timeZone: 'Europe/Berlin',
			areas: ['face', 'neck'],
			type: 'standard',
			needleDepthMm: 1.5,
			seriesNumber: 1,
			seriesTotal: 3
		});
	});
});

describe('the patient’s language in a link', () => {
	it('is written as lang, last, and read back with the same treatment', () => {
		const link = enrolmentLink('https://clinic.example', full, 'de');
		expect(link).toBe(
			'https://clinic.example/enrol#v=1&p=microneedling&d=2027-04-08&t=10:30&z=Europe/Berlin&a=face,neck&k=standard&mm=1.5&n=1&of=3&lang=de'
		);
		const read = readEnrolment(new URL(link).hash);
		expect(read).toEqual({
			enrolment: full,
			found: expect.anything(),
			problems: [],
			language: 'de'
		});
	});

	it('is left out when none is given, and reads as none', () => {
		const fragment = enrolmentFragment(least);
		expect(fragment).not.toContain('lang');
		expect(readEnrolment(fragment).language).toBeNull();
	});

	it('keeps a region, in its canonical spelling', () => {
		expect(enrolmentFragment(least, 'DE-at')).toBe('v=1&d=2027-04-08&t=10:30&n=1&lang=de-AT');
		expect(readEnrolment('v=1&d=2027-04-08&t=10:30&lang=de-at').language).toBe('de-AT');
	});

	it('is ignored when malformed, never a problem that loses the plan', () => {
		for (const lang of ['not a tag', '12', 'de_DE!', '']) {
			const read = readEnrolment(`v=1&d=2027-04-08&t=10:30&lang=${encodeURIComponent(lang)}`);
			expect(read.enrolment, lang).toEqual({ ...least });
			expect(read.problems, lang).toEqual([]);
			expect(read.language, lang).toBeNull();
		}
	});

	it('is read even from a link that cannot be used, and kept for another protocol', () => {
		expect(readEnrolment('v=1&d=2027-04-08&lang=de').language).toBe('de');
		const other = forProtocol(readEnrolment(enrolmentFragment(full, 'de')), 'laser-peel');
		expect(other.language).toBe('de');
	});
});
