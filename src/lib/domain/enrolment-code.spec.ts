import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { language } from '$lib/i18n/language.svelte';
import type { Enrolment } from './enrolment';
import { enrolmentCode, enrolmentCodeLength, readEnrolmentCode, zoneHash } from './enrolment-code';

const areaIds = ['face', 'neck', 'back', 'legs', 'other'];
const zones = ['Europe/London', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'];

const full: Enrolment = {
	protocol: null,
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
	date: '2025-01-01',
	time: '00:00',
	timeZone: null,
	areas: null,
	type: null,
	needleDepthMm: null,
	seriesNumber: 1,
	seriesTotal: null
};
const most: Enrolment = {
	protocol: null,
	date: '2047-06-06',
	time: '23:59',
	timeZone: 'Asia/Tokyo',
	areas: [...areaIds],
	type: 'rf',
	needleDepthMm: 3.15,
	seriesNumber: 15,
	seriesTotal: 15
};

const code = (enrolment: Enrolment) => {
	const text = enrolmentCode(enrolment, areaIds);
	if (text === null) {
		throw new Error('no code');
	}
	return text;
};
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

describe('an enrolment code', () => {
	it('is 12 characters of Crockford base32, in groups of four', () => {
		expect(enrolmentCodeLength).toBe(12);
		for (const enrolment of [full, least, most]) {
			expect(code(enrolment)).toMatch(
				/^[0-9A-HJKMNP-TV-Z]{4} [0-9A-HJKMNP-TV-Z]{4} [0-9A-HJKMNP-TV-Z]{4}$/
			);
		}
	});

	it('reads back exactly what was written', () => {
		for (const enrolment of [
			full,
			least,
			most,
			{
				...full,
				timeZone: 'America/New_York',
				type: 'rf' as const,
				needleDepthMm: 0.25,
				seriesNumber: 2,
				seriesTotal: null
			}
		]) {
			expect(readEnrolmentCode(code(enrolment), areaIds, zones)).toEqual({
				enrolment,
				problems: []
			});
		}
	});

	it('accepts lower case, spaces, dashes, and O, I, L for 0, 1, 1', () => {
		const written = code(full);
		const typed = written.toLowerCase().replace(/ /g, ' - ').replace(/0/g, 'o').replace(/1/g, 'l');
		expect(readEnrolmentCode(`  ${typed} `, areaIds, zones).enrolment).toEqual(full);
	});

	it('catches every single mistyped character and every swap of neighbours', () => {
		const written = code(full).replace(/ /g, '');
		for (let index = 0; index < written.length; index++) {
			for (const other of alphabet) {
				if (other === written[index]) {
					continue;
				}
				const typo = written.slice(0, index) + other + written.slice(index + 1);
				expect(readEnrolmentCode(typo, areaIds, zones).enrolment).toBeNull();
			}
			if (index + 1 < written.length && written[index] !== written[index + 1]) {
				const swapped =
					written.slice(0, index) + written[index + 1] + written[index] + written.slice(index + 2);
				expect(readEnrolmentCode(swapped, areaIds, zones).problems).toEqual([
					'This code has a typing mistake: check each character against the code you were shown.'
				]);
			}
		}
	});

	it('says what is wrong with what was typed, in words', () => {
		expect(readEnrolmentCode('', areaIds, zones).problems).toEqual([
			'Enter the code your clinic gave you.'
		]);
		expect(readEnrolmentCode('4F7K 2M9Q', areaIds, zones).problems).toEqual([
			'This code has 8 characters; a code from your clinic has 12. Check it and try again.'
		]);
		expect(readEnrolmentCode('4', areaIds, zones).problems[0]).toContain('has 1 character;');
		expect(readEnrolmentCode('4F7K-2M9Q-X3B!', areaIds, zones).problems[0]).toContain(
			'only letters and numbers'
		);
		expect(readEnrolmentCode('UUUU UUUU UUUU', areaIds, zones).enrolment).toBeNull();
	});

	it('finds the phone’s zone first, and says when it knows no zone of that hash', () => {
		const berlin = code(full);
		expect(readEnrolmentCode(berlin, areaIds, ['Europe/Berlin']).enrolment?.timeZone).toBe(
			'Europe/Berlin'
		);
		expect(readEnrolmentCode(berlin, areaIds, ['Asia/Tokyo']).problems).toEqual([
			'The clinic’s time zone in this code is not known to this phone.'
		]);
		const hashes = zones.map(zoneHash);
		expect(new Set(hashes).size).toBe(zones.length);
		expect(hashes.every((hash) => hash >= 1 && hash <= 511)).toBe(true);
	});

	it('refuses a code for areas this protocol does not list', () => {
		expect(readEnrolmentCode(code(most), ['face', 'neck'], zones).problems).toEqual([
			'This code is for a treatment this app does not know.'
		]);
	});

	it('is not made for what it cannot carry', () => {
		expect(enrolmentCode({ ...full, date: '2024-12-31' }, areaIds)).toBeNull();
		expect(enrolmentCode({ ...full, date: '2047-06-07' }, areaIds)).toBeNull();
		expect(enrolmentCode({ ...full, needleDepthMm: 1.33 }, areaIds)).toBeNull();
		expect(enrolmentCode({ ...full, needleDepthMm: 3.2 }, areaIds)).toBeNull();
		expect(enrolmentCode({ ...full, seriesNumber: 17, seriesTotal: null }, areaIds)).toBeNull();
		expect(enrolmentCode({ ...full, seriesTotal: 16 }, areaIds)).toBeNull();
		expect(enrolmentCode({ ...full, areas: ['scalp'] }, areaIds)).toBeNull();
	});
});

describe('a typed code, in German', () => {
	beforeAll(() => language.choose('de'));
	afterAll(() => language.choose(null));

	it('says what is wrong in German, with the count', () => {
		expect(readEnrolmentCode('', areaIds, zones).problems).toEqual([
			'Geben Sie den Code ein, den Sie von Ihrer Praxis erhalten haben.'
		]);
		expect(readEnrolmentCode('4F7K 2M9Q', areaIds, zones).problems).toEqual([
			'Dieser Code hat 8 Zeichen; ein Code Ihrer Praxis hat 12. Bitte prüfen Sie ihn und versuchen Sie es erneut.'
		]);
		expect(readEnrolmentCode('4', areaIds, zones).problems[0]).toContain('hat 1 Zeichen;');
	});
});
