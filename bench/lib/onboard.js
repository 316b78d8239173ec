// Onboarding through the real UI for the benchmarks, as a new visitor would (tests/e2e/helpers.ts
// has the tests' own, with screening answers and times to choose).

/**
 * Opens the app as a new visitor, goes from the welcome screen to the form, enters a treatment on
 * `date` at 10:00, answers "No" to every screening question, keeps the default reminder times and
 * waits for Today. The form asks in three steps, each after "Next".
 * @param {import('@playwright/test').Page} page a page with no patient stored yet
 * @param {string} baseUrl e.g. `http://127.0.0.1:4320`
 * @param {string} date `YYYY-MM-DD`
 */
export async function onboardThroughUi(page, baseUrl, date) {
	await page.goto(`${baseUrl}/`);
	await page.waitForURL(/\/welcome$/);
	await page.getByRole('link', { name: 'Build my plan' }).click();
	await page.waitForURL(/\/welcome\/plan$/);
	await page.getByLabel('Treatment date').fill(date);
	await page.getByLabel('Appointment time').fill('10:00');
	await page.getByRole('button', { name: 'Next' }).click();
	await page.getByRole('heading', { name: /^Step 2 of 3/ }).waitFor();
	for (const question of await page.locator('fieldset.question').all()) {
		await question.getByLabel('No', { exact: true }).check();
	}
	await page.getByRole('button', { name: 'Next' }).click();
	await page.getByRole('heading', { name: /^Step 3 of 3/ }).waitFor();
	await page.getByRole('button', { name: 'Show my plan' }).click();
	await page.waitForURL((url) => url.pathname === '/', { timeout: 15_000 });
	await page.getByRole('heading').first().waitFor();
}
