import { expect, test } from './fixtures';
import { berlin, controlled, onboard } from './helpers';
import { openSettings } from './settings';

test.describe('a browser that cannot deliver reminders', () => {
	test('says so plainly, points to the calendar, and stops trying', async ({
		page,
		context,
		expectConsoleError
	}, testInfo) => {
		expectConsoleError(
			/^Chrome currently does not support the Push API in incognito mode/,
			'Chromium logs this itself when the real subscribe() fails, the case under test'
		);
		// Notifications allowed, but Playwright's Chromium has no push service: its real
		// pushManager.subscribe() fails ("AbortError: Registration failed - permission denied").
		await context.grantPermissions(['notifications']);
		await page.addInitScript(() => {
			const subscribe = PushManager.prototype.subscribe;
			PushManager.prototype.subscribe = function (...args) {
				sessionStorage.setItem(
					'subscribes',
					String(Number(sessionStorage.getItem('subscribes')) + 1)
				);
				return subscribe.apply(this, args);
			};
		});
		const subscribes = () => page.evaluate(() => Number(sessionStorage.getItem('subscribes')));
		await page.clock.install({ time: berlin('2026-12-13T12:00') });
		await onboard(page, { date: '2026-12-14' });
		await controlled(page);

		await openSettings(page, 'Reminders');
		const panel = page.getByRole('region', { name: 'Reminders' });
		await panel.getByRole('button', { name: 'Turn on reminders' }).click();

		await expect(panel).toContainText(
			'This browser cannot deliver reminders: notifications are allowed, but it has no way to receive them while the app is closed. Use "Add to calendar" below to get your reminders as calendar alerts instead.'
		);
		await expect(panel).not.toContainText('server');
		await expect(panel).not.toContainText('next time');
		await expect(panel.getByRole('button', { name: 'Add to calendar' })).toBeEnabled();
		await expect(panel.getByRole('button', { name: 'Try again' })).toBeVisible();
		expect(await subscribes()).toBe(1);
		await page.setViewportSize({ width: 412, height: 915 });
		await panel.screenshot({ path: testInfo.outputPath('reminders-unavailable.png') });

		// Opened again, the app does not try by itself: reminders are simply off.
		await page.reload();
		await expect(panel.locator('[data-state]')).toHaveText(/^Reminders are off\./);
		await expect(panel.getByRole('button', { name: 'Turn on reminders' })).toBeVisible();
		await expect(panel.locator('.banner')).toHaveCount(0);
		expect(await subscribes()).toBe(1);
	});
});
