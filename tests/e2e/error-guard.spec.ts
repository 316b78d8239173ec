// Proves the error guard (fixtures.ts) fails what it should: runs its cases
// (error-guard-cases/guard.cases.ts, tiny pages, several meant to fail) in a Playwright run of
// their own and checks how each ended, so the suite's own run stays green.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';

interface Report {
	suites: ReportSuite[];
}
interface ReportSuite {
	suites?: ReportSuite[];
	specs: {
		title: string;
		tests: { results: { status: string; errors: { message?: string }[] }[] }[];
	}[];
}

/** Runs the cases; resolves with each case's outcome and error text, by title. */
async function runCases(): Promise<Map<string, { status: string; error: string }>> {
	const output = mkdtempSync(join(tmpdir(), 'error-guard-cases-'));
	// Not the environment of this test's worker: the cases are a run of their own.
	const env = Object.fromEntries(
		Object.entries(process.env).filter(([name]) => !/^(TEST_|PW_|PLAYWRIGHT_)/.test(name))
	);
	const child = spawn(
		process.execPath,
		[
			'node_modules/@playwright/test/cli.js',
			'test',
			'--config',
			'tests/e2e/error-guard-cases/playwright.config.ts',
			'--reporter',
			'json'
		],
		{ env: { ...env, ERROR_GUARD_CASES_OUTPUT: output }, stdio: ['ignore', 'pipe', 'pipe'] }
	);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk) => (stdout += chunk));
	child.stderr.on('data', (chunk) => (stderr += chunk));
	await new Promise((resolve) => child.on('exit', resolve));
	rmSync(output, { recursive: true, force: true });
	let report: Report;
	try {
		report = JSON.parse(stdout) as Report;
	} catch {
		throw new Error(`the cases' run printed no report:\n${stdout}\n${stderr}`);
	}
	const outcomes = new Map<string, { status: string; error: string }>();
	const visit = (suite: ReportSuite) => {
		for (const spec of suite.specs) {
			const result = spec.tests[0]!.results[0]!;
			outcomes.set(spec.title, {
				status: result.status,
				error: result.errors.map((error) => error.message ?? '').join('\n')
			});
		}
		suite.suites?.forEach(visit);
	};
	report.suites.forEach(visit);
	return outcomes;
}

test('the error guard fails a test on each browser error it did not declare, and only then', async () => {
	test.setTimeout(180_000);
	const outcomes = await runCases();
	const outcome = (title: string) => {
		const found = outcomes.get(title);
		expect(found, `the case "${title}" ran`).toBeDefined();
		return found!;
	};
	const cloneError =
		"DataCloneError: Failed to execute 'structuredClone' on 'Window': #<Object> could not be cloned.";

	// The defect a patient found: a tap that throws DataCloneError.
	expect(outcome('an uncaught DataCloneError fails the test')).toEqual({
		status: 'failed',
		error: expect.stringContaining(`- page error on about:blank: ${cloneError}`)
	});
	expect(outcome('a DataCloneError logged with console.error fails the test')).toEqual({
		status: 'failed',
		error: expect.stringContaining(`- console error on about:blank: ${cloneError}`)
	});
	expect(outcome('a page the test opens itself is watched')).toEqual({
		status: 'failed',
		error: expect.stringContaining(`- page error on about:blank: ${cloneError}`)
	});
	const worker = outcome('whose uncaught error and console.error fail the test');
	expect(worker.status).toBe('failed');
	expect(worker.error).toMatch(
		/- console error on service worker \/sw\.js: the worker logged an error \(http:[^)]+\/sw\.js:\d+\)/
	);
	expect(worker.error).toMatch(
		/- service worker error on service worker \/sw\.js: Uncaught Error: the worker broke \(http:[^)]+\/sw\.js:\d+\)/
	);

	// The app must cause no Content-Security-Policy violation: each one fails the test, both
	// those Chromium logs and those only the page's securitypolicyviolation event tells.
	const violation = outcome('a Content-Security-Policy violation fails the test');
	expect(violation.status).toBe('failed');
	expect(violation.error).toMatch(/- CSP violation on \/strict: style-src-attr blocked inline/);
	expect(violation.error).toMatch(/- CSP violation on \/strict: img-src blocked data\n/);
	expect(violation.error).toMatch(
		/- CSP violation on \/strict: Loading the image 'data:image\/gif;[^']+' violates/
	);
	expect(violation.error).not.toMatch(/console error/);

	// Declared errors pass; a declaration nothing matches does not; log and warn are no errors.
	expect(outcome('an error the test declares passes')).toEqual({ status: 'passed', error: '' });
	expect(outcome('a declared error that never comes fails the test')).toEqual({
		status: 'failed',
		error: expect.stringContaining(
			'- expected console error /^DataCloneError: / never happened (the case declares it and provokes nothing)'
		)
	});
	expect(outcome('console.log, console.warn and a caught error pass')).toEqual({
		status: 'passed',
		error: ''
	});
	expect(outcomes.size).toBe(8);
});
