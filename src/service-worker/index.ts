/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// Listener wiring only; the logic lives in the sibling modules.
import { deleteOldCaches, fromCache, fromNetwork, precache, SHELL, strategyFor } from './cache';
import { handleClick, renewSubscription, showReminder } from './push';

const sw = self as unknown as ServiceWorkerGlobalScope;

sw.addEventListener('install', (event) => {
	event.waitUntil(precache());
});

sw.addEventListener('activate', (event) => {
	// On the very first install, take the open page at once; updates wait for the patient.
	event.waitUntil(deleteOldCaches().then(() => sw.clients.claim()));
});

sw.addEventListener('fetch', (event) => {
	const strategy = strategyFor(event.request, sw.location.origin);
	if (strategy === 'shell') {
		event.respondWith(fromCache(event.request, SHELL));
	} else if (strategy === 'asset') {
		event.respondWith(fromCache(event.request, new URL(event.request.url).pathname));
	} else if (strategy === 'clinic') {
		// The logos' tag (`?v=`) is part of their key: several protocols may each have one.
		const url = new URL(event.request.url);
		event.respondWith(fromNetwork(event.request, url.pathname + url.search));
	}
});

sw.addEventListener('message', (event) => {
	// Sent by workbox-window's messageSkipWaiting() when the patient chooses "Reload".
	if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') {
		void sw.skipWaiting();
	}
});

sw.addEventListener('push', (event) => {
	event.waitUntil(showReminder(event.data));
});

sw.addEventListener('notificationclick', (event) => {
	event.waitUntil(handleClick(event.notification, event.action));
});

sw.addEventListener('pushsubscriptionchange', (event) => {
	event.waitUntil(renewSubscription(event));
});
