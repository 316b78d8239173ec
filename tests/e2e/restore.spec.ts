import { readFile } from 'node:fs/promises';
import type { Browser, Page } from '@playwright/test';
import { devices, expect, test } from './fixtures';
import { berlin, expectNoAxeViolations, jpegOfColour, mirror, onboard } from './helpers';
import { deleteAllData, openSettings } from './settings';

const now = berlin('2026-12-15T12:00');

/** Checks in for today through the diary, with a note and, when given, photos of the face. */
async function checkIn(page: Page, note: string, colours: string[] = []): Promise<void> {
	await page.getByRole('link', { name: 'Diary', exact: true }).click();
	await page.getByRole('link', { name: 'Check in for today' }).click();
	await page.getByRole('group', { name: 'Redness', exact: true }).getByLabel('Mild').check();
	await page.getByLabel('Note').fill(note);
	for (const [index, colour] of colours.entries()) {
		await page.getByLabel('Choose from gallery').setInputFiles({
			name: `face-${index}.jpg`,
			mimeType: 'image/jpeg',
			buffer: await jpegOfColour(page, colour)
		});
		await expect(page.getByRole('img', { name: 'New photo: Face' })).toHaveCount(index + 1);
	}
	await page.getByRole('button', { name: 'Save check-in' }).click();
	await expect(page).toHaveURL(/\/diary\?entry=/);
}

/** Saves a backup with Settings' own button; returns the file Playwright caught. */
async function saveBackup(page: Page, path: string): Promise<string> {
	await openSettings(page, 'Backup and data');
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Save a backup' }).click();
	const download = await downloading;
	await download.saveAs(path);
	return path;
}

/** A browser that has never seen the app: a new or replaced phone. */
async function newPhone(browser: Browser, baseURL: string | undefined): Promise<Page> {
	const context = await browser.newContext({
		...devices['Pixel 7'],
		baseURL,
		locale: 'en-GB',
		timezoneId: 'Europe/Berlin'
	});
	const page = await context.newPage();
	await page.clock.install({ time: now });
	return page;
}

