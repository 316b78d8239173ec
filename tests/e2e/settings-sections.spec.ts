// Settings as a short list of sections, each its own page: reached by tapping, with a way back,
// focus where a keyboard or screen reader user expects it, and the guarded controls (restore over
// a plan, delete everything) asking before they change anything.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { berlin, expectNoAxeViolations, onboard } from './helpers';
import { openSettings, type SettingsSection } from './settings';

const heading = (page: Page) => page.getByRole('heading', { level: 1 });
const navSettings = (page: Page) =>
	page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' });
const notice = (page: Page) => page.getByRole('status').filter({ hasText: /\S/ });

const sections: [SettingsSection, string][] = [
	['Reminders', 'reminders'],
	['My treatment and answers', 'answers'],
	['Clinic', 'clinic'],
	['Backup and data', 'data'],
	['App', 'app']
];

// Onboarding and five axe runs on a shared, busy machine take longer than the default minute.
test.describe.configure({ timeout: 180_000 });

test.beforeEach(async ({ page }) => {
	await page.clock.install({ time: berlin('2026-11-24T09:00') });
	await onboard(page, { date: '2026-12-14', yesTo: ['acne'] });
});

test('Settings is a short list; each section is a page with a heading and a way back', async ({
	page
}, testInfo) => {
	await navSettings(page).click();
	await expect(heading(page)).toHaveText('Settings');
	await expect(page.locator('main').getByRole('link')).toHaveText(
		sections.map(([name]) => new RegExp(`^${name}`))
	);
	await expectNoAxeViolations(page);
	await page.screenshot({ path: testInfo.outputPath('settings.png') });

	for (const [name, path] of sections) {
		await page.getByRole('link', { name, exact: true }).click();
		await expect(page).toHaveURL(new RegExp(`/settings/${path}$`));
		// Arrived by a tap, the patient starts at the section's name.
		await expect(heading(page)).toHaveText(name);
		await expect(heading(page)).toBeFocused();
		await expect(page).toHaveTitle(`${name} · Settings · Aftercare Companion`);
		// The navigation still says where the patient is: in Settings.
		await expect(navSettings(page)).toHaveAttribute('aria-current', 'page');
		await expectNoAxeViolations(page);
		await page.screenshot({ path: testInfo.outputPath(`settings-${path}.png`), fullPage: true });

		await page.getByRole('link', { name: 'Back to Settings' }).click();
		await expect(heading(page)).toHaveText('Settings');
		// Back on the list, on the link they left by.
		await expect(page.getByRole('link', { name, exact: true })).toBeFocused();
	}
});

test('"My treatment and answers" points to the Treatment screen for dates', async ({ page }) => {
	await openSettings(page, 'My treatment and answers');
	await page.getByRole('link', { name: 'the Treatment screen' }).click();
	await expect(heading(page)).toHaveText('Your treatment');
});

test('the Clinic page says how to reach the clinic', async ({ page }) => {
	await openSettings(page, 'Clinic');
	await expect(page.locator('main')).toContainText(
		'Contact your provider — the clinic that treated you.'
	);
	await expect(page.locator('main')).toContainText('Microneedling care plan, version');
});

test('"Check for a new version" says what it found', async ({ page }) => {
	await openSettings(page, 'App');
	await expect(page.getByRole('region', { name: 'Version' })).toContainText(
		'This copy of the app was built on'
	);
	await page.getByRole('button', { name: 'Check for a new version' }).click();
	await expect(notice(page)).toContainText(
		/You have the latest version\.|A new version is on its way\.|reload the page instead/
	);
});

