// Prints one closing line for CI, "N passed, N failed", from the vitest and Playwright JSON reports.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
let missing = 0;
for (const file of process.argv.slice(2)) {
	if (!existsSync(file)) {
		// A suite that did not get to run (an earlier one failed) counts as failed.
		console.log(`no report at ${file}: that suite did not run`);
		missing += 1;
		continue;
	}
	const report = JSON.parse(readFileSync(file, 'utf8'));
	if ('numPassedTests' in report) {
		// vitest
		passed += report.numPassedTests;
		failed += report.numFailedTests;
		skipped += report.numPendingTests + report.numTodoTests;
	} else {
		// Playwright
		passed += report.stats.expected + report.stats.flaky;
		failed += report.stats.unexpected;
		skipped += report.stats.skipped;
	}
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
// Under CI a skipped browser or database test is a failure: it would hide what did not run.
process.exit(failed > 0 || missing > 0 || (process.env.CI && skipped > 0) ? 1 : 0);
