// The plan form in three steps (the treatment, the screening questions, reminders), as a new
// patient meets it on a phone: going back or a reload keeps every answer, the clinic's zone is
// asked only when the clinic is elsewhere, each step explains its own errors, and the keyboard
// alone gets through.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { berlin, expectNoAxeViolations } from './helpers';

const stepHeading = (page: Page, step: number) =>
	page.getByRole('heading', { name: new RegExp(`^Step ${step} of 3`) });
const question = (page: Page, words: string) =>
	page.locator('fieldset.question', { hasText: words });

/** From the welcome screen to the form's first step, as a new visitor taps through. */
async function startPlan(page: Page): Promise<void> {
	await page.goto('/');
	await expect(page).toHaveURL(/\/welcome$/);
	await page.getByRole('link', { name: 'Build my plan' }).click();
	await expect(page).toHaveURL(/\/welcome\/plan$/);
	await expect(stepHeading(page, 1)).toHaveText(/Your treatment$/);
}

/** Answers every screening question "No", except those whose text contains one of `yesTo`. */
async function answerScreening(page: Page, yesTo: string[] = []): Promise<void> {
	for (const fieldset of await page.locator('fieldset.question').all()) {
		const text = (await fieldset.locator('legend').textContent()) ?? '';
		const answer = yesTo.some((words) => text.includes(words)) ? 'Yes' : 'No';
		await fieldset.getByLabel(answer, { exact: true }).check();
	}
}

/** Shows the plan and opens the Treatment screen, which names the session's time zone. */
async function finishAndOpenTreatment(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'Show my plan' }).click();
	await expect(page).toHaveURL(/\/$/);
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Treatment' })
		.click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your treatment');
}

/** Presses Tab until `target` has the focus. */
async function tabTo(page: Page, target: Locator): Promise<void> {
	for (let presses = 0; presses < 80; presses++) {
		if (await target.evaluate((element) => element === document.activeElement)) {
			return;
		}
		await page.keyboard.press('Tab');
	}
	throw new Error(`Tab never reached ${target}`);
}

test.beforeEach(async ({ page }) => {
	// Three steps, typing and several axe runs: on a busy 2-core machine this outlasts 60 s.
	test.setTimeout(120_000);
	await page.clock.install({ time: berlin('2027-03-10T09:00') });
});

test('going back, with the form’s button or the browser’s, keeps every answer', async ({
	page
}) => {
	await startPlan(page);
	await page.getByLabel('Treatment date').fill('2027-04-08');
	await page.getByLabel('Appointment time').fill('10:30');
	await page.getByText('More details (optional)').click();
	await page.getByLabel('Needle depth in mm (if your provider told you)').fill('1.5');
	await page.getByRole('button', { name: 'Next' }).click();

	await expect(stepHeading(page, 2)).toBeFocused();
	await answerScreening(page, ['acne']);
	await page.getByRole('button', { name: 'Next' }).click();

	await expect(stepHeading(page, 3)).toBeFocused();
	await expect(page.getByLabel('Morning reminders at')).toHaveValue('08:00');
	await expect(page.getByLabel('Evening reminders at')).toHaveValue('20:00');
	await page.getByLabel('Morning reminders at').fill('07:30');

	await page.getByRole('button', { name: 'Back' }).click();
	await expect(stepHeading(page, 2)).toBeFocused();
	await expect(question(page, 'acne').getByLabel('Yes', { exact: true })).toBeChecked();
	await expect(question(page, 'keloids').getByLabel('No', { exact: true })).toBeChecked();

	await page.getByRole('button', { name: 'Back' }).click();
	await expect(stepHeading(page, 1)).toBeFocused();
	await expect(page.getByRole('button', { name: 'Back' })).toHaveCount(0);
	await expect(page.getByLabel('Treatment date')).toHaveValue('2027-04-08');
	await expect(page.getByLabel('Appointment time')).toHaveValue('10:30');
	await expect(page.getByLabel('Needle depth in mm (if your provider told you)')).toHaveValue(
		'1.5'
	);

	// The browser's back and forward buttons move between the steps too, answers kept.
	await page.getByRole('button', { name: 'Next' }).click();
	await expect(stepHeading(page, 2)).toBeFocused();
	await page.goBack();
	await expect(stepHeading(page, 1)).toBeFocused();
	await expect(page.getByLabel('Treatment date')).toHaveValue('2027-04-08');
	await page.goForward();
	await expect(stepHeading(page, 2)).toBeFocused();
	await expect(question(page, 'acne').getByLabel('Yes', { exact: true })).toBeChecked();
	await page.getByRole('button', { name: 'Next' }).click();
	await expect(page.getByLabel('Morning reminders at')).toHaveValue('07:30');

	await finishAndOpenTreatment(page);
	await expect(page.getByText(/8 April 2027, 10:30/)).toBeVisible();
	await expect(page.getByText('1.5 mm')).toBeVisible();
});

