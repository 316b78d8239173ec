// The error guard's own cases, run by ../error-guard.spec.ts in a Playwright run of their own:
// several of them must fail, which the suite's run must not.
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../../../scripts/chromium.js';

export default defineConfig({
	testDir: '.',
	testMatch: '*.cases.ts',
	// Outside the suite's test-results/, which the coverage check reads.
	outputDir: process.env.ERROR_GUARD_CASES_OUTPUT,
	workers: 1,
	retries: 0,
	timeout: 30_000,
	use: { browserName: 'chromium', launchOptions: chromiumLaunchOptions }
});
