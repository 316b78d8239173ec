import { isIos, type NavigatorLike } from './ios';

/** Where the patient's "Not now" is remembered, so the offer never comes back by itself. */
export const dismissedKey = 'aftercare.install-dismissed';

/** What the patient chose in the browser's install dialog. */
export type InstallOutcome = 'accepted' | 'dismissed';

/**
 * Chromium's install event. It is not a standard, so the DOM types lack it:
 * https://wicg.github.io/manifest-incubations/#beforeinstallpromptevent-interface
 */
export interface BeforeInstallPromptEvent extends Event {
	/** Shows the browser's install dialog: once per event, and only during a user gesture. */
	prompt(): Promise<unknown>;
	/** Settles with what the patient chose in that dialog. */
	readonly userChoice: Promise<{ outcome: InstallOutcome; platform: string }>;
}

/** What the install state reads from the browser: `window` in the app, a fake in unit tests. */
export interface InstallHost {
	addEventListener(type: string, listener: (event: Event) => void): void;
	matchMedia(query: string): Pick<MediaQueryList, 'matches' | 'addEventListener'>;
	/** `standalone` is Safari's own flag for an app opened from the home screen. */
	readonly navigator: NavigatorLike & {
		standalone?: boolean;
	};
	readonly localStorage: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * Whether and how the patient can put the app on their home screen: Chromium's install dialog,
 * Safari's Add to Home Screen, or neither because it is there already. Inert until `start`.
 */
export class InstallState {
	#event = $state.raw<BeforeInstallPromptEvent | null>(null);
	#standalone = $state(false);
	#installedHere = $state(false);
	#ios = $state(false);
	#dismissed = $state(false);
	#host: InstallHost | null = null;

	/** The app runs from the home screen, or the browser has just installed it. */
	get installed(): boolean {
		return this.#standalone || this.#installedHere;
	}

	/** Chromium offered its install dialog for this page load, and it is still unused. */
	get canPrompt(): boolean {
		return this.#event !== null && !this.installed;
	}

	/** On an iPhone or iPad, in the browser: only the patient can add the app, from Share. */
	get iosGuidance(): boolean {
		return this.#ios && !this.#standalone;
	}

	/** The patient said "Not now" or "Got it" once, on this phone. */
	get dismissed(): boolean {
		return this.#dismissed;
	}

	/**
	 * Starts listening to the browser; later calls do nothing.
	 * @param host the browser window
	 */
	start(host: InstallHost): void {
		if (this.#host) {
			return;
		}
		this.#host = host;
		const display = host.matchMedia('(display-mode: standalone)');
		const standalone = () => display.matches || host.navigator.standalone === true;
		this.#standalone = standalone();
		display.addEventListener('change', () => (this.#standalone = standalone()));
		this.#ios = isIos(host.navigator);
		this.#dismissed = remembered(host);
		host.addEventListener('beforeinstallprompt', (event) => {
			// Keeps Chromium's own banner away: the app offers installing in its own words, once.
			event.preventDefault();
			this.#event = event as BeforeInstallPromptEvent;
		});
		host.addEventListener('appinstalled', () => {
			this.#installedHere = true;
			this.#event = null;
		});
	}

	/**
	 * Opens Chromium's install dialog; call it from a click. Declining there counts as "Not now".
	 * @returns what the patient chose, or null when the browser offered no dialog
	 */
	async promptInstall(): Promise<InstallOutcome | null> {
		const event = this.#event;
		if (!event) {
			return null;
		}
		// An event opens its dialog only once; the browser sends a fresh one on a later visit.
		this.#event = null;
		await event.prompt();
		const { outcome } = await event.userChoice;
		if (outcome === 'accepted') {
			// `appinstalled` follows, but only once the installation has finished.
			this.#installedHere = true;
		} else {
			this.dismiss();
		}
		return outcome;
	}

	/** Hides the offer for good on this phone; Settings still tells how to install. */
	dismiss(): void {
		this.#dismissed = true;
		try {
			this.#host?.localStorage.setItem(dismissedKey, 'true');
		} catch {
			// Storage blocked (private browsing, site data off): remembered until the app closes.
		}
	}
}

/** Whether "Not now" was said on an earlier visit; blocked storage reads as "no". */
function remembered(host: InstallHost): boolean {
	try {
		return host.localStorage.getItem(dismissedKey) !== null;
	} catch {
		return false;
	}
}

const install = new InstallState();

/**
 * The app's install state, listening to the browser from the first call on; outside a browser it
 * stays inert. Chromium sends `beforeinstallprompt` once per page load, so the earlier the first
 * call, the fewer offers are missed.
 * @returns the one install state of the app
 */
export function startInstallWatch(): InstallState {
	if (typeof window !== 'undefined') {
		install.start(window);
	}
	return install;
}
