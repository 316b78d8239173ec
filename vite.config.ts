import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		expect: { requireAssertions: true },
		// CI also writes a JSON report, read by scripts/test-summary.js for the closing line.
		reporters: process.env.CI ? ['default', 'json'] : ['default'],
		outputFile: { json: 'reports/unit.json' },
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					environment: 'node',
					include: ['src/**/*.spec.ts'],
					// Pinned so results never depend on the machine's zone.
					env: { TZ: 'UTC' }
				}
			},
			{
				// The same time-sensitive specs again with the process in a zone that has DST, so a
				// hidden dependency on the machine's local time shows up as a failure.
				extends: true,
				test: {
					name: 'unit-dst-zone',
					environment: 'node',
					include: ['src/lib/domain/**/*.spec.ts'],
					env: { TZ: 'America/Santiago' }
				}
			}
		]
	}
});
