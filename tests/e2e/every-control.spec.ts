// Every control on Today, Timeline, Diary, Treatment and Settings that no other spec pressed
// (scripts/e2e-coverage.js lists them), pressed here as a patient would, each followed by what
// the patient sees happen. The fixture fails any of these on a browser error, which is how the
// DataCloneError of "Edit today's check-in" would have been caught.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { berlin, onboard } from './helpers';
import { openSettings } from './settings';

const heading = (page: Page) => page.getByRole('heading', { level: 1 });
const nav = (page: Page, name: string) =>
	page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
const notice = (page: Page) => page.getByRole('status').filter({ hasText: /\S/ });

async function rate(page: Page, symptom: string, level: string) {
	await page.getByRole('group', { name: symptom, exact: true }).getByLabel(level).check();
}

test.describe('Today', () => {
	test.beforeEach(async ({ page }) => {
		await page.clock.install({ time: berlin('2026-12-15T12:00') });
		await onboard(page, { date: '2026-12-14' });
	});

	test('"Skip to content" takes the keyboard past the page’s top to its content', async ({
		page
	}) => {
		await page.keyboard.press('Tab');
		const skip = page.getByRole('link', { name: 'Skip to content' });
		await expect(skip).toBeFocused();
		await expect(skip).toBeVisible();
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(/#main$/);
		await page.keyboard.press('Tab');
		await expect(
			page.getByRole('link', { name: 'How is your skin today? Check in' })
		).toBeFocused();
	});

	test('the check-in link opens today’s check-in; once saved, "Edit today’s check-in" reopens it', async ({
		page
	}) => {
		await page.getByRole('link', { name: 'How is your skin today? Check in' }).click();
		await expect(heading(page)).toHaveText('Check-in · Tue 15 Dec');
		await rate(page, 'Redness', 'Mild');
		await page.getByLabel('Note').fill('Tight this morning.');
		await page.getByRole('button', { name: 'Save check-in' }).click();
		await expect(page).toHaveURL(/\/diary\?entry=/);

		// The link the patient found broken: it threw DataCloneError.
		await nav(page, 'Today').click();
		await page.getByRole('link', { name: 'Edit today’s check-in' }).click();
		await expect(heading(page)).toHaveText('Check-in · Tue 15 Dec');
		const redness = page.getByRole('group', { name: 'Redness', exact: true });
		await expect(redness.getByLabel('Mild')).toBeChecked();
		await expect(page.getByLabel('Note')).toHaveValue('Tight this morning.');
		await rate(page, 'Redness', 'Moderate');
		await page.getByRole('button', { name: 'Save check-in' }).click();

		// Changed in place, not added.
		await expect(page.locator('[data-entry]')).toHaveCount(1);
		await expect(page.locator('[data-entry]')).toContainText('Redness: Moderate');
	});

	test('"How to get reminders" opens the Reminders settings', async ({ page }) => {
		await page.getByRole('link', { name: 'How to get reminders' }).click();
		await expect(heading(page)).toHaveText('Reminders');
		await expect(page.getByRole('region', { name: 'Reminders' })).toContainText(
			'Reminders are off.'
		);
		await expect(page.getByRole('button', { name: 'Turn on reminders' })).toBeVisible();
	});
});

test.describe('Diary', () => {
	test.beforeEach(async ({ page }) => {
		await page.clock.install({ time: berlin('2026-12-15T12:00') });
		await onboard(page, { date: '2026-12-14' });
		await nav(page, 'Diary').click();
		await page.getByRole('link', { name: 'Check in for today' }).click();
		await rate(page, 'Redness', 'Mild');
		await page.getByRole('button', { name: 'Save check-in' }).click();
		await expect(page.locator('[data-entry]')).toHaveCount(1);
	});

	test('today’s check-in is edited in place; another one is added beside it', async ({ page }) => {
		await page.getByRole('link', { name: 'Edit today’s check-in' }).click();
		await expect(
			page.getByRole('group', { name: 'Redness', exact: true }).getByLabel('Mild')
		).toBeChecked();
		await rate(page, 'Swelling', 'Mild');
		await page.getByRole('button', { name: 'Save check-in' }).click();
		await expect(page.locator('[data-entry]')).toHaveCount(1);
		await expect(page.locator('[data-entry]')).toContainText('Redness: Mild, Swelling: Mild');

		await page.getByRole('link', { name: 'Add another check-in for today' }).click();
		await expect(
			page.getByRole('group', { name: 'Redness', exact: true }).getByLabel('None')
		).toBeChecked();
		await page.getByLabel('Note').fill('Evening: calmer.');
		await page.getByRole('button', { name: 'Save check-in' }).click();
		await expect(page.locator('[data-entry]')).toHaveCount(2);
		await expect(page.locator('[data-entry]').first()).toContainText('Evening: calmer.');
	});

	test('a check-in’s own Edit link opens that check-in', async ({ page }) => {
		await page.getByRole('link', { name: 'Edit the check-in of Tue 15 Dec' }).click();
		await expect(heading(page)).toHaveText('Check-in · Tue 15 Dec');
		await expect(
			page.getByRole('group', { name: 'Redness', exact: true }).getByLabel('Mild')
		).toBeChecked();
	});

	test('"Compare photos" opens the photo comparison', async ({ page }) => {
		await page.getByRole('link', { name: 'Compare photos' }).click();
		await expect(heading(page)).toHaveText('Compare photos');
	});

	test('"Show older check-ins" shows the check-ins past the first thirty', async ({ page }) => {
		test.setTimeout(120_000);
		for (let count = 2; count <= 31; count += 1) {
			await page.getByRole('link', { name: 'Add another check-in for today' }).click();
			await page.getByLabel('Note').fill(`Check-in ${count}`);
			await page.getByRole('button', { name: 'Save check-in' }).click();
			await expect(page.locator('[data-entry]').first()).toContainText(`Check-in ${count}`);
		}
		await expect(page.locator('[data-entry]')).toHaveCount(30);
		await page.getByRole('button', { name: 'Show older check-ins (1 more)' }).click();
		await expect(page.locator('[data-entry]')).toHaveCount(31);
		// The first check-in, with no note, is the oldest and comes last.
		await expect(page.locator('[data-entry]').last()).toContainText('Redness: Mild');
		await expect(page.getByRole('button', { name: /Show older check-ins/ })).toHaveCount(0);
	});
});

test.describe('Timeline', () => {
	test('a phase folds away and opens again; a task says where it comes from', async ({ page }) => {
		await page.clock.install({ time: berlin('2026-11-24T09:00') });
		await onboard(page, { date: '2026-12-14', yesTo: ['vitamin A or C cream'] });
		await nav(page, 'Timeline').click();

		const phaseTitle = page.getByText('Preparing your skin', { exact: true });
		const today = page.locator('li.today');
		await expect(today).toBeVisible();
		await phaseTitle.click();
		await expect(today).toBeHidden();
		await phaseTitle.click();
		await expect(today).toBeVisible();

		await today.locator('summary').click();
		const card = today.locator('article', {
			has: page.getByRole('checkbox', { name: 'Vitamin A or C cream' })
		});
		await card.getByText('Where this comes from').click();
		await expect(card.getByRole('blockquote').first()).toBeVisible();
		await expect(card).toContainText('From the');
	});
});

test.describe('Treatment', () => {
	test.beforeEach(async ({ page }) => {
		await page.clock.install({ time: berlin('2026-11-24T09:00') });
		await onboard(page, { date: '2026-12-14' });
		await nav(page, 'Treatment').click();
	});

	test('Cancel leaves the session as it was and gives focus back to Edit', async ({ page }) => {
		const edit = page.getByRole('button', { name: 'Edit the 1st session' });
		await edit.click();
		await page.getByLabel('Treatment date').fill('2026-12-21');
		await page.getByRole('button', { name: 'Cancel' }).click();
		await expect(page.getByLabel('Treatment date')).toHaveCount(0);
		await expect(page.getByRole('region', { name: '1st session' })).toContainText(
			'Monday, 14 December 2026'
		);
		await expect(edit).toBeFocused();
	});

	test('the areas and the kind of treatment are saved as ticked', async ({ page }) => {
		const session = page.getByRole('region', { name: '1st session' });
		await page.getByRole('button', { name: 'Edit the 1st session' }).click();
		for (const area of ['Neck', 'Back', 'Legs', 'Another area']) {
			await page.getByRole('checkbox', { name: area }).check();
		}
		await page.getByRole('checkbox', { name: 'Face' }).uncheck();
		await page.getByRole('radio', { name: 'Microneedling RF (radiofrequency)' }).check();
		await page.getByRole('button', { name: 'Save changes' }).click();
		await expect(notice(page)).toContainText('Your plan has been updated');
		await expect(session).toContainText('Neck, Back, Legs, Another area');
		await expect(session).toContainText('Microneedling RF (radiofrequency)');

		await page.getByRole('button', { name: 'Edit the 1st session' }).click();
		await expect(page.getByRole('checkbox', { name: 'Face' })).not.toBeChecked();
		await page.getByRole('checkbox', { name: 'Face' }).check();
		await page.getByRole('radio', { name: 'Microneedling', exact: true }).check();
		await page.getByRole('button', { name: 'Save changes' }).click();
		await expect(session).toContainText('Face, Neck, Back, Legs, Another area');
		await expect(session.getByRole('definition').nth(2)).toHaveText('Microneedling');
	});

	test('Remove asks first, then takes the session out of the plan', async ({ page }) => {
		await page.getByRole('button', { name: 'Add the next session' }).click();
		await page.getByRole('button', { name: 'Add session' }).click();
		const second = page.getByRole('region', { name: '2nd session' });
		await expect(second).toBeVisible();

		// "Cancel" in the browser's dialog keeps it.
		page.once('dialog', (dialog) => void dialog.dismiss());
		await page.getByRole('button', { name: 'Remove the 2nd session' }).click();
		await expect(second).toBeVisible();

		page.once('dialog', (dialog) => {
			expect(dialog.message()).toBe(
				'Remove the 2nd session on Monday, 11 January 2027 and its part of your plan?'
			);
			void dialog.accept();
		});
		await page.getByRole('button', { name: 'Remove the 2nd session' }).click();
		await expect(notice(page)).toContainText('Session removed. Your plan has been updated.');
		await expect(second).toHaveCount(0);
		await expect(page.getByRole('button', { name: 'Remove the 1st session' })).toHaveCount(0);
		await nav(page, 'Timeline').click();
		await expect(page.getByRole('heading', { name: /2nd session/ })).toHaveCount(0);
	});
});

test.describe('Settings', () => {
	test.beforeEach(async ({ page }) => {
		await page.clock.install({ time: berlin('2026-11-24T09:00') });
		await onboard(page, { date: '2026-12-14', yesTo: ['vitamin A or C cream'] });
	});

	test('reminders set to another time zone offer the phone’s, which "Use" puts back', async ({
		page
	}) => {
		await openSettings(page, 'Reminders');
		const zone = page.getByLabel('Your time zone');
		await zone.selectOption('Asia/Tokyo');
		await page.getByRole('button', { name: 'Save reminder times' }).click();
		await expect(page.getByText('This phone is now in Europe/Berlin')).toContainText(
			'but your reminders follow Asia/Tokyo'
		);
		await page.getByRole('button', { name: 'Use Europe/Berlin' }).click();
		await expect(zone).toHaveValue('Europe/Berlin');
		await page.getByRole('button', { name: 'Save reminder times' }).click();
		await expect(notice(page)).toContainText('Reminder times saved.');
		await expect(page.getByText('This phone is now in')).toHaveCount(0);
	});

	test('quiet hours can be turned off, and when on, keep reminders out of the night', async ({
		page
	}) => {
		await openSettings(page, 'Reminders');
		const quiet = page.getByRole('checkbox', {
			name: 'Quiet hours: hold reminders back overnight'
		});
		await expect(quiet).toBeChecked();
		await quiet.uncheck();
		await expect(page.getByLabel('Quiet from')).toHaveCount(0);
		// Without quiet hours, a late evening reminder is fine.
		await page.getByLabel('Evening reminders at').fill('23:00');
		await page.getByRole('button', { name: 'Save reminder times' }).click();
		await expect(notice(page)).toContainText('Reminder times saved.');
		await nav(page, 'Timeline').click();
		await expect(page.locator('li.today')).toContainText('23:00 Vitamin A or C cream');

		await openSettings(page, 'Reminders');
		await expect(quiet).not.toBeChecked();
		await quiet.check();
		await expect(page.getByLabel('Quiet from')).toHaveValue('22:00');
		await expect(page.getByLabel('Until')).toHaveValue('07:00');
		await page.getByRole('button', { name: 'Save reminder times' }).click();
		await expect(page.getByRole('region', { name: /^Please check/ })).toContainText(
			'This is inside your quiet hours, so the reminder would wait until 07:00.'
		);
	});

	test('a missing reminder time is explained; its link takes focus to the field', async ({
		page
	}) => {
		await openSettings(page, 'Reminders');
		await page.getByLabel('Morning reminders at').fill('');
		await page.getByRole('button', { name: 'Save reminder times' }).click();
		const summary = page.getByRole('region', { name: /^Please check/ });
		await expect(summary).toBeFocused();
		await summary.getByRole('link', { name: 'Enter a time, for example 08:00.' }).click();
		await expect(page.getByLabel('Morning reminders at')).toBeFocused();
	});

	test('screening answers are saved, and a "yes" or "not sure" asks to talk to the provider', async ({
		page
	}) => {
		await openSettings(page, 'My treatment and answers');
		const form = page.getByRole('group', { name: 'Before your treatment' });
		const question = (words: string) => form.locator('fieldset.question', { hasText: words });
		const advice = page.getByRole('region', { name: 'Talk to your provider before treatment' });
		await expect(advice).toHaveCount(0);

		await question('acne').getByRole('radio', { name: 'Yes' }).check();
		await question('keloid').getByRole('radio', { name: 'Not sure' }).check();
		await page.getByRole('button', { name: 'Save answers' }).click();
		await expect(notice(page)).toContainText('Answers saved.');
		await expect(advice.getByRole('listitem')).toHaveCount(2);
		await expect(advice).toContainText('acne');

		await question('acne').getByRole('radio', { name: 'No', exact: true }).check();
		await page.getByRole('button', { name: 'Save answers' }).click();
		await expect(advice.getByRole('listitem')).toHaveCount(1);
		await expect(advice).not.toContainText('acne');

		// Talked about here, the advice folds away on Today.
		await advice.getByRole('button', { name: 'I have talked to my provider' }).click();
		await expect(advice).toContainText('You said you have talked to your provider about these.');
		await nav(page, 'Today').click();
		await expect(
			page.getByRole('region', { name: 'Talk to your provider before treatment' })
		).toHaveCount(0);
	});

	test('"Add to calendar" saves the upcoming reminders as a calendar file', async ({ page }) => {
		await openSettings(page, 'Reminders');
		const reminders = page.getByRole('region', { name: 'Reminders' });
		const downloading = page.waitForEvent('download');
		await reminders.getByRole('button', { name: 'Add to calendar' }).click();
		const download = await downloading;
		expect(download.suggestedFilename()).toBe('aftercare-reminders-2026-11-24.ics');
	});

	test('"Keep my diary safe" asks the browser, and says what it answered', async ({ page }) => {
		await openSettings(page, 'Backup and data');
		const storage = page.getByRole('region', { name: 'Storage' });
		await expect(storage).toContainText('The browser may clear it when space runs low.');
		await storage.getByRole('button', { name: 'Keep my diary safe' }).click();
		await expect(notice(page)).toContainText(
			/Your diary is now protected from automatic clean-up\.|The browser did not allow it this time\./
		);
		const protectedNow = await storage.getByText('Protected from automatic clean-up.').isVisible();
		await expect(storage.getByRole('button', { name: 'Keep my diary safe' })).toHaveCount(
			protectedNow ? 0 : 1
		);
	});

	test('blocked notifications: once allowed in the browser, "I have allowed notifications" lets them be turned on', async ({
		page
	}) => {
		await openSettings(page, 'Reminders');
		const reminders = page.getByRole('region', { name: 'Reminders' });
		// Headless Chromium answers the permission request with "denied", as a patient may.
		await reminders.getByRole('button', { name: 'Turn on reminders' }).click();
		await expect(reminders).toContainText('Notifications are blocked for this app.');
		await page.context().grantPermissions(['notifications']);
		await reminders.getByRole('button', { name: 'I have allowed notifications' }).click();
		await expect(reminders.locator('[data-state]')).toContainText('Reminders are off.');
		await expect(reminders.getByRole('button', { name: 'Turn on reminders' })).toBeVisible();
	});
});