test('"Deutsch" re-words the app at once; "Follow the phone" brings the phone’s English back', async ({
	page
}) => {
	await openSettings(page, 'App');
	const choice = (name: string) =>
		page
			.getByRole('group', { name: /^(Language|Sprache)$/ })
			.getByRole('radio', { name, exact: true });
	await expect(choice('Follow the phone (English)')).toBeChecked();
	await choice('Deutsch').check();
	// At once, without a reload: the page's words, the navigation and the page's language.
	await expect(page.locator('html')).toHaveAttribute('lang', 'de');
	await expect(page.getByRole('group', { name: 'Sprache' })).toBeVisible();
	await expect(
		page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Heute' })
	).toBeVisible();
	await expect(choice('Deutsch')).toBeChecked();
	await expect(choice('Wie das Telefon (English)')).not.toBeChecked();

	await choice('Wie das Telefon (English)').check();
	await expect(page.locator('html')).toHaveAttribute('lang', /^en/);
	await expect(choice('Follow the phone (English)')).toBeChecked();

	// English chosen for itself, then back to following the phone: kept across a restart.
	await choice('English').check();
	await expect(choice('Follow the phone (English)')).not.toBeChecked();
	await choice('Follow the phone (English)').check();
	await page.reload();
	await expect(choice('Follow the phone (English)')).toBeChecked();
	await navSettings(page).click();
	await expect(heading(page)).toHaveText('Settings');
});

test.describe('Delete all my data', () => {
	test('asks first, naming what would be lost; "Keep my data" changes nothing', async ({
		page
	}, testInfo) => {
		await openSettings(page, 'Backup and data');
		await page.getByRole('button', { name: 'Delete all my data' }).click();
		const confirm = page.getByRole('group', { name: 'Delete all of this from this phone?' });
		await expect(confirm.getByRole('listitem')).toHaveText([
			'Your treatment and the care plan made from it, with every tick',
			'Your diary: no check-ins and no photos',
			'Your answers to the screening questions',
			'Your reminder times; reminders stop'
		]);
		await expect(page.locator('#delete-question')).toBeFocused();
		await expectNoAxeViolations(page);
		await page.screenshot({ path: testInfo.outputPath('delete-confirm.png'), fullPage: true });

		await page.getByRole('button', { name: 'Keep my data' }).click();
		await expect(confirm).toHaveCount(0);
		await expect(page.getByRole('button', { name: 'Delete all my data' })).toBeFocused();
		await page.getByRole('link', { name: 'Today', exact: true }).click();
		await expect(heading(page)).toHaveText('20 days until your treatment');
	});

	test('"Yes, delete everything" leaves an empty phone', async ({ page }) => {
		await openSettings(page, 'Backup and data');
		await page.getByRole('button', { name: 'Delete all my data' }).click();
		await page.getByRole('button', { name: 'Yes, delete everything' }).click();
		await expect(page).toHaveURL(/\/welcome$/);
		await page.goto('/');
		await expect(page).toHaveURL(/\/welcome$/);
	});
});

test.describe('restoring in Settings', () => {
	test('the file button is a keyboard-focusable button with a visible ring, and names the file', async ({
		page
	}) => {
		await openSettings(page, 'Backup and data');
		const input = page.getByLabel('Restore from a backup');
		// Tab from the button before it reaches the file button.
		await page.getByRole('button', { name: 'Save a backup' }).focus();
		await page.keyboard.press('Tab');
		await expect(input).toBeFocused();
		const ring = await page
			.locator('label.file')
			.evaluate((label) => getComputedStyle(label).outlineStyle);
		expect(ring).toBe('solid');
	});

	test('a checked backup is described before anything changes; "Keep what is on this phone" keeps it', async ({
		page
	}, testInfo) => {
		await openSettings(page, 'Backup and data');
		const downloading = page.waitForEvent('download');
		await page.getByRole('button', { name: 'Save a backup' }).click();
		const file = testInfo.outputPath('backup.zip');
		await (await downloading).saveAs(file);

		await page.getByLabel('Restore from a backup').setInputFiles(file);
		const question = page.getByRole('group', { name: /^Backup from/ });
		await expect(question).toContainText(
			/Backup from (24 November|November 24): 1 treatment, no check-ins, no photos — replace what is on this phone\?/
		);
		await expect(page.getByText('Chosen file: backup.zip')).toBeVisible();
		await expect(page.locator('#backup-restore-question')).toBeFocused();
		await expectNoAxeViolations(page);
		await question.scrollIntoViewIfNeeded();
		await page.screenshot({ path: testInfo.outputPath('restore-question.png') });

		await page.getByRole('button', { name: 'Keep what is on this phone' }).click();
		await expect(question).toHaveCount(0);
		await expect(page.getByLabel('Restore from a backup')).toBeFocused();
		await expect(page.getByText(/restored/)).toHaveCount(0);
	});
});
