import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PhotoError } from '$lib/device/photo-processing';
import { language } from '$lib/i18n/language.svelte';
import { photoErrorText } from './photo-words';

describe('photoErrorText', () => {
	it('tells the patient why a photo could not be used', () => {
		expect(photoErrorText(new PhotoError('unreadable', 'x'))).toBe(
			'This file is not a photo this phone can read'
		);
		expect(photoErrorText(new PhotoError('encode', 'x'))).toBe(
			'This photo could not be saved. Please try again.'
		);
		expect(photoErrorText(new Error('anything else'))).toBe(
			'This photo could not be saved. Please try again.'
		);
	});

	describe('in German', () => {
		beforeAll(() => language.choose('de'));
		afterAll(() => language.choose(null));

		it('says it in German', () => {
			expect(photoErrorText(new PhotoError('unreadable', 'x'))).toBe(
				'Diese Datei ist kein Foto, das dieses Telefon lesen kann'
			);
			expect(photoErrorText(new PhotoError('encode', 'x'))).toBe(
				'Dieses Foto konnte nicht gespeichert werden. Bitte versuchen Sie es noch einmal.'
			);
		});
	});
});