test('a reload part-way, as a phone does with a tab it put away, keeps the step and the answers', async ({
	page
}) => {
	await startPlan(page);
	await page.getByLabel('Treatment date').fill('2027-04-08');
	await page.getByLabel('Appointment time').fill('10:30');
	await page.getByRole('button', { name: 'Next' }).click();
	await answerScreening(page, ['acne']);
	await page.getByRole('button', { name: 'Next' }).click();
	await page.getByLabel('Morning reminders at').fill('07:30');

	await page.reload();
	await expect(stepHeading(page, 3)).toBeVisible();
	await expect(page.getByLabel('Morning reminders at')).toHaveValue('07:30');
	await page.getByRole('button', { name: 'Back' }).click();
	await expect(question(page, 'acne').getByLabel('Yes', { exact: true })).toBeChecked();
	await page.getByRole('button', { name: 'Next' }).click();

	await finishAndOpenTreatment(page);
	await expect(page.getByText(/8 April 2027, 10:30/)).toBeVisible();
	// Once the plan is saved, nothing of the form is kept beside it.
	expect(await page.evaluate(() => sessionStorage.getItem('aftercare.onboarding'))).toBeNull();
});

test('the clinic’s time zone is asked only when the clinic is elsewhere', async ({ page }) => {
	await startPlan(page);
	await page.getByLabel('Treatment date').fill('2027-04-08');
	const zone = page.getByLabel('Time zone of the clinic');
	await expect(zone).toHaveCount(0);

	const elsewhere = page.getByLabel('My clinic is in another time zone');
	await elsewhere.check();
	await expect(zone).toHaveValue('Europe/Berlin');
	await zone.selectOption('Asia/Tokyo');
	// Unticked and ticked again: the chosen zone is still there.
	await elsewhere.uncheck();
	await expect(zone).toHaveCount(0);
	await elsewhere.check();
	await expect(zone).toHaveValue('Asia/Tokyo');

	await page.getByRole('button', { name: 'Next' }).click();
	await answerScreening(page);
	await page.getByRole('button', { name: 'Next' }).click();
	await finishAndOpenTreatment(page);
	await expect(page.getByText('(Asia/Tokyo)')).toBeVisible();
});

