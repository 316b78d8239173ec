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
			// Type-check and lint the Playwright config with the rest of the code.
			config: (tsconfig) => {
				tsconfig.include.push('../playwright.config.ts');
			}
		},
		// The service worker arrives with the PWA issue; registration will go through workbox-window.
		serviceWorker: { register: false }
	}
};

export default config;
