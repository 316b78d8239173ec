import { m } from '$lib/paraglide/messages';

/** One funnel for what the app has to tell the patient: saved, or what went wrong. */
class Notices {
	message = $state<{ text: string; tone: 'ok' | 'error' } | null>(null);
	#timer: ReturnType<typeof setTimeout> | undefined;

	/** Says something briefly, in the polite live region; `text` is in the patient's language. */
	say(text: string, tone: 'ok' | 'error' = 'ok'): void {
		clearTimeout(this.#timer);
		this.message = { text, tone };
		this.#timer = setTimeout(() => (this.message = null), tone === 'error' ? 10_000 : 4_000);
	}

	/**
	 * Turns any failure into words for the patient; aborted work is not a failure.
	 * @param error whatever was thrown
	 * @param doing what the app was trying to do, from the message catalogue in the patient's
	 *   language: a phrase to follow "Could not …" in English ("save your treatment") and
	 *   "Fehlgeschlagen: …" in German ("Ihre Behandlung speichern")
	 */
	failed(error: unknown, doing: string): void {
		const cause = error instanceof Error ? error : new Error(String(error));
		if (cause.name === 'AbortError') {
			return;
		}
		console.error(cause);
		if (cause.name === 'StorageTimeoutError') {
			// Whether the work was done is not known: the message says what to do instead.
			this.say(m.shell_failed_with_reason({ doing, reason: cause.message }), 'error');
			return;
		}
		this.say(
			cause.name === 'QuotaExceededError'
				? m.shell_failed_storage_full({ doing })
				: m.shell_failed({ doing }),
			'error'
		);
	}
}

export const notices = new Notices();
