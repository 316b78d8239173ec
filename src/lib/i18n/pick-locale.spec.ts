import { describe, expect, it } from 'vitest';
import { canonicalTag, fallbackChain, pickLocale } from './pick-locale';

const available = ['en', 'de'] as const;

describe('pickLocale', () => {
	it("takes the patient's own choice over the phone's languages", () => {
		expect(pickLocale('de', ['en-GB', 'en'], available)).toEqual({ locale: 'de', tag: 'de' });
		expect(pickLocale('en', ['de-DE'], available)).toEqual({ locale: 'en', tag: 'en' });
	});

	it("follows the phone's first language the app has, keeping its region for dates", () => {
		expect(pickLocale(null, ['fr-FR', 'de-AT', 'en'], available)).toEqual({
			locale: 'de',
			tag: 'de-AT'
		});
		expect(pickLocale(null, ['en-US'], available)).toEqual({ locale: 'en', tag: 'en-US' });
	});

	it('falls back to English for a language the app lacks, or a saved choice it no longer has', () => {
		expect(pickLocale(null, ['ja-JP', 'fr'], available)).toEqual({ locale: 'en', tag: 'en' });
		expect(pickLocale('tlh', [], available)).toEqual({ locale: 'en', tag: 'en' });
	});

	it('skips malformed tags a browser might report', () => {
		expect(pickLocale(null, ['', 'not a tag!', 'de'], available)).toEqual({
			locale: 'de',
			tag: 'de'
		});
	});
});

describe('canonicalTag', () => {
	it('spells a tag canonically and refuses nonsense', () => {
		expect(canonicalTag('DE-at')).toBe('de-AT');
		expect(canonicalTag('de_AT')).toBeNull();
	});
});

describe('fallbackChain', () => {
	it('looks under the region, then the language, then the default language', () => {
		expect(fallbackChain('de-AT', 'en')).toEqual(['de-AT', 'de', 'en']);
		expect(fallbackChain('de', 'de')).toEqual(['de']);
		expect(fallbackChain('en-GB', 'en')).toEqual(['en-GB', 'en']);
	});
});
