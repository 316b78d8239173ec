import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** The sections of Settings, each its own page, by the name of its link. */
export type SettingsSection =
	'Reminders' | 'My treatment and answers' | 'Clinic' | 'Backup and data' | 'App';

/**
 * Opens a section of Settings as a patient does: the navigation's Settings, then the section's
 * link. Waits for the section's heading.
 */
export async function openSettings(page: Page, section: SettingsSection): Promise<void> {
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Settings' })
		.click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
	await page.getByRole('link', { name: section, exact: true }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(section);
}

/** Deletes all data as a patient does, from Backup and data, through the confirm step. */
export async function deleteAllData(page: Page): Promise<void> {
	await openSettings(page, 'Backup and data');
	await page.getByRole('button', { name: 'Delete all my data' }).click();
	await page.getByRole('button', { name: 'Yes, delete everything' }).click();
	await expect(page).toHaveURL(/\/welcome$/);
}
