/**
 * Whether the phone has a connection, kept up to date: what the browser says, corrected by what
 * the app saw. A phone may say it is online while nothing gets through (a dead Wi-Fi, a captive
 * portal), and Chromium may not yet have told a page restarted offline; a request to the app's
 * own server that got no answer at all settles it.
 */
class Connection {
	#browserOnline = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
	/** The last request to the app's server got no answer at all. */
	#serverUnreachable = $state(false);

	constructor() {
		if (typeof window !== 'undefined') {
			window.addEventListener('online', () => {
				this.#browserOnline = true;
				// A new connection: the next request will tell.
				this.#serverUnreachable = false;
			});
			window.addEventListener('offline', () => (this.#browserOnline = false));
			// Back to the app (from the home screen, or after fixing the Wi-Fi): ask again.
			document.addEventListener('visibilitychange', () => {
				if (document.visibilityState === 'visible' && this.#serverUnreachable) {
					void this.#probe();
				}
			});
		}
	}

	async #probe(): Promise<void> {
		try {
			await fetch('/api/health', { method: 'HEAD', cache: 'no-store' });
			this.#serverUnreachable = false;
		} catch {
			// Still nothing gets through.
		}
	}

	get online(): boolean {
		return this.#browserOnline && !this.#serverUnreachable;
	}

	/** @param answered whether the app's server answered the last request (any status) */
	serverAnswered(answered: boolean): void {
		this.#serverUnreachable = !answered;
	}
}

export const connection = new Connection();
