import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { berlin, expectNoAxeViolations, onboard } from './helpers';
import { openSettings } from './settings';

const iPhoneSafari =
	'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** The manifest's icons, as the tests read them. */
type Icon = { src: string; sizes: string; type: string; purpose: string };

/** The size and corner pixel of an image, drawn in the page as the browser decodes it. */
async function drawn(page: Page, src: string) {
	return page.evaluate(async (url) => {
		const image = new Image();
		image.src = url;
		await image.decode();
		const canvas = document.createElement('canvas');
		canvas.width = image.naturalWidth;
		canvas.height = image.naturalHeight;
		const context = canvas.getContext('2d')!;
		context.drawImage(image, 0, 0);
		const [red, green, blue, alpha] = context.getImageData(0, 0, 1, 1).data;
		return {
			size: `${image.naturalWidth}x${image.naturalHeight}`,
			corner: { red, green, blue, alpha }
		};
	}, src);
}

/**
 * Fires Chromium's install offer as the browser would, with a dialog that answers `outcome`.
 * @returns whether the app kept the event (called preventDefault)
 */
async function offerInstall(page: Page, outcome: 'accepted' | 'dismissed' = 'accepted') {
	return page.evaluate((choice) => {
		document.documentElement.dataset.prompts = '0';
		const event = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
			prompt: async () => {
				const { dataset } = document.documentElement;
				dataset.prompts = String(Number(dataset.prompts) + 1);
			},
			userChoice: Promise.resolve({ outcome: choice, platform: 'web' })
		});
		window.dispatchEvent(event);
		return event.defaultPrevented;
	}, outcome);
}

/** How often the app opened the install dialog of the last offer. */
const prompts = (page: Page) =>
	page.evaluate(() => Number(document.documentElement.dataset.prompts));

