// The clinic's identity everywhere (issue 16): its logo, colour and email from its configuration
// reach the installed app's manifest, the page's head, the patient's screens and the summary,
// offline too; a colour that fails contrast or a logo that is not one stops the server at start.
import type { Page } from '@playwright/test';
import { riverside, startClinicServer, type ClinicSetup } from './clinic-server';
import { expect, test } from './fixtures';
import { berlin, controlled, expectNoAxeViolations, onboard } from './helpers';

const phone = { width: 412, height: 915 };

/** A small logo as a clinic's designer might export it: a mark and a word. */
const logoSvg = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 40" width="160" height="40">
	<rect width="40" height="40" rx="10" fill="#6b2fa0"/>
	<path d="M10 28 20 10l10 18z" fill="#fff"/>
	<text x="48" y="27" font-family="sans-serif" font-size="18" fill="#3d1a5e">Riverside</text>
</svg>
`;

const branded: ClinicSetup = {
	...riverside,
	email: 'care@riverside-skin.example',
	accent: '#6b2fa0',
	logo: { fileName: 'riverside.svg', content: logoSvg }
};

/** The light or dark `--brand` as the page computes it. */
const brand = (page: Page) =>
	page.evaluate(() =>
		getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()
	);

/** Whether an image has loaded and has a size (a broken one has none). */
const drawn = (page: Page, selector: string) =>
	page.locator(selector).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);

test('a clinic’s logo, colour and email reach the manifest, the screens and the summary, offline too', async ({
	browser,
	expectConsoleError
}, testInfo) => {
	test.setTimeout(120_000);
	// The offline start asks the server for the protocol first, and Chromium logs the failure.
	expectConsoleError(
		/^Failed to load resource: net::ERR_INTERNET_DISCONNECTED \(http:[^ ]+\/api\/protocol(\?id=[\w-]+)?\)$/,
		'the app starts offline'
	);
	const { page, close } = await startClinicServer(browser, testInfo, branded, {
		viewport: phone
	});
	try {
		// The installed app is called after the clinic and takes its colour.
		const manifestResponse = await page.request.get('/manifest.webmanifest');
		expect(manifestResponse.headers()['content-type']).toBe('application/manifest+json');
		const manifest = (await manifestResponse.json()) as Record<string, unknown>;
		expect(manifest).toMatchObject({
			name: 'Riverside Skin Clinic Aftercare',
			short_name: 'Aftercare',
			theme_color: '#6b2fa0',
			start_url: '/'
		});

		// The logo: its type, no sniffing, an SVG sandboxed, a validator for the phone's cache.
		const logo = await page.request.get('/api/clinic/logo');
		expect(logo.status()).toBe(200);
		const headers = logo.headers();
		expect(headers['content-type']).toBe('image/svg+xml');
		expect(headers['x-content-type-options']).toBe('nosniff');
		expect(headers['content-security-policy']).toMatch(/\bsandbox\b/);
		expect(headers['content-security-policy']).toMatch(/default-src 'none'/);
		expect(headers['cache-control']).toMatch(/max-age=\d+/);
		expect(await logo.text()).toBe(logoSvg);
		const again = await page.request.get('/api/clinic/logo', {
			headers: { 'if-none-match': headers.etag! }
		});
		expect(again.status()).toBe(304);

		// The welcome screen: the logo named after the clinic, the page in the clinic's colour.
		await page.clock.install({ time: berlin('2026-12-15T12:00') });
		await page.goto('/welcome');
		const welcomeLogo = page.getByRole('img', { name: 'Riverside Skin Clinic' });
		await expect(welcomeLogo).toBeVisible();
		expect(await drawn(page, 'img.clinic-logo')).toBe(true);
		expect(await brand(page)).toBe('#6b2fa0');
		await expect(page.locator('meta[name="theme-color"][data-scheme="light"]')).toHaveAttribute(
			'content',
			'#6b2fa0'
		);
		await expect(page.locator('meta[name="apple-mobile-web-app-title"]')).toHaveAttribute(
			'content',
			'Aftercare'
		);
		await expectNoAxeViolations(page);
		await page.screenshot({ path: testInfo.outputPath('welcome-riverside.png') });

		// Today: the clinic heads the screen; its email is with its other details.
		await onboard(page, { date: '2026-12-14' });
		const header = page.getByRole('banner');
		await expect(header).toContainText('Riverside Skin Clinic');
		expect(await drawn(page, 'header.clinic img')).toBe(true);
		await expect(page.getByRole('link', { name: 'Call Riverside Skin Clinic' })).toBeVisible();
		await expectNoAxeViolations(page);
		await page.screenshot({ path: testInfo.outputPath('today-riverside.png') });

		// Dark: the dark theme keeps its own brand colour, which reads on dark backgrounds.
		await page.emulateMedia({ colorScheme: 'dark' });
		expect(await brand(page)).toBe('#6cc5cf');
		await expectNoAxeViolations(page);
		await page.screenshot({ path: testInfo.outputPath('today-riverside-dark.png') });
		// A patient's own choice wins over the phone's, for the clinic's colour as for the rest.
		await page.evaluate(() => localStorage.setItem('aftercare.theme', 'light'));
		await page.reload();
		expect(await brand(page)).toBe('#6b2fa0');
		await page.emulateMedia({ colorScheme: 'light' });
		await page.evaluate(() => localStorage.setItem('aftercare.theme', 'dark'));
		await page.reload();
		expect(await brand(page)).toBe('#6cc5cf');
		await page.evaluate(() => localStorage.removeItem('aftercare.theme'));
		await page.reload();
		expect(await brand(page)).toBe('#6b2fa0');

		const signs = page.getByRole('region', { name: 'When to contact your provider' });
		await expect(signs.getByRole('link', { name: 'care@riverside-skin.example' })).toHaveAttribute(
			'href',
			'mailto:care@riverside-skin.example'
		);

		// The summary: the clinic's logo, name, phone and email, for the follow-up visit.
		await page.goto('/summary');
		const patient = page.getByRole('region', { name: 'Patient and clinic' });
		await expect(patient).toContainText('Riverside Skin Clinic');
		await expect(patient).toContainText('care@riverside-skin.example');
		expect(await drawn(page, '.clinic-logo')).toBe(true);
		await expectNoAxeViolations(page);
		await page.screenshot({ path: testInfo.outputPath('summary-riverside.png'), fullPage: true });

		// Offline, the service worker has the logo, the colour and the manifest.
		await controlled(page);
		await page.context().setOffline(true);
		await page.goto('/');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Day 1 of recovery');
		await expect(page.getByRole('status').filter({ hasText: 'You are offline' })).toBeVisible();
		await expect(page.getByRole('banner')).toContainText('Riverside Skin Clinic');
		await expect.poll(() => drawn(page, 'header.clinic img')).toBe(true);
		expect(await brand(page)).toBe('#6b2fa0');
		const offlineManifest = await page.evaluate(async () =>
			(await fetch('/manifest.webmanifest')).json()
		);
		expect(offlineManifest).toMatchObject({ name: 'Riverside Skin Clinic Aftercare' });
		await page.context().setOffline(false);
	} finally {
		await close();
	}
});

test('without a logo or colour the app keeps its own name and colours', async ({ page }) => {
	const manifest = (await (await page.request.get('/manifest.webmanifest')).json()) as Record<
		string,
		unknown
	>;
	expect(manifest).toMatchObject({
		name: 'Aftercare Companion',
		short_name: 'Aftercare',
		theme_color: '#0b5560'
	});
	expect((await page.request.get('/api/clinic/logo')).status()).toBe(404);
	await page.goto('/welcome');
	await expect(page.locator('link[href="/clinic.css"]')).toHaveCount(0);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(page.locator('img.clinic-logo')).toBeHidden();
	await expect(page.getByRole('img')).toHaveCount(0);
	expect(await brand(page)).toBe('#0b5560');
	await expect(page.locator('meta[name="theme-color"][data-scheme="light"]')).toHaveAttribute(
		'content',
		'#0b5560'
	);
});

test('a colour that fails contrast stops the server at start, with its ratio', async ({
	browser
}, testInfo) => {
	await expect(
		startClinicServer(browser, testInfo, { ...riverside, accent: '#7fd1ff' })
	).rejects.toThrow(
		/Aftercare Companion cannot start[\s\S]*clinic\.accent: #7fd1ff has 1\.5:1 against the page background \(#f2f6f7\)[^\n]*it needs 4\.5:1/
	);
});

test('a logo that is too large, or not an image, stops the server at start, naming it', async ({
	browser
}, testInfo) => {
	await expect(
		startClinicServer(browser, testInfo, {
			...riverside,
			logo: { fileName: 'huge.png', content: new Uint8Array(150 * 1024) }
		})
	).rejects.toThrow(/clinic\.logo: \S*huge\.png is 150 KB; a logo may be at most 100 KB/);
	await expect(
		startClinicServer(browser, testInfo, {
			...riverside,
			logo: { fileName: 'logo.png', content: '<script>alert(1)</script>' }
		})
	).rejects.toThrow(/clinic\.logo: \S*logo\.png is neither a PNG \(no PNG signature\) nor an SVG/);
});

test('from the desk to the phone: staff make a link, a fresh phone opens it and sees the clinic’s logo; the server never sees the treatment', async ({
	browser
}, testInfo) => {
	test.setTimeout(180_000);
	const { page: desk, close } = await startClinicServer(browser, testInfo, branded);
	try {
		await desk.goto('/clinic');
		await desk.getByLabel('Treatment date').fill('2027-04-08');
		await desk.getByLabel('Appointment time').fill('10:30');
		await desk.getByLabel('Time zone of the clinic').selectOption('Europe/Berlin');
		await desk.getByRole('checkbox', { name: 'Face' }).click();
		await desk.getByRole('button', { name: 'Make the link' }).click();
		const link = (await desk.locator('#enrolment-link').textContent())?.trim() ?? '';
		expect(link).toMatch(/\/enrol#v=1&/);
		await expect(desk.locator('.handout .clinic-logo, .handout img').first()).toBeVisible();

		// A fresh phone: nothing stored, the link as the camera opens it.
		const phoneContext = await browser.newContext({
			...testInfo.project.use,
			viewport: phone,
			baseURL: new URL(desk.url()).origin
		});
		const sent: string[] = [];
		phoneContext.on('request', (request) =>
			sent.push([request.url(), JSON.stringify(request.headers()), request.postData()].join(' '))
		);
		const patient = await phoneContext.newPage();
		await patient.clock.install({ time: berlin('2027-03-10T09:00') });
		await patient.goto(link);
		await expect(
			patient.getByText('Riverside Skin Clinic has prepared your plan', { exact: false })
		).toBeVisible();
		await expect(patient.getByRole('img', { name: 'Riverside Skin Clinic' })).toBeVisible();
		expect(await drawn(patient, 'img.clinic-logo')).toBe(true);
		await patient.getByRole('button', { name: 'Continue' }).click();
		for (const fieldset of await patient.locator('fieldset.question').all()) {
			await fieldset.getByLabel('No', { exact: true }).check();
		}
		await patient.getByRole('button', { name: 'Next' }).click();
		await patient.getByRole('button', { name: 'Show my plan' }).click();
		await expect(patient.getByRole('heading', { level: 1 })).toHaveText(
			'29 days until your treatment'
		);
		// The fragment travelled to the phone only.
		expect(sent.length).toBeGreaterThan(5);
		expect(sent.filter((line) => /2027-04-08|t=10:30|v=1&/.test(line))).toEqual([]);
		await phoneContext.close();
	} finally {
		await close();
	}
});
