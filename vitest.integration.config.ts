import { defineConfig } from 'vitest/config';

// The integration tests start the real production server (`node build`): run them after
// `vite build` with `npm run test:integration`, never as part of the unit run.
export default defineConfig({
	test: {
		name: 'integration',
		include: ['tests/integration/**/*.spec.ts'],
		environment: 'node',
		expect: { requireAssertions: true },
		// Each file starts servers and waits for dispatcher rounds (every 5 s).
		testTimeout: 60_000,
		hookTimeout: 60_000,
		fileParallelism: false,
		reporters: process.env.CI ? ['default', 'json'] : ['default'],
		outputFile: { json: 'reports/integration.json' }
	}
});
