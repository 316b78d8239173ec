/**
 * One funnel for what the app has to tell the patient: saved, or what went wrong (in words from
 * ./failure.ts, kept apart: the layout shows notices on every first visit, which needs none of
 * them).
 */
class Notices {
	message = $state<{ text: string; tone: 'ok' | 'error' } | null>(null);
	#timer: ReturnType<typeof setTimeout> | undefined;

	/** Says something briefly, in the polite live region; `text` is in the patient's language. */
	say(text: string, tone: 'ok' | 'error' = 'ok'): void {
		clearTimeout(this.#timer);
		this.message = { text, tone };
		this.#timer = setTimeout(() => (this.message = null), tone === 'error' ? 10_000 : 4_000);
	}
}

export const notices = new Notices();
