import type { Workbox } from 'workbox-window';

const WORKER_URL = '/service-worker.js';

/** How often an open app asks whether a new version is out. */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

/**
 * Registers the service worker and reports a new version once it waits to take over.
 * The new version only takes over when the patient chooses to reload, and every open page then
 * reloads, so no page runs against a worker of another build.
 *
 * The browser's own registration does the work every visit needs; workbox-window, which offers
 * the waiting version and tells it to take over, is loaded only once there is one (decision
 * 0006: it was 2 KB gzip of every first visit, which never has an older version to replace).
 * @param onUpdateReady called when a new version waits; call `activate` to switch to it
 */
export function registerServiceWorker(onUpdateReady: (activate: () => void) => void): void {
	if (!('serviceWorker' in navigator)) {
		return;
	}
	let controlled = navigator.serviceWorker.controller !== null;
	// A worker took over from another one (after "Reload" here or in another tab): reload onto
	// its build. The very first install takes over a page that this same build served, and the
	// page was not controlled before, so that one change needs no reload.
	navigator.serviceWorker.addEventListener('controllerchange', () => {
		if (controlled) {
			window.location.reload();
		}
		controlled = true;
	});

	let offering: Promise<Workbox> | undefined;
	/** Loads workbox-window, which finds the waiting worker and reports it (again for later ones). */
	function offerUpdate(): void {
		offering ??= import('workbox-window').then(async ({ Workbox }) => {
			const workbox = new Workbox(WORKER_URL, { scope: '/' });
			workbox.addEventListener('waiting', () => {
				onUpdateReady(() => workbox.messageSkipWaiting());
			});
			await workbox.register({ immediate: true });
			return workbox;
		});
		// Offline before the app's code was cached: the next update check tries again.
		offering.catch(() => (offering = undefined));
	}

	void afterLoad()
		.then(() => navigator.serviceWorker.register(WORKER_URL, { scope: '/' }))
		.then((registration) => {
			// A version that arrived while the app was closed waits beside the one in charge.
			if (registration.waiting && registration.active) {
				offerUpdate();
			}
			registration.addEventListener('updatefound', () => {
				const installing = registration.installing;
				// Without an active worker this is the first install: there is nothing to replace.
				if (!installing || !registration.active) {
					return;
				}
				installing.addEventListener('statechange', () => {
					if (installing.state === 'installed') {
						offerUpdate();
					}
				});
			});
			// An update check that fails (offline) is simply tried again at the next one.
			const checkForUpdate = () => void registration.update().catch(() => undefined);
			setInterval(checkForUpdate, UPDATE_CHECK_MS);
			document.addEventListener('visibilitychange', () => {
				if (document.visibilityState === 'visible') {
					checkForUpdate();
				}
			});
		})
		.catch((error: unknown) => console.warn('The service worker could not be registered:', error));
}

/** Registering waits for the page's load, so the worker's downloads never compete with it. */
function afterLoad(): Promise<void> {
	return document.readyState === 'complete'
		? Promise.resolve()
		: new Promise((resolve) => window.addEventListener('load', () => resolve(), { once: true }));
}
