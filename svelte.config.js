import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		runes: true
	},
	kit: {
		adapter: adapter({ out: 'build' }),
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
