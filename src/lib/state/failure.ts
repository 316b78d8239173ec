import { m } from '$lib/paraglide/messages';
import { notices } from './notices.svelte';

/**
 * Turns any failure into words for the patient; aborted work is not a failure.
 * @param error whatever was thrown
 * @param doing what the app was trying to do, from the message catalogue in the patient's
 *   language: a phrase to follow "Could not …" in English ("save your treatment") and
 *   "Fehlgeschlagen: …" in German ("Ihre Behandlung speichern")
 */
export function sayFailure(error: unknown, doing: string): void {
	const cause = error instanceof Error ? error : new Error(String(error));
	if (cause.name === 'AbortError') {
		return;
	}
	console.error(cause);
	if (cause.name === 'StorageTimeoutError') {
		// Whether the work was done is not known: the message says what to do instead.
		notices.say(m.shell_failed_with_reason({ doing, reason: cause.message }), 'error');
		return;
	}
	notices.say(
		cause.name === 'QuotaExceededError'
			? m.shell_failed_storage_full({ doing })
			: m.shell_failed({ doing }),
		'error'
	);
}
