import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** A wall-clock instant in Berlin, the zone the browser context runs in. */
export function berlin(dateTime: string): Date {
	const date = new Date(`${dateTime}:00+01:00`);
	if (Number.isNaN(date.getTime())) {
		throw new Error(`bad instant ${dateTime}`);
	}
	return date;
}

/** Completes onboarding as a patient would, answering every screening question. */
export async function onboard(
	page: Page,
	{
		date,
		time = '10:00',
		yesTo = [],
		base = ''
	}: { date: string; time?: string; yesTo?: string[]; base?: string }
): Promise<void> {
	await page.goto(`${base}/`);
	await expect(page).toHaveURL(/\/welcome$/);
	await page.getByRole('link', { name: 'Build my plan' }).click();
	await expect(page).toHaveURL(/\/welcome\/plan$/);
	await page.getByLabel('Treatment date').fill(date);
	await page.getByLabel('Appointment time').fill(time);
	const questions = page.locator('fieldset.question');
	for (const question of await questions.all()) {
		const text = (await question.locator('legend').textContent()) ?? '';
		const answer = yesTo.some((words) => text.includes(words)) ? 'Yes' : 'No';
		await question.getByLabel(answer, { exact: true }).check();
	}
	await page.getByRole('button', { name: 'Show my plan' }).click();
	await expect(page).toHaveURL(/\/$/);
}

/** Fails with the list of violations when axe finds any at WCAG 2.2 AA. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
		.analyze();
	expect(
		results.violations.map((violation) => ({
			id: violation.id,
			help: violation.help,
			targets: violation.nodes.map((node) => node.target.join(' '))
		}))
	).toEqual([]);
}

/** Waits until the service worker controls the page. */
export async function controlled(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (!navigator.serviceWorker.controller) {
			await new Promise((resolve) =>
				navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
			);
		}
	});
}
