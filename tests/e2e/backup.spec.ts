import { expect, test } from './fixtures';
import { berlin, expectNoAxeViolations, onboard } from './helpers';
import { deleteAllData, openSettings } from './settings';

test.describe('backup and restore', () => {
	test.beforeEach(async ({ page }) => {
		await page.clock.install({ time: berlin('2026-11-24T09:00') });
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

		await openSettings(page, 'Backup and data');
		const downloading = page.waitForEvent('download');
		await page.getByRole('button', { name: 'Save a backup' }).click();
		const download = await downloading;
		expect(download.suggestedFilename()).toBe('aftercare-backup-2026-11-24.zip');
		const file = testInfo.outputPath(download.suggestedFilename());
		await download.saveAs(file);
		await expect(page.getByRole('status')).toContainText('Backup saved');

		await deleteAllData(page);

		await onboard(page, { date: '2026-12-21' });
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'27 days until your treatment'
		);

		await openSettings(page, 'Backup and data');
		await page.getByLabel('Restore from a backup').setInputFiles(file);
		// Checked first, then asked, naming what the backup holds.
		await expect(page.getByRole('group', { name: /^Backup from/ })).toContainText(
			/Backup from (24 November|November 24): 1 treatment, no check-ins, no photos — replace what is on this phone\?/
		);
		await page.getByRole('button', { name: 'Replace with this backup' }).click();
		await expect(page.getByRole('status')).toContainText(
			/Backup from (24 November|November 24) restored: 1 treatment, no check-ins, no photos\./
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
		await openSettings(page, 'Backup and data');
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
		// No question about replacing anything for a file that cannot be restored.
		await expect(page.getByRole('button', { name: 'Replace with this backup' })).toHaveCount(0);
		await expect(page.getByText('Chosen file: holiday.zip')).toBeVisible();
		await page.getByRole('link', { name: 'Today' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'20 days until your treatment'
		);
	});

	test('the storage panel says whether the data is protected and how much space it uses', async ({
		page
	}) => {
		await onboard(page, { date: '2026-12-14' });
		await openSettings(page, 'Backup and data');
		const panel = page.getByRole('region', { name: 'Storage' });
		await expect(panel).toContainText(/The app uses [\d.,]+\s?[kMG]B of this phone's storage/);
		await expect(panel).toContainText(
			/Protected from automatic clean-up|The browser may clear it when space runs low/
		);
		await expectNoAxeViolations(page);
	});
});
