import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, serializeCalendar } from './icalendar';

const octets = (line: string) => new TextEncoder().encode(line).length;

/**
 * Text long enough to fold, mixing any printable Unicode character (1 to 4 octets) with the
 * characters TEXT escapes and both kinds of line break.
 */
const anyText = fc.string({
	unit: fc.oneof(
		fc.constantFrom(',', ';', '\\', '\n', '\r\n', '’', '🧊', 'a'),
		fc
			.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })
			.filter((char) => !/\p{Cc}/u.test(char))
	),
	minLength: 20,
	maxLength: 300
});

describe('foldLine', () => {
	it('leaves a line of 75 octets whole and folds the 76th onto a line starting with a space', () => {
		const full = `SUMMARY:${'a'.repeat(67)}`;
		expect(foldLine(full)).toBe(full);
		expect(foldLine(`${full}b`)).toBe(`${full}\r\n b`);
	});

	it('counts octets, not characters: "’" is three of them', () => {
		// 74 octets, then a character of 3 that would end at octet 77: it starts the next line.
		const line = `DESCRIPTION:${'a'.repeat(62)}’s`;
		expect(foldLine(line)).toBe(`DESCRIPTION:${'a'.repeat(62)}\r\n ’s`);
	});

	it('folds German words by octets: an umlaut is two of them and is never split', () => {
		// 74 octets of ASCII, then "ä" (2 octets): the umlaut starts the next line whole.
		const line = `DESCRIPTION:${'x'.repeat(62)}äöü Größe`;
		const folded = foldLine(line).split('\r\n');
		expect(folded[0]).toBe(`DESCRIPTION:${'x'.repeat(62)}`);
		expect(new TextEncoder().encode(folded[0]).length).toBe(74);
		expect(folded[1]).toBe(' äöü Größe');
		expect(folded.map((part, index) => (index === 0 ? part : part.slice(1))).join('')).toBe(line);
		// Only umlauts: 37 of them (74 octets) per first line, 37 after the space.
		const umlauts = foldLine('ü'.repeat(80)).split('\r\n');
		expect(umlauts.map((part) => new TextEncoder().encode(part).length)).toEqual([74, 75, 13]);
	});

	it('keeps a four-octet character (a surrogate pair in JavaScript) in one piece', () => {
		const line = `SUMMARY:${'a'.repeat(66)}🧊🧊`;
		expect(foldLine(line)).toBe(`SUMMARY:${'a'.repeat(66)}\r\n 🧊🧊`);
	});

	it('gives lines of at most 75 octets that unfold to the original, for any text', () => {
		fc.assert(
			fc.property(anyText, (text) => {
				const line = `DESCRIPTION:${escapeText(text)}`;
				const folded = foldLine(line);
				const lines = folded.split('\r\n');
				expect(lines.every((one) => octets(one) <= 75)).toBe(true);
				expect(lines.slice(1).every((one) => one.startsWith(' ') && one.length > 1)).toBe(true);
				expect(folded.replace(/\r\n /g, '')).toBe(line);
				// No lone surrogate: a split pair would not survive encoding.
				expect(new TextDecoder().decode(new TextEncoder().encode(folded))).toBe(folded);
			})
		);
	});
});

describe('escapeText', () => {
	it('escapes backslash, semicolon, comma and every kind of line break', () => {
		expect(escapeText('a\\b;c,d\ne\r\nf\rg: "h"')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng: "h"');
	});

	it('drops control characters TEXT does not allow, and keeps tabs', () => {
		expect(escapeText('a\u0000b\u0007c\td\u007f')).toBe('abc\td');
	});

	it('round-trips any text through an independent parser', () => {
		fc.assert(
			fc.property(anyText, (text) => {
				const file = serializeCalendar({
					name: 'VCALENDAR',
					properties: [
						['VERSION', { token: '2.0' }],
						['PRODID', 'test']
					],
					components: [
						{
							name: 'VEVENT',
							properties: [
								['UID', 'x'],
								['DTSTAMP', { utc: 0 }],
								['DTSTART', { utc: 0 }],
								['SUMMARY', text]
							]
						}
					]
				});
				const event = new ICAL.Component(ICAL.parse(file)).getFirstSubcomponent('vevent')!;
				expect(event.getFirstPropertyValue('summary')).toBe(text.replace(/\r\n/g, '\n'));
			})
		);
	});
});

describe('serializeCalendar', () => {
	it('writes durations, UTC times, integers and tokens as RFC 5545 spells them', () => {
		const text = serializeCalendar({
			name: 'VALARM',
			properties: [
				['ACTION', { token: 'DISPLAY' }],
				['TRIGGER', { minutes: -120 }],
				['X-A', { minutes: 90 }],
				['X-B', { minutes: 0 }],
				['X-C', { minutes: 24 * 60 + 5 }],
				['X-D', { utc: Date.UTC(2026, 11, 14, 9, 5, 7) }],
				['X-E', { integer: 42 }]
			]
		});
		expect(text).toBe(
			[
				'BEGIN:VALARM',
				'ACTION:DISPLAY',
				'TRIGGER:-PT2H',
				'X-A:PT1H30M',
				'X-B:PT0S',
				'X-C:PT24H5M',
				'X-D:20261214T090507Z',
				'X-E:42',
				'END:VALARM',
				''
			].join('\r\n')
		);
	});

	it('refuses a token that would break the line, and a time or number that is not one', () => {
		const bad = (value: Parameters<typeof serializeCalendar>[0]['properties'][number][1]) => () =>
			serializeCalendar({ name: 'X', properties: [['X-A', value]] });
		expect(bad({ token: 'A\r\nB:C' })).toThrow(RangeError);
		expect(bad({ utc: Number.NaN })).toThrow(RangeError);
		expect(bad({ minutes: 1.5 })).toThrow(RangeError);
		expect(bad({ integer: Infinity })).toThrow(RangeError);
	});
});
