import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './scripts/chromium.js';

// E2E_PORT lets two checkouts run the suite side by side.
const port = Number(process.env.E2E_PORT ?? 4173);
// Every server the tests start (and the workers inherit this) keeps its keys and store in a
// folder of its own, never in the ./data of `npm start`.
process.env.DATA_DIR ??= mkdtempSync(join(tmpdir(), 'aftercare-e2e-'));

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: true,
	forbidOnly: Boolean(process.env.CI),
	retries: 0,
	// A 2-core machine running two browsers and a build: generous limits, never retries.
	timeout: 60_000,
	expect: { timeout: 10_000 },
	workers: 2,
	reporter: process.env.CI ? [['list'], ['json', { outputFile: 'reports/e2e.json' }]] : 'list',
	use: {
		...devices['Pixel 7'],
		browserName: 'chromium',
		baseURL: `http://127.0.0.1:${port}`,
		locale: 'en-GB',
		timezoneId: 'Europe/Berlin',
		trace: 'retain-on-failure',
		// Debian's Chromium: Playwright's own browser download cannot reach its host here.
		launchOptions: chromiumLaunchOptions
	},
	webServer: {
		// The service worker and the real server exist only in a production build.
		command: 'node build',
		url: `http://127.0.0.1:${port}/`,
		reuseExistingServer: false,
		env: { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: process.env.DATA_DIR }
	}
});
