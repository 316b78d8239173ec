import { expect, test } from './fixtures';
import { berlin, onboard } from './helpers';

// Screenshots of the main screens at phone size, for a person to look at (in test-results/).
test('main screens at phone size', async ({ page }, testInfo) => {
	const shot = (name: string) =>
		page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
	await page.clock.install({ time: berlin('2026-11-24T09:00') });
	await page.goto('/welcome');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await shot('1-welcome');
	await onboard(page, { date: '2026-12-14', yesTo: ['acne'] });
	await shot('2-today-before');
	await page.clock.setSystemTime(berlin('2026-12-15T12:00'));
	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Day 1 of recovery');
	await shot('3-today-day-1');
	await page.goto('/diary/check-in');
	await page.getByRole('group', { name: 'Redness', exact: true }).getByLabel('Moderate').check();
	await page.getByLabel('Used an ice pack').check();
	await page.getByLabel('Note').fill('A bit tight this morning.');
	await shot('5-check-in');
	await page.getByRole('button', { name: 'Save check-in' }).click();
	await expect(page).toHaveURL(/entry=/);
	await shot('6-diary');
	await page.goto('/summary');
	await expect(page.getByRole('img', { name: 'Redness' })).toBeVisible();
	await shot('7-summary');
	for (const path of ['timeline', 'treatment', 'settings']) {
		await page.getByRole('link', { name: path[0]!.toUpperCase() + path.slice(1) }).click();
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await shot(`4-${path}`);
	}
});
