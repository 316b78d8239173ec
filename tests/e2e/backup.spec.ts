import { expect, test } from './fixtures';
import { berlin, expectNoAxeViolations, onboard } from './helpers';

test.describe('backup and restore', () => {
	test.beforeEach(async ({ page }) => {
		await page.clock.install({ time: berlin('2026-11-24T09:00') });
		// Restoring and deleting ask for confirmation; the patient says yes.
		page.on('dialog', (dialog) => void dialog.accept());
	});

	test('a backup brings one patient’s plan back in place of another’s', async ({
		page
	}, testInfo) => {
		// The provider asked for the cream: that answer is in the backup too.
		await onboard(page, { date: '2026-12-14', yesTo: ['vitamin A or C cream'] });
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'20 days until your treatment'
		);
		await page.getByRole('checkbox', { name: 'Vitamin A or C cream' }).check();

		await page.getByRole('link', { name: 'Settings' }).click();
		const downloading = page.waitForEvent('download');
		await page.getByRole('button', { name: 'Save a backup' }).click();
		const download = await downloading;
		expect(download.suggestedFilename()).toBe('aftercare-backup-2026-11-24.zip');
		const file = testInfo.outputPath(download.suggestedFilename());
		await download.saveAs(file);
		await expect(page.getByRole('status')).toContainText('Backup saved');

		await page.getByRole('button', { name: 'Delete all my data' }).click();
		await expect(page).toHaveURL(/\/welcome$/);

		await onboard(page, { date: '2026-12-21' });
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'27 days until your treatment'
		);

		await page.getByRole('link', { name: 'Settings' }).click();
		await page.getByLabel('Restore from a backup').setInputFiles(file);
		await expect(page.getByRole('status')).toContainText(
			/Your backup from Tuesday,? 24 November 2026 is restored: 1 treatment, 0 diary check-ins/
		);

		await page.getByRole('link', { name: 'Today' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'20 days until your treatment'
		);
		await expect(page.getByRole('checkbox', { name: 'Vitamin A or C cream' })).toBeChecked();

		// Stored, not just shown: it survives a reload.
		await page.reload();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'20 days until your treatment'
		);
	});

	test('a file that is not a backup is refused and changes nothing', async ({
		page,
		expectConsoleError
	}) => {
		// The panel logs why it refused the file, for whoever debugs it; the patient gets words.
		expectConsoleError(/^unzip: Error: invalid zip data/, 'the refused file is no zip');
		await onboard(page, { date: '2026-12-14' });
		await page.getByRole('link', { name: 'Settings' }).click();
		await page.getByLabel('Restore from a backup').setInputFiles({
			name: 'holiday.zip',
			mimeType: 'application/zip',
			buffer: Buffer.from('not a zip at all')
		});
		// Said beside the control, and kept there: not a notice that goes after a few seconds.
		await expect(page.getByRole('alert')).toContainText(
			'This file is not an Aftercare Companion backup'
		);
		await expect(page.getByLabel('Restore from a backup')).toHaveAttribute('aria-invalid', 'true');
		await page.getByRole('link', { name: 'Today' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'20 days until your treatment'
		);
	});

	test('the storage panel says whether the data is protected and how much space it uses', async ({
		page
	}) => {
		await onboard(page, { date: '2026-12-14' });
		await page.getByRole('link', { name: 'Settings' }).click();
		const panel = page.getByRole('region', { name: 'Storage' });
		await expect(panel).toContainText(/The app uses [\d.,]+\s?[kMG]B of this phone's storage/);
		await expect(panel).toContainText(
			/Protected from automatic clean-up|The browser may clear it when space runs low/
		);
		await expectNoAxeViolations(page);
	});
});
