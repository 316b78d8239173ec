import type { ClientInit } from '@sveltejs/kit';
import { startInstallWatch } from '$lib/pwa/install.svelte';

/**
 * Listens for Chromium's install offer from the start: it comes once per page load, often while
 * the patient is still on another page than Today, where the app shows it.
 */
export const init: ClientInit = () => {
	startInstallWatch();
};
