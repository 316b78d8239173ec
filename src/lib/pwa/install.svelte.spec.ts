import { describe, expect, it } from 'vitest';
import {
	dismissedKey,
	InstallState,
	type BeforeInstallPromptEvent,
	type InstallHost,
	type InstallOutcome
} from './install.svelte';

const android =
	'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36';
const iPhone =
	'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** A browser window as far as the install state sees it, with its listeners counted. */
function aBrowser({
	userAgent = android,
	platform = 'Linux armv8l',
	maxTouchPoints = 5,
	displayStandalone = false,
	safariStandalone = undefined as boolean | undefined,
	stored = {} as Record<string, string>,
	storageBlocked = false
} = {}) {
	const events = new EventTarget();
	const display = Object.assign(new EventTarget(), { matches: displayStandalone });
	const blocked = () => {
		throw new DOMException('The operation is insecure.', 'SecurityError');
	};
	let listeners = 0;
	const host: InstallHost = {
		addEventListener(type, listener) {
			listeners += 1;
			events.addEventListener(type, listener);
		},
		matchMedia: () => display,
		navigator: { userAgent, platform, maxTouchPoints, standalone: safariStandalone },
		localStorage: {
			getItem: (key) => (storageBlocked ? blocked() : (stored[key] ?? null)),
			setItem: (key, value) => (storageBlocked ? blocked() : (stored[key] = value))
		}
	};
	return {
		host,
		stored,
		listeners: () => listeners,
		/** Fires Chromium's offer, whose dialog answers `outcome`; says whether it was kept. */
		offer(outcome: InstallOutcome = 'accepted') {
			const prompts: number[] = [];
			const event = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
				prompt: async () => prompts.push(1),
				userChoice: Promise.resolve({ outcome, platform: 'web' })
			}) satisfies BeforeInstallPromptEvent;
			events.dispatchEvent(event);
			return { kept: event.defaultPrevented, prompts };
		},
		installed: () => events.dispatchEvent(new Event('appinstalled')),
		/** The phone switches to (or from) the app window. */
		setStandalone(matches: boolean) {
			display.matches = matches;
			display.dispatchEvent(new Event('change'));
		}
	};
}

function started(browser: ReturnType<typeof aBrowser>) {
	const install = new InstallState();
	install.start(browser.host);
	return install;
}

describe('InstallState on Chromium', () => {
	it('keeps the install offer instead of letting the browser show its own banner', () => {
		const browser = aBrowser();
		const install = started(browser);
		expect(install.canPrompt).toBe(false);

		expect(browser.offer().kept).toBe(true);
		expect(install.canPrompt).toBe(true);
		expect(install.iosGuidance).toBe(false);
		expect(install.installed).toBe(false);
	});

	it('opens the dialog once; accepting it counts as installed', async () => {
		const browser = aBrowser();
		const install = started(browser);
		const { prompts } = browser.offer('accepted');

		expect(await install.promptInstall()).toBe('accepted');
		expect(prompts).toHaveLength(1);
		expect(install.installed).toBe(true);
		expect(install.canPrompt).toBe(false);
		expect(await install.promptInstall()).toBeNull();
		expect(prompts).toHaveLength(1);
	});

	it('declining the dialog is a "Not now", remembered on the phone', async () => {
		const browser = aBrowser();
		const install = started(browser);
		browser.offer('dismissed');

		expect(await install.promptInstall()).toBe('dismissed');
		expect(install.dismissed).toBe(true);
		expect(install.installed).toBe(false);
		expect(browser.stored[dismissedKey]).toBeDefined();
	});

	it('knows the app is installed from appinstalled or the standalone display mode', () => {
		const browser = aBrowser();
		const install = started(browser);
		browser.offer();
		browser.installed();
		expect(install.installed).toBe(true);
		expect(install.canPrompt).toBe(false);

		const inApp = started(aBrowser({ displayStandalone: true }));
		expect(inApp.installed).toBe(true);

		const later = aBrowser();
		const switched = started(later);
		later.setStandalone(true);
		expect(switched.installed).toBe(true);
	});

	it('listens once, however often it is started', () => {
		const browser = aBrowser();
		const install = started(browser);
		const listeners = browser.listeners();
		install.start(browser.host);
		install.start(aBrowser().host);
		expect(browser.listeners()).toBe(listeners);
	});
});

describe('InstallState on an iPhone', () => {
	it('gives the Share steps in Safari, and nothing once opened from the home screen', () => {
		const inSafari = started(aBrowser({ userAgent: iPhone, platform: 'iPhone' }));
		expect(inSafari.iosGuidance).toBe(true);
		expect(inSafari.canPrompt).toBe(false);

		const fromHomeScreen = started(
			aBrowser({ userAgent: iPhone, platform: 'iPhone', safariStandalone: true })
		);
		expect(fromHomeScreen.iosGuidance).toBe(false);
		expect(fromHomeScreen.installed).toBe(true);
	});
});

describe('InstallState.dismiss', () => {
	it('is remembered across visits', () => {
		const stored: Record<string, string> = {};
		const first = started(aBrowser({ stored }));
		expect(first.dismissed).toBe(false);
		first.dismiss();
		expect(first.dismissed).toBe(true);

		expect(started(aBrowser({ stored })).dismissed).toBe(true);
	});

	it('still works for the visit when storage is blocked', () => {
		const install = started(aBrowser({ storageBlocked: true }));
		expect(install.dismissed).toBe(false);
		install.dismiss();
		expect(install.dismissed).toBe(true);
	});
});
