import adapter from './scripts/adapter.js';
import { pageDirectives } from './src/lib/server/security-headers.js';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		runes: true
	},
	kit: {
		// adapter-node, with the security headers on every response (static files too). Another
		// folder for a test build (scripts/pseudo-locale.js).
		adapter: adapter({ out: process.env.AFTERCARE_BUILD_OUT ?? 'build' }),
		// Hashes, not nonces: the service worker answers every route with the one cached shell,
		// whose policy must match its inline script whenever it is served.
		csp: { mode: 'hash', directives: pageDirectives },
		typescript: {
			// Type-check and lint the other build and test configs with the rest of the code.
			config: (tsconfig) => {
				tsconfig.include.push(
					'../playwright.config.ts',
					'../vitest.integration.config.ts',
					'../vitest.webkit.config.ts',
					'../vite.dispatcher.config.ts'
				);
			}
		},
		// Registered by src/lib/pwa/sw-bridge.ts through workbox-window, for the update prompt.
		serviceWorker: { register: false },
		// Absolute asset paths: the service worker answers every route with the same cached shell.
		paths: { relative: false }
	}
};

export default config;
