// Comfort: the dark theme (the phone's setting, or the patient's own choice in Settings) keeps
// every main screen axe-clean, the choice survives a reload, and text at twice the phone's size
// never makes a screen scroll sideways at phone width. See docs/architecture.md, "Comfort".
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { berlin, expectNoAxeViolations, onboard } from './helpers';
import { openSettings } from './settings';

type Check = (screen: string) => Promise<void>;

/** Taps the navigation to a screen and waits for its heading. */
async function tapNav(page: Page, link: string, heading: RegExp): Promise<void> {
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
}

/**
 * A new visitor's screens, then onboarding (a patient on day 1 of recovery, with a screening
 * answer to raise), then every main screen of a patient as one reaches it by tapping, with
 * `check` on each.
 */
async function walkEveryScreen(page: Page, check: Check): Promise<void> {
	await page.clock.install({ time: berlin('2026-12-15T12:00') });
	await page.goto('/welcome');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await check('welcome');
	await page.getByRole('link', { name: 'Build my plan' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await check('welcome-plan');
	await onboard(page, { date: '2026-12-14', yesTo: ['acne'] });
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Day 1 of recovery');
	await check('today');

	await page.getByRole('link', { name: 'How is your skin today? Check in' }).click();
	await page.getByRole('group', { name: 'Redness', exact: true }).getByLabel('Moderate').check();
	await check('check-in');
	await page.getByRole('button', { name: 'Save check-in' }).click();
	await expect(page).toHaveURL(/\/diary\?entry=/);
	await check('diary');
	await page.getByRole('link', { name: 'Follow-up summary' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Follow-up summary');
	await check('summary');

	await tapNav(page, 'Timeline', /^Your whole plan$/);
	await check('timeline');
	await tapNav(page, 'Treatment', /^Your treatment$/);
	await check('treatment');
	await tapNav(page, 'Settings', /^Settings$/);
	await check('settings');
	for (const section of [
		'Reminders',
		'My treatment and answers',
		'Clinic',
		'Backup and data',
		'App'
	] as const) {
		await openSettings(page, section);
		await check(`settings ${section}`);
	}
}

/** The screen-colour choice in Settings. */
function themeChoice(page: Page, name: 'Follow the phone' | 'Light' | 'Dark') {
	return page.getByRole('group', { name: 'Screen colours' }).getByRole('radio', { name });
}

/** The colour scheme the page is drawn in, as app.css decided it. */
function scheme(page: Page): Promise<string> {
	return page.evaluate(() => getComputedStyle(document.documentElement).colorScheme);
}

/** The page's background colour, as rgb(). */
function background(page: Page): Promise<string> {
	return page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
}

const DARK_WASH = 'rgb(18, 22, 25)';
const LIGHT_WASH = 'rgb(242, 246, 247)';

test('a phone set to dark: every main screen is dark and axe-clean', async ({ page }) => {
	test.setTimeout(240_000);
	await page.emulateMedia({ colorScheme: 'dark' });
	await walkEveryScreen(page, async (screen) => {
		expect(await scheme(page), screen).toBe('dark');
		expect(await background(page), screen).toBe(DARK_WASH);
		await expectNoAxeViolations(page);
	});
});

test('Dark chosen in Settings on a light phone: every main screen is dark and axe-clean', async ({
	page
}) => {
	test.setTimeout(240_000);
	const check = async (screen: string) => {
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		expect(await scheme(page), screen).toBe('dark');
		await expectNoAxeViolations(page);
	};
	await page.emulateMedia({ colorScheme: 'light' });
	await page.clock.install({ time: berlin('2026-12-15T12:00') });
	await onboard(page, { date: '2026-12-14', yesTo: ['acne'] });
	await openSettings(page, 'App');
	await expect(themeChoice(page, 'Follow the phone')).toBeChecked();
	await themeChoice(page, 'Dark').check();
	await check('settings');

	await tapNav(page, 'Today', /of recovery/);
	await check('today');
	await page.getByRole('link', { name: 'How is your skin today? Check in' }).click();
	// A severe level brings the warning colours.
	await page.getByRole('group', { name: 'Redness', exact: true }).getByLabel('Severe').check();
	await check('check-in');
	await page.getByRole('button', { name: 'Save check-in' }).click();
	await expect(page).toHaveURL(/\/diary\?entry=/);
	await check('diary');
	await page.getByRole('link', { name: 'Follow-up summary' }).click();
	await check('summary');
	await tapNav(page, 'Timeline', /^Your whole plan$/);
	await check('timeline');
	await tapNav(page, 'Treatment', /^Your treatment$/);
	await check('treatment');
});

test('the screen-colour choice stays across a reload, from the first paint', async ({ page }) => {
	test.setTimeout(120_000);
	await page.emulateMedia({ colorScheme: 'dark' });
	await page.clock.install({ time: berlin('2026-11-24T09:00') });
	await onboard(page, { date: '2026-12-14' });
	await openSettings(page, 'App');

	await themeChoice(page, 'Light').check();
	expect(await scheme(page)).toBe('light');
	// Notes when the dark colours apply as the page's <body> arrives: static/theme.js in <head>
	// must have set that by then, long before the app's code has drawn anything.
	await page.addInitScript(() => {
		new MutationObserver((_, observer) => {
			if (document.body) {
				observer.disconnect();
				document.documentElement.dataset.darkAtBody = document.querySelector<HTMLLinkElement>(
					'link[data-scheme="dark"]'
				)?.media;
			}
		}).observe(document, { childList: true, subtree: true });
	});
	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('App');
	expect(await page.evaluate(() => document.documentElement.dataset.darkAtBody)).toBe('not all');
	expect(await background(page)).toBe(LIGHT_WASH);
	await expect(themeChoice(page, 'Light')).toBeChecked();
	// The browser bar follows the choice too.
	await expect(page.locator('meta[name="theme-color"][media="screen"]')).toHaveAttribute(
		'content',
		'#0b5560'
	);

	await themeChoice(page, 'Dark').check();
	await page.emulateMedia({ colorScheme: 'light' });
	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('App');
	expect(await background(page)).toBe(DARK_WASH);
	await expect(themeChoice(page, 'Dark')).toBeChecked();

	await themeChoice(page, 'Follow the phone').check();
	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('App');
	expect(await scheme(page)).toBe('light');
	await page.emulateMedia({ colorScheme: 'dark' });
	expect(await scheme(page)).toBe('dark');
	await expect(themeChoice(page, 'Follow the phone')).toBeChecked();
});

test('text at twice the phone’s size: no screen scrolls sideways at 412 px', async ({ page }) => {
	test.setTimeout(240_000);
	expect(page.viewportSize()?.width).toBe(412);
	// The phone's text size, as Chromium's own setting: rem and % sizes follow it.
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
	await walkEveryScreen(page, async (screen) => {
		expect(
			await page.evaluate(() => getComputedStyle(document.documentElement).fontSize),
			screen
		).toBe('32px');
		const { scrollWidth, clientWidth } = await page.evaluate(() => {
			const root = document.scrollingElement!;
			return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
		});
		expect(scrollWidth, `${screen} is no wider than the phone`).toBeLessThanOrEqual(clientWidth);
	});
});

test('less motion asked for: nothing animates or scrolls smoothly', async ({ page }) => {
	await page.emulateMedia({ reducedMotion: 'reduce' });
	await page.goto('/welcome');
	const link = page.getByRole('link', { name: 'Build my plan' });
	const motion = await link.evaluate((element) => {
		const style = getComputedStyle(element);
		return {
			transition: style.transitionDuration,
			animation: style.animationDuration,
			scroll: getComputedStyle(document.documentElement).scrollBehavior
		};
	});
	expect(motion).toEqual({ transition: '1e-05s', animation: '1e-05s', scroll: 'auto' });
	await link.click();
	await expect(page).toHaveURL(/\/welcome\/plan$/);
});
