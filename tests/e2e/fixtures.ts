// The e2e suite's `test`: every spec imports it instead of @playwright/test's. It fails a test
// whose pages or service worker threw or logged an error the test did not declare (a patient's
// tap that throws DataCloneError must not pass unnoticed), and records every control the test
// presses, for the control coverage check (scripts/e2e-coverage.js). See docs/testing.md.
import { writeFile } from 'node:fs/promises';
import { test as base, type Browser, type BrowserContext } from '@playwright/test';
import { PRESSES_FILE, recordPresses, type Control } from './controls';
import { ErrorGuard } from './error-guard';

export { devices, expect } from '@playwright/test';

/** Watches the test's browser contexts: the default one and any the test opens itself. */
class Watcher {
	readonly guard = new ErrorGuard();
	readonly pressed: Control[] = [];
	readonly #watched = new WeakSet<BrowserContext>();

	constructor(private readonly recordsPresses: boolean) {}

	async watch(context: BrowserContext): Promise<void> {
		if (this.#watched.has(context)) {
			return;
		}
		this.#watched.add(context);
		await this.guard.watch(context);
		if (this.recordsPresses) {
			await recordPresses(context, this.pressed);
		}
	}

	/** Makes `browser.newContext()` (and so `browser.newPage()`) watch what it opens. */
	patch(browser: Browser): () => void {
		const newContext = browser.newContext;
		browser.newContext = async (...args) => {
			const context = await newContext.apply(browser, args);
			await this.watch(context);
			return context;
		};
		return () => {
			browser.newContext = newContext;
		};
	}
}

interface Options {
	/** Whether this test's presses count for the coverage check (the inventory's do not). */
	countPresses: boolean;
}

interface Fixtures {
	/** Internal: the test's watcher. */
	watcher: Watcher;
	/**
	 * Declares a console error this test provokes on purpose (a refused file, a request made
	 * offline…). Narrow: the pattern should name the message and, where it has one, the URL.
	 * It must happen, or the allowance is stale and fails the test.
	 */
	expectConsoleError(pattern: RegExp, why: string): void;
	/** Declares an uncaught exception this test provokes on purpose; as narrow, as required. */
	expectPageError(pattern: RegExp, why: string): void;
	/** Declares an uncaught exception in the service worker; as narrow, as required. */
	expectServiceWorkerError(pattern: RegExp, why: string): void;
}

export const test = base.extend<Fixtures & Options>({
	countPresses: [true, { option: true }],

	watcher: [
		async ({ browser, countPresses }, use, testInfo) => {
			const watcher = new Watcher(countPresses);
			const restore = watcher.patch(browser);
			try {
				await use(watcher);
			} finally {
				restore();
			}
			// By now every context the test used is closed, and its events are in.
			if (watcher.pressed.length > 0) {
				await writeFile(testInfo.outputPath(PRESSES_FILE), JSON.stringify(watcher.pressed));
			}
			const problems = await watcher.guard.problems();
			if (problems.length > 0) {
				throw new Error(
					`The browser reported ${problems.length === 1 ? 'an error' : `${problems.length} errors`} the test did not expect:\n` +
						problems.map((problem) => `  - ${problem.replaceAll('\n', '\n    ')}`).join('\n') +
						'\nFix the app, or, if the test provokes it on purpose, declare it with ' +
						'expectConsoleError / expectPageError / expectServiceWorkerError (see docs/testing.md).'
				);
			}
		},
		{ auto: true }
	],

	context: async ({ context, watcher }, use) => {
		await watcher.watch(context);
		await use(context);
	},

	expectConsoleError: async ({ watcher }, use) => {
		await use((pattern, why) => watcher.guard.allow('console error', pattern, why));
	},

	expectPageError: async ({ watcher }, use) => {
		await use((pattern, why) => watcher.guard.allow('page error', pattern, why));
	},

	expectServiceWorkerError: async ({ watcher }, use) => {
		await use((pattern, why) => watcher.guard.allow('service worker error', pattern, why));
	}
});
