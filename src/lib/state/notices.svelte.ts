/** One funnel for what the app has to tell the patient: saved, or what went wrong. */
class Notices {
	message = $state<{ text: string; tone: 'ok' | 'error' } | null>(null);
	#timer: ReturnType<typeof setTimeout> | undefined;

	/** Says something briefly, in the polite live region. */
	say(text: string, tone: 'ok' | 'error' = 'ok'): void {
		clearTimeout(this.#timer);
		this.message = { text, tone };
		this.#timer = setTimeout(() => (this.message = null), tone === 'error' ? 10_000 : 4_000);
	}

	/**
	 * Turns any failure into words for the patient; aborted work is not a failure.
	 * @param error whatever was thrown
	 * @param doing what the app was trying to do, e.g. "save your treatment"
	 */
	failed(error: unknown, doing: string): void {
		const cause = error instanceof Error ? error : new Error(String(error));
		if (cause.name === 'AbortError') {
			return;
		}
		console.error(cause);
		if (cause.name === 'StorageTimeoutError') {
			// Whether the work was done is not known: the message says what to do instead.
			this.say(`Could not ${doing}. ${cause.message}`, 'error');
			return;
		}
		const storage =
			cause.name === 'QuotaExceededError' ? ' Your phone is out of storage space.' : '';
		this.say(`Could not ${doing}.${storage} Nothing else was changed; please try again.`, 'error');
	}
}

export const notices = new Notices();