test.describe('restoring a backup', () => {
	test.beforeEach(async ({ page }) => {
		await page.clock.install({ time: now });
	});

	test('a new phone restores from the welcome screen and shows everything at once', async ({
		page,
		browser,
		baseURL
	}, testInfo) => {
		await onboard(page, { date: '2026-12-14' });
		await checkIn(page, 'Tight, like a mild sunburn.', ['#c77', '#d99']);
		const file = await saveBackup(page, testInfo.outputPath('backup.zip'));

		const phone = await newPhone(browser, baseURL);
		await phone.goto('/');
		await expect(phone).toHaveURL(/\/welcome$/);
		await phone.getByRole('link', { name: 'Restore from a backup' }).click();
		await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Restore from a backup');
		await phone.setViewportSize({ width: 412, height: 915 });
		await phone.screenshot({ path: testInfo.outputPath('welcome-restore.png') });
		await expectNoAxeViolations(phone);

		await phone.getByLabel('Your backup file').setInputFiles(file);
		// A new phone has nothing to replace: the question only names what the backup holds.
		const question = phone.getByRole('group', { name: /^Backup from/ });
		await expect(question).toHaveText(
			/Backup from (15 December|December 15): 1 treatment, 1 check-in, 2 photos\. Restore it to this phone\?/
		);
		await expect(question).not.toContainText('replace');
		await expect(phone.getByText('Chosen file: backup.zip')).toBeVisible();
		await phone.screenshot({ path: testInfo.outputPath('welcome-restore-question.png') });
		await expectNoAxeViolations(phone);
		await phone.getByRole('button', { name: 'Restore this backup' }).click();

		await expect(phone).toHaveURL(/\/$/);
		await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Day 1 of recovery');
		await expect(phone.getByRole('status')).toContainText(
			/Backup from (15 December|December 15) restored: 1 treatment, 1 check-in, 2 photos\./
		);
		await phone.screenshot({ path: testInfo.outputPath('restored-today.png') });

		await phone.getByRole('link', { name: 'Diary', exact: true }).click();
		const card = phone.locator('[data-entry]');
		await expect(card).toHaveCount(1);
		await expect(card).toContainText('Tight, like a mild sunburn.');
		await expect(card.getByRole('img', { name: /Photo: Face, / })).toHaveCount(2);
		await expect(card.getByRole('img', { name: /Photo: Face, / }).first()).toBeVisible();

		await phone.getByRole('link', { name: 'Follow-up summary' }).click();
		const treatment = phone.getByRole('region', { name: 'Treatment' });
		await expect(treatment).toContainText(/Monday,? 14 December 2026/);
		await expect(treatment.locator('dt', { hasText: 'Check-ins' }).locator('+ dd')).toHaveText('1');
		await expect(phone.getByText('Tight, like a mild sunburn.')).toBeVisible();

		await phone.getByRole('link', { name: 'Diary', exact: true }).click();
		await phone.getByRole('link', { name: 'Compare photos' }).click();
		// The restored pixels, not just their descriptions: both pictures decode.
		for (const side of ['Before', 'After']) {
			const picture = phone.getByRole('img', { name: `Photo: ${side}: Tue 15 Dec, day 1` });
			await expect(picture).toBeVisible();
			await expect
				.poll(() => picture.evaluate((img: HTMLImageElement) => img.naturalWidth))
				.toBeGreaterThan(0);
		}
		await phone.context().close();
	});

	test('a restore in Settings replaces another plan, and the diary follows at once', async ({
		page
	}, testInfo) => {
		// The backup: two sessions, a check-in after the first.
		await onboard(page, { date: '2026-12-14' });
		await checkIn(page, 'From the backup.');
		await page.getByRole('link', { name: 'Treatment' }).click();
		await page.getByRole('button', { name: 'Add the next session' }).click();
		await page.getByRole('button', { name: 'Add session' }).click();
		await expect(page.getByRole('status')).toContainText('Session added.');
		const file = await saveBackup(page, testInfo.outputPath('backup.zip'));

		// Another plan in its place, whose diary has been open.
		await deleteAllData(page);
		await onboard(page, { date: '2026-12-10' });
		await page.getByRole('link', { name: 'Diary', exact: true }).click();
		await expect(page.getByText('No check-ins yet for this session.')).toBeVisible();
		await expect(page.getByLabel('Session')).toHaveCount(0);

		// The mirror's records name their session too (ReminderRecord.treatmentId).
		const treatmentsReminded = async () => [
			...new Set(
				(await mirror(page)).map(
					(record) => (record as typeof record & { treatmentId: string }).treatmentId
				)
			)
		];
		await expect.poll(treatmentsReminded).toHaveLength(1);
		const replaced = await treatmentsReminded();

		await openSettings(page, 'Backup and data');
		await page.getByLabel('Restore from a backup').setInputFiles(file);
		await expect(page.getByRole('group', { name: /^Backup from/ })).toContainText(
			'2 treatments, 1 check-in, no photos — replace what is on this phone?'
		);
		// Asked, nothing has changed yet: the reminders still follow the plan on the phone.
		expect(await treatmentsReminded()).toEqual(replaced);
		await page.getByRole('button', { name: 'Replace with this backup' }).click();
		await expect(page.getByRole('status')).toContainText(
			/restored: 2 treatments, 1 check-in, no photos\./
		);
		// Settings is shown anew for the restored plan, the patient still on the same control.
		await expect(page.getByLabel('Restore from a backup')).toBeFocused();

		// The reminders the service worker keeps follow: the restored plan's two sessions only.
		await expect.poll(treatmentsReminded).toHaveLength(2);
		expect(await treatmentsReminded()).not.toContain(replaced[0]);

		await page.getByRole('link', { name: 'Diary', exact: true }).click();
		await expect(page.locator('[data-entry]')).toContainText('From the backup.');
		const picker = page.getByLabel('Session');
		await expect(picker).toHaveValue(/.+/);
		await expect(picker.locator('option')).toHaveText([
			'1st session · Mon 14 Dec',
			'2nd session · Mon 11 Jan'
		]);
		await expect(picker.locator('option:checked')).toHaveText('1st session · Mon 14 Dec');
		await page.getByRole('link', { name: 'Today', exact: true }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Day 1 of recovery');
	});

	test('a damaged file on the welcome screen is refused and leaves the phone empty', async ({
		page,
		browser,
		baseURL,
		expectConsoleError
	}, testInfo) => {
		// The restore logs why it refused the file, for whoever debugs it; the patient gets words.
		expectConsoleError(/^unzip: Error: invalid zip data/, 'the refused file is no zip');
		await onboard(page, { date: '2026-12-14' });
		const good = await saveBackup(page, testInfo.outputPath('backup.zip'));
		const bytes = await readFile(good);
		// Cut short, as an interrupted download or copy leaves it.
		const damaged = bytes.subarray(0, Math.floor(bytes.length / 2));

		const phone = await newPhone(browser, baseURL);
		await phone.goto('/');
		await phone.getByRole('link', { name: 'Restore from a backup' }).click();
		const input = phone.getByLabel('Your backup file');
		await input.setInputFiles({
			name: 'aftercare-backup-2026-12-15.zip',
			mimeType: 'application/zip',
			buffer: damaged
		});
		const alert = phone.getByRole('alert');
		await expect(alert).toHaveText(
			'This backup is damaged or incomplete, so it cannot be restored. Nothing on this phone was changed.'
		);
		// Refused, not asked about.
		await expect(phone.getByRole('group', { name: /^Backup from/ })).toHaveCount(0);
		await expect(input).toHaveAttribute('aria-invalid', 'true');
		await expect(phone).toHaveURL(/\/welcome\/restore$/);
		await phone.screenshot({ path: testInfo.outputPath('welcome-restore-damaged.png') });
		await expectNoAxeViolations(phone);

		// Still a new visitor's phone: opened again, the app shows the welcome screen.
		await phone.getByRole('link', { name: 'No backup? Build a new plan instead' }).click();
		await expect(phone.getByLabel('Treatment date')).toHaveValue('');
		await phone.goto('/');
		await expect(phone).toHaveURL(/\/welcome$/);
		await expect(phone.getByRole('link', { name: 'Build my plan' })).toBeVisible();
		await phone.context().close();
	});
});
