import { sayFailure } from '$lib/state/failure';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { language } from '$lib/i18n/language.svelte';
import { notices } from './notices.svelte';

function failure(name: string, message = 'boom'): Error {
	const error = new Error(message);
	error.name = name;
	return error;
}

describe('what went wrong, in words for the patient', () => {
	beforeAll(() => vi.spyOn(console, 'error').mockImplementation(() => {}));
	afterEach(() => (notices.message = null));
	afterAll(() => vi.restoreAllMocks());

	it('says what could not be done, and that nothing else changed', () => {
		sayFailure(failure('Error'), 'save your treatment');
		expect(notices.message).toEqual({
			text: 'Could not save your treatment. Nothing else was changed; please try again.',
			tone: 'error'
		});
		sayFailure(failure('QuotaExceededError'), 'save your treatment');
		expect(notices.message?.text).toBe(
			'Could not save your treatment. Your phone is out of storage space. Nothing else was changed; please try again.'
		);
	});

	it('passes on what to do when the storage did not answer', () => {
		sayFailure(failure('StorageTimeoutError', 'Close the app and open it again.'), 'save it');
		expect(notices.message?.text).toBe('Could not save it. Close the app and open it again.');
	});

	it('stays quiet about aborted work', () => {
		sayFailure(failure('AbortError'), 'save it');
		expect(notices.message).toBeNull();
	});

	describe('in German', () => {
		beforeAll(() => language.choose('de'));
		afterAll(() => language.choose(null));

		it('names the failed action in a whole sentence', () => {
			sayFailure(failure('Error'), 'Ihre Behandlung speichern');
			expect(notices.message?.text).toBe(
				'Fehlgeschlagen: Ihre Behandlung speichern. Sonst wurde nichts geändert; bitte versuchen Sie es noch einmal.'
			);
			sayFailure(failure('QuotaExceededError'), 'Ihre Behandlung speichern');
			expect(notices.message?.text).toBe(
				'Fehlgeschlagen: Ihre Behandlung speichern. Der Speicher Ihres Telefons ist voll. Sonst wurde nichts geändert; bitte versuchen Sie es noch einmal.'
			);
		});
	});
});