test.describe('the web app manifest', () => {
	test('is linked, served as a manifest and declares the app', async ({ page }) => {
		await page.goto('/welcome');
		const href = await page.locator('link[rel="manifest"]').getAttribute('href');
		expect(href).not.toBeNull();
		const response = await page.request.get(new URL(href!, page.url()).href);
		expect(response.status()).toBe(200);
		expect(response.headers()['content-type']).toMatch(/^application\/manifest\+json/);
		const manifest: unknown = JSON.parse(await response.text());
		expect(manifest).toEqual({
			name: 'Aftercare Companion',
			short_name: 'Aftercare',
			description: expect.stringMatching(/\S/),
			id: '/',
			start_url: '/',
			scope: '/',
			display: 'standalone',
			orientation: 'portrait',
			theme_color: '#0b5560',
			background_color: '#f2f6f7',
			lang: 'en',
			categories: ['health', 'medical'],
			icons: [
				{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
				{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
				{
					src: '/icons/maskable-512.png',
					sizes: '512x512',
					type: 'image/png',
					purpose: 'maskable'
				}
			]
		});
		// Chromium itself reads it without complaint…
		const cdp = await page.context().newCDPSession(page);
		const { errors } = await cdp.send('Page.getAppManifest');
		expect(errors).toEqual([]);
		// …and would install it: the test profile is incognito, which is the only objection allowed.
		const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
		expect(installabilityErrors.filter(({ errorId }) => errorId !== 'in-incognito')).toEqual([]);
	});

	test('every icon loads as a PNG of its declared size; maskable ones fill their square', async ({
		page
	}) => {
		await page.goto('/welcome');
		const manifest = (await (await page.request.get('/manifest.webmanifest')).json()) as {
			icons: Icon[];
		};
		for (const icon of manifest.icons) {
			const response = await page.request.get(icon.src);
			expect(response.status(), icon.src).toBe(200);
			expect(response.headers()['content-type'], icon.src).toBe('image/png');
			const { size, corner } = await drawn(page, icon.src);
			expect(size, icon.src).toBe(icon.sizes);
			// "any" icons have rounded, transparent corners; maskable ones are full bleed.
			expect(corner.alpha, icon.src).toBe(icon.purpose === 'maskable' ? 255 : 0);
		}
	});

	test('the Apple touch icon is a full-bleed 180×180 PNG', async ({ page }) => {
		await page.goto('/welcome');
		const href = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
		expect(href).not.toBeNull();
		const response = await page.request.get(new URL(href!, page.url()).href);
		expect(response.headers()['content-type']).toBe('image/png');
		const { size, corner } = await drawn(page, href!);
		expect(size).toBe('180x180');
		// iOS would fill transparent corners with black.
		expect(corner).toEqual({ red: 0x0b, green: 0x55, blue: 0x60, alpha: 255 });
		await expect(page.locator('meta[name="apple-mobile-web-app-title"]')).toHaveAttribute(
			'content',
			'Aftercare'
		);
	});
});

test.describe('the install offer on Chromium', () => {
	test.beforeEach(async ({ page }) => {
		await page.clock.install({ time: berlin('2026-11-24T09:00') });
		await onboard(page, { date: '2026-12-14' });
	});

	test('shows nothing until the browser offers installing', async ({ page }) => {
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expect(page.getByRole('region', { name: 'Add to your home screen' })).toHaveCount(0);
	});

	test('"Install" opens the browser’s dialog; once installed, the card goes', async ({ page }) => {
		expect(await offerInstall(page, 'accepted')).toBe(true);
		const card = page.getByRole('region', { name: 'Add to your home screen' });
		await expect(card).toContainText(
			'Put Aftercare Companion on your home screen — it opens like an app and works without a connection'
		);
		await expectNoAxeViolations(page);

		await card.getByRole('button', { name: 'Install' }).click();
		await expect(card).toHaveCount(0);
		expect(await prompts(page)).toBe(1);
		await expect(page.getByRole('status')).toContainText('being added to your home screen');
	});

	test('"Not now" is remembered, while Settings keeps offering it', async ({ page }) => {
		await offerInstall(page);
		const card = page.getByRole('region', { name: 'Add to your home screen' });
		await card.getByRole('button', { name: 'Not now' }).click();
		await expect(card).toHaveCount(0);
		expect(await prompts(page)).toBe(0);

		await openSettings(page, 'App');
		const section = page.getByRole('region', { name: 'Install the app' });
		await section.getByRole('button', { name: 'Install' }).click();
		expect(await prompts(page)).toBe(1);

		await page.reload();
		await expect(page.getByRole('heading', { name: 'App', level: 1 })).toBeVisible();
		await page.getByRole('link', { name: 'Today' }).click();
		expect(await offerInstall(page)).toBe(true);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expect(card).toHaveCount(0);
	});

	test('Settings says how to install when the browser offers nothing', async ({ page }) => {
		await openSettings(page, 'App');
		await expect(page.getByRole('region', { name: 'Install the app' })).toContainText(
			'If your browser’s menu offers “Install app”'
		);
	});
});

test.describe('on an iPhone', () => {
	test.use({ userAgent: iPhoneSafari });

	test('Safari users get the Share steps, and "Got it" is remembered', async ({ page }) => {
		await page.clock.install({ time: berlin('2026-11-24T09:00') });
		await onboard(page, { date: '2026-12-14' });
		const card = page.getByRole('region', { name: 'Add to your home screen' });
		await expect(card).toContainText(
			'Tap the Share button, then “Add to Home Screen”. On iPhone, reminders only work once the app is on your home screen.'
		);
		await expect(card.getByRole('button', { name: 'Install' })).toHaveCount(0);
		await expectNoAxeViolations(page);

		await card.getByRole('button', { name: 'Got it' }).click();
		await expect(card).toHaveCount(0);
		await page.reload();
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expect(card).toHaveCount(0);

		await openSettings(page, 'App');
		await expect(page.getByRole('region', { name: 'Install the app' })).toContainText(
			'Tap the Share button'
		);
		await expectNoAxeViolations(page);
	});
});
