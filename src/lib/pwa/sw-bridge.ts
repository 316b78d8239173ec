import { Workbox } from 'workbox-window';

/** How often an open app asks whether a new version is out. */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

/**
 * Registers the service worker through workbox-window and reports a waiting new version.
 * The new version only takes over when the patient chooses to reload, and every open page then
 * reloads, so no page runs against a worker of another build.
 * @param onUpdateReady called when a new version waits; call `activate` to switch to it
 */
export function registerServiceWorker(onUpdateReady: (activate: () => void) => void): void {
	if (!('serviceWorker' in navigator)) {
		return;
	}
	const workbox = new Workbox('/service-worker.js', { scope: '/' });
	let controlled = navigator.serviceWorker.controller !== null;

	workbox.addEventListener('waiting', () => {
		onUpdateReady(() => workbox.messageSkipWaiting());
	});
	// A worker took over from another one (after "Reload" here or in another tab): reload onto
	// its build. The very first install takes over a page that this same build served, and the
	// page was not controlled before, so that one change needs no reload.
	navigator.serviceWorker.addEventListener('controllerchange', () => {
		if (controlled) {
			window.location.reload();
		}
		controlled = true;
	});

	void workbox.register();
	setInterval(() => void workbox.update(), UPDATE_CHECK_MS);
	document.addEventListener('visibilitychange', () => {
		if (document.visibilityState === 'visible') {
			void workbox.update();
		}
	});
}
