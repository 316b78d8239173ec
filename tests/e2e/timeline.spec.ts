// The Timeline as a patient reads it on a phone: a repeated step as one line, each day once,
// what was done and what was not, and the page opening at today of the session they are in.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { berlin, expectNoAxeViolations, onboard } from './helpers';

test.use({ viewport: { width: 412, height: 915 } });

const nav = (page: Page, name: string) =>
	page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
/** A repeated step's line, by the words of its repeat. */
const run = (page: Page, words: string) => page.getByRole('listitem').filter({ hasText: words });
/** A day's row, by its date and day ("Tue 15 Dec · Day 1"). */
const day = (page: Page, words: string) =>
	page.getByRole('listitem').filter({ has: page.locator('summary', { hasText: words }) });

/** Moves the patient's clock and opens the Timeline from Today, as a patient would. */
async function openTimelineAt(page: Page, local: string): Promise<void> {
	await page.clock.setSystemTime(berlin(local));
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await nav(page, 'Timeline').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your whole plan');
}

test('a month of cream reads as one line that counts the evenings done', async ({ page }) => {
	await page.clock.install({ time: berlin('2026-11-24T09:00') });
	await onboard(page, { date: '2026-12-14', yesTo: ['vitamin A or C cream'] });
	await openTimelineAt(page, '2026-11-24T20:30');

	const cream = run(page, 'every evening at 20:00 until Sun 13 Dec');
	await expect(cream).toHaveCount(1);
	await expect(cream).toContainText('Vitamin A or C cream');
	// Evenings before the plan was made are not counted as missed.
	await expect(cream).not.toContainText('Done');
	// Only the consultation's day and today have rows of their own.
	await expect(page.locator('ol.days').first().locator(':scope > li')).toHaveCount(2);

	await page.locator('li.today summary').click();
	await page.locator('li.today').getByRole('checkbox', { name: 'Vitamin A or C cream' }).check();
	await expect(page.locator('li.today')).toContainText('Vitamin A or C cream ✓ done');

	await openTimelineAt(page, '2026-11-27T09:00');
	await expect(cream).toContainText('Done 1 of 3 evenings so far');
	await expectNoAxeViolations(page);
});

test('on day 3 of recovery each day is listed once, with what was done and what was not', async ({
	page
}) => {
	await page.clock.install({ time: berlin('2026-12-14T12:00') });
	await onboard(page, { date: '2026-12-14' });
	await openTimelineAt(page, '2026-12-15T21:00');
	const evening = page.locator('li.today article', { hasText: '20:00' });
	await page.locator('li.today summary').click();
	await evening.getByRole('checkbox', { name: 'Ice pack' }).check();

	await openTimelineAt(page, '2026-12-17T12:00');
	// Day 1 is under Recovery only, with the sun advice of Healing beside its other steps.
	await expect(day(page, 'Tue 15 Dec · Day 1')).toHaveCount(1);
	const dayOne = day(page, 'Tue 15 Dec · Day 1');
	await expect(dayOne).toContainText('20:00 Ice pack for irritation and discomfort ✓ done');
	await expect(dayOne).toContainText('8:00 Ice pack for irritation and discomfort · not done');
	await expect(dayOne).toContainText('Stay out of the sun · all day · not done');
	// A day with only repeated steps has no row: its steps are in the lines above.
	await expect(day(page, 'Wed 16 Dec')).toHaveCount(0);
	await expect(run(page, 'every evening at 20:00 until Thu 17 Dec')).toContainText(
		'Done 1 of 3 evenings so far'
	);
	await expect(run(page, 'every morning at 8:00 until Thu 17 Dec')).toContainText(
		'Done 0 of 2 mornings so far'
	);
	await expect(run(page, 'all day, every day until Mon 28 Dec')).toContainText(
		'Stay out of the sun'
	);
	// Information asks for nothing at any hour: only its dates.
	await expect(
		page.locator('.runs > li').filter({ hasText: 'Redness and swelling are expected' })
	).toHaveText(/^Redness and swelling are expected · until Sat 19 Dec\.?\s*$/);
	await expect(page.locator('li.today')).toContainText('Thu 17 Dec · Day 3 · today');
	await expectNoAxeViolations(page);
});

test('with a 2nd session, the page opens at today in it, and the 1st is folded', async ({
	page
}) => {
	await page.clock.install({ time: berlin('2026-11-24T09:00') });
	await onboard(page, { date: '2026-12-14', yesTo: ['vitamin A or C cream'] });
	await nav(page, 'Treatment').click();
	await page.getByRole('button', { name: 'Add the next session' }).click();
	await expect(page.getByLabel('Treatment date')).toHaveValue('2027-01-11');
	await page.getByRole('button', { name: 'Add session' }).click();
	await expect(page.getByRole('heading', { name: '2nd session' })).toBeVisible();

	await openTimelineAt(page, '2027-01-13T09:00');
	const first = page.getByRole('region', { name: /^1st session/ });
	const second = page.getByRole('region', { name: /^2nd session/ });
	await expect(second.getByText('Recovery', { exact: true })).toBeVisible();
	await expect(second.locator('li.today')).toContainText('Wed 13 Jan · Day 2 · today');
	// Scrolled to today, without taking focus from where the page put it.
	await expect(second.locator('li.today')).toBeInViewport();
	expect(await page.evaluate(() => document.activeElement?.closest('li.today') ?? null)).toBeNull();
	// The 1st session is over: its plan folds away under one line.
	await expect(first.getByText('Preparing your skin', { exact: true })).toBeHidden();
	const folded = first.locator('summary', { hasText: 'This session’s plan' });
	await expect(folded).toContainText('over');
	await folded.click();
	await first.getByText('Preparing your skin', { exact: true }).click();
	await expect(run(page, 'every evening at 20:00 until Sun 13 Dec')).toContainText(
		'Done 0 of 20 evenings'
	);
	await expectNoAxeViolations(page);
});
