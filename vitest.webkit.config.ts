import { defineConfig } from 'vitest/config';

// The WebKit runs (tests/webkit): the production build in Debian's WebKitGTK over WebDriver.
// Run them after `vite build` with `npm run test:webkit`; see docs/testing.md.
export default defineConfig({
	test: {
		name: 'webkit',
		include: ['tests/webkit/**/*.spec.ts'],
		environment: 'node',
		expect: { requireAssertions: true },
		// A 2-core machine with a browser, its web process and the app server: generous limits.
		testTimeout: 60_000,
		hookTimeout: 60_000,
		// One WebKitWebDriver and one browser at a time.
		fileParallelism: false,
		reporters: process.env.CI ? ['default', 'json'] : ['default'],
		outputFile: { json: 'reports/webkit.json' }
	}
});
