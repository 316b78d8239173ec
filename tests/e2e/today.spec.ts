// Today at a glance, on a phone held in one hand (412×915): the day, what is due with large
// targets, anything wrong, and the clinic, with the longer words one tap away.
import type { Locator, Page } from '@playwright/test';
import { riverside, startClinicServer } from './clinic-server';
import { expect, test } from './fixtures';
import { berlin, expectNoAxeViolations, onboard } from './helpers';

const phone = { width: 412, height: 915 };
const heading = (page: Page) => page.getByRole('heading', { level: 1 });
const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

/** Whether the whole of `locator` shows on the first screen, above the navigation bar. */
async function onFirstScreen(page: Page, locator: Locator): Promise<boolean> {
	const box = await locator.boundingBox();
	const navTop = await page
		.getByRole('navigation', { name: 'Main' })
		.evaluate((nav) => nav.getBoundingClientRect().top);
	return box !== null && box.y >= 0 && box.y + box.height <= navTop;
}

test.use({ viewport: phone });

test('a preparation day: the screening answers are one line that opens, a task’s words are under Details', async ({
	page
}) => {
	await page.clock.install({ time: berlin('2026-11-24T20:30') });
	await onboard(page, { date: '2026-12-14', yesTo: ['acne', 'vitamin A or C cream'] });
	await expect(heading(page)).toHaveText('20 days until your treatment');

	// One line, not half the screen, every day of the month.
	const advice = region(page, 'Talk to your provider before treatment');
	const summary = advice.getByText('Your answer and what to do');
	await expect(summary).toBeVisible();
	await expect(advice.getByText('Do you have acne')).toBeHidden();
	expect((await advice.boundingBox())!.height).toBeLessThan(120);
	await summary.click();
	await expect(advice.getByText('Do you have acne')).toBeVisible();
	await expect(advice.getByRole('button', { name: 'I have talked to my provider' })).toBeVisible();

	// The cream is due: its tick box is on the first screen, and its words one tap away.
	const now = region(page, 'To do now');
	const cream = now.getByRole('checkbox', { name: 'Vitamin A or C cream' });
	expect(await onFirstScreen(page, cream)).toBe(true);
	const card = now.locator('article', {
		has: page.getByRole('checkbox', { name: 'Vitamin A or C cream' })
	});
	// (Its words, then the guide's, quoted under its source.)
	const words = card.getByText('Apply the vitamin A or C cream your provider asked you to use.');
	await expect(words).toBeHidden();
	await card.getByText('Details').click();
	await expect(words).toBeVisible();
	await expect(card.getByRole('blockquote').first()).toContainText('vitamin A or C cream');
	// No card repeats its source on Today.
	await expect(page.getByText('Where this comes from')).toHaveCount(0);

	// Tapping the title ticks it, as the box does.
	await card.locator('label').click();
	await expect(cream).toBeChecked();
	await expectNoAxeViolations(page);
});

test('day 2 of recovery fits one screen: the check-in, what is due now, and the signs to call about', async ({
	page
}) => {
	await page.clock.install({ time: berlin('2026-12-16T09:30') });
	await onboard(page, { date: '2026-12-14' });
	await expect(heading(page)).toHaveText('Day 2 of recovery');
	const checkIn = page.getByRole('link', { name: 'How is your skin today? Check in' });
	const ice = region(page, 'To do now').getByRole('checkbox', { name: 'Ice pack' });
	expect(await onFirstScreen(page, checkIn)).toBe(true);
	expect(await onFirstScreen(page, ice)).toBe(true);

	const signs = region(page, 'When to contact your provider');
	await expect(signs.getByText('Signs of a skin infection')).toBeHidden();
	await signs.getByText('Signs to look out for').click();
	await expect(signs.getByText('Signs of a skin infection')).toBeVisible();
	await expect(signs).toContainText('call your local emergency number');
	await expectNoAxeViolations(page);
});

test('a diary warning heads Today, short, with the way to reach the clinic', async ({ page }) => {
	await page.clock.install({ time: berlin('2026-12-16T09:30') });
	await onboard(page, { date: '2026-12-14' });
	await page.getByRole('link', { name: 'How is your skin today? Check in' }).click();
	await page.getByLabel('Fever').check();
	await page.getByRole('button', { name: 'Save check-in' }).click();
	await expect(page).toHaveURL(/entry=/);
	await page.getByRole('link', { name: 'Today', exact: true }).click();

	const urgent = region(page, 'Call your provider today');
	await expect(urgent).toContainText('Signs of a skin infection');
	await expect(urgent).toContainText('Fever on day 2');
	await expect(urgent).toContainText('the clinic that treated you');
	// On Today each sign goes by its name; its explanation is in the Diary and under the signs.
	await expect(urgent).not.toContainText('A skin infection is a possible risk');
	expect(await onFirstScreen(page, urgent.getByRole('heading'))).toBe(true);
	await expectNoAxeViolations(page);
});

test('the clinic’s number is at the top of Today, also for a patient who answered “no” to every question', async ({
	browser
}, testInfo) => {
	test.setTimeout(120_000);
	const { page, close } = await startClinicServer(browser, testInfo, riverside, {
		viewport: phone
	});
	try {
		await page.clock.install({ time: berlin('2026-11-24T09:00') });
		await onboard(page, { date: '2026-12-14' });
		for (const [when, title] of [
			['2026-11-24T09:00', '20 days until your treatment'],
			['2026-12-14T08:00', 'Treatment day'],
			['2026-12-16T09:30', 'Day 2 of recovery']
		] as const) {
			await page.clock.setSystemTime(berlin(when));
			await page.goto('/');
			await expect(heading(page)).toHaveText(title);
			const call = page.getByRole('link', { name: 'Call Riverside Skin Clinic' });
			await expect(call).toHaveAttribute('href', 'tel:+442079460000');
			expect(await onFirstScreen(page, call), title).toBe(true);
		}
		await expectNoAxeViolations(page);
	} finally {
		await close();
	}
});

test('a clinic that gives only its website: Today’s button opens it', async ({
	browser
}, testInfo) => {
	test.setTimeout(120_000);
	const { page, close } = await startClinicServer(
		browser,
		testInfo,
		{ name: 'Riverside Skin Clinic', phone: '', website: 'https://riverside-skin.example/' },
		{ viewport: phone }
	);
	try {
		await page.clock.install({ time: berlin('2026-11-24T09:00') });
		await onboard(page, { date: '2026-12-14' });
		await expect(page.getByRole('link', { name: /^Call / })).toHaveCount(0);
		const site = page.getByRole('link', { name: 'Riverside Skin Clinic website' });
		await expect(site).toHaveAttribute('href', 'https://riverside-skin.example/');
		expect(await onFirstScreen(page, site)).toBe(true);
	} finally {
		await close();
	}
});