test('each step explains its own errors and moves focus to them', async ({ page }) => {
	await startPlan(page);
	await page.getByLabel('Appointment time').fill('');
	// A wrong detail, folded away again before Next.
	const details = page.getByText('More details (optional)');
	const depth = page.getByLabel('Needle depth in mm (if your provider told you)');
	await details.click();
	await depth.fill('9');
	await details.click();
	await expect(depth).toBeHidden();
	await page.getByRole('button', { name: 'Next' }).click();

	const summary = page.getByRole('region', { name: /^Please check/ });
	await expect(summary).toBeFocused();
	await expect(stepHeading(page, 1)).toBeVisible();
	await expect(summary.getByRole('link')).toHaveText([
		'Enter the date of your treatment.',
		'Enter the time of your appointment, for example 10:00.',
		/^Needle depth is between 0.5 and 2 mm/
	]);
	// The folded details opened by themselves, so the error can be read beside its field.
	await expect(depth).toBeVisible();
	await expectNoAxeViolations(page);
	await summary.getByRole('link', { name: /^Needle depth is between/ }).click();
	await expect(depth).toBeFocused();
	await depth.fill('');
	await summary.getByRole('link', { name: 'Enter the date of your treatment.' }).click();
	await expect(page.getByLabel('Treatment date')).toBeFocused();
	await page.getByLabel('Treatment date').fill('2027-04-08');
	await page.getByLabel('Appointment time').fill('10:30');
	// The field's own message goes as soon as it is corrected.
	await expect(page.getByText('Enter the date of your treatment.')).toHaveCount(1);
	await page.getByRole('button', { name: 'Next' }).click();

	await expect(stepHeading(page, 2)).toBeFocused();
	await expect(summary).toHaveCount(0);
	await answerScreening(page);
	await page.getByRole('button', { name: 'Next' }).click();

	await expect(stepHeading(page, 3)).toBeFocused();
	await page.getByLabel('Morning reminders at').fill('');
	await page.getByRole('button', { name: 'Show my plan' }).click();
	await expect(summary).toBeFocused();
	await expect(page).toHaveURL(/\/welcome\/plan\?step=3$/);
	await summary.getByRole('link', { name: 'Enter a time, for example 08:00.' }).click();
	await expect(page.getByLabel('Morning reminders at')).toBeFocused();
	await page.getByLabel('Morning reminders at').fill('08:00');

	// Quiet hours sit folded, saying what they are set to.
	const quiet = page.getByText('Quiet hours (optional)');
	await expect(quiet).toContainText('22:00 to 7:00');
	await page.getByLabel('Evening reminders at').fill('23:00');
	await page.getByRole('button', { name: 'Show my plan' }).click();
	await expect(summary).toBeFocused();
	await expect(summary).toContainText('This is inside your quiet hours');
	await quiet.click();
	await page.getByLabel('Quiet hours: hold reminders back overnight').uncheck();
	await expect(quiet).toContainText('off');
	await page.getByRole('button', { name: 'Show my plan' }).click();
	await expect(page).toHaveURL(/\/$/);
});

test('a keyboard alone gets through every step, and each step passes axe', async ({ page }) => {
	await startPlan(page);
	await expectNoAxeViolations(page);
	await tabTo(page, page.getByLabel('Treatment date'));
	// Headless Chromium orders its date field's segments by its own UI language: month, day, year.
	await page.keyboard.type('04082027');
	await expect(page.getByLabel('Treatment date')).toHaveValue('2027-04-08');
	await tabTo(page, page.getByRole('button', { name: 'Next' }));
	await page.keyboard.press('Enter');

	await expect(stepHeading(page, 2)).toBeFocused();
	await expect(stepHeading(page, 2)).toHaveText(/Before your treatment$/);
	for (const fieldset of await page.locator('fieldset.question').all()) {
		// Tab into the group lands on its first radio ("No"); Space chooses it.
		await tabTo(page, fieldset.getByRole('radio').first());
		await page.keyboard.press('Space');
		await expect(fieldset.getByLabel('No', { exact: true })).toBeChecked();
	}
	await expectNoAxeViolations(page);
	await tabTo(page, page.getByRole('button', { name: 'Next' }));
	await page.keyboard.press('Enter');

	await expect(stepHeading(page, 3)).toBeFocused();
	await expect(stepHeading(page, 3)).toHaveText(/Reminders$/);
	await expectNoAxeViolations(page);
	// Back by keyboard, and forward again.
	await tabTo(page, page.getByRole('button', { name: 'Back' }));
	await page.keyboard.press('Enter');
	await expect(stepHeading(page, 2)).toBeFocused();
	await tabTo(page, page.getByRole('button', { name: 'Next' }));
	await page.keyboard.press('Enter');
	await expect(stepHeading(page, 3)).toBeFocused();
	await tabTo(page, page.getByRole('button', { name: 'Show my plan' }));
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('29 days until your treatment');

	// In the phone's own zone, as the patient did not say the clinic is elsewhere.
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Treatment' })
		.click();
	await expect(page.getByText('(Europe/Berlin)')).toBeVisible();
});
