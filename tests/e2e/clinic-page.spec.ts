// The clinic's page (/clinic, issue 16): staff enter a treatment by tapping and typing and get the
// patient's enrolment link, its QR code, copy / share / e-mail, and a printable handout (A5, A4).
// The QR is decoded from a screenshot of the page, so the test reads what a phone's camera would.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Locator, Page, TestInfo } from '@playwright/test';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { enrolmentLink, type Enrolment } from '../../src/lib/domain/enrolment';
import { protocolDir, riverside, startClinicServer, startServerWith } from './clinic-server';
import { expect, test } from './fixtures';
import { expectNoAxeViolations } from './helpers';

const protocol = JSON.parse(readFileSync('src/lib/domain/protocols/microneedling.json', 'utf8'));

/** What the staff enter below, as the link must carry it. */
const entered: Enrolment = {
	protocol: protocol.id,
	date: '2027-04-08',
	time: '10:30',
	timeZone: 'Europe/Lisbon',
	areas: ['face', 'neck'],
	type: 'rf',
	needleDepthMm: 1.5,
	seriesNumber: 2,
	seriesTotal: 3
};

/** Reads the QR code in a screenshot of `element`, or null when none can be read. */
async function decodeQr(element: Locator): Promise<string | null> {
	const png = PNG.sync.read(await element.screenshot());
	return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

/** Stands in for the share sheet and the print dialog, which headless Chromium has not. */
async function standInForDialogs(page: Page): Promise<void> {
	await page.addInitScript(() => {
		const record = window as unknown as { shared: ShareData[]; printed: number };
		record.shared = [];
		record.printed = 0;
		navigator.share = async (data?: ShareData) => void record.shared.push(data ?? {});
		window.print = () => void (record.printed += 1);
	});
}

/** Fills the form as staff do: taps for choices, typing for dates and numbers. */
async function fillForm(page: Page): Promise<void> {
	await page.getByLabel('Treatment date').fill(entered.date);
	await page.getByLabel('Appointment time').fill(entered.time);
	await page.getByLabel('Time zone of the clinic').selectOption('Europe/Lisbon');
	await page.getByRole('checkbox', { name: 'Face' }).click();
	await page.getByRole('checkbox', { name: 'Neck' }).click();
	await page.getByRole('radio', { name: /radiofrequency/ }).click();
	await page.getByLabel('Needle depth in mm (if known)').fill('1,5');
	await page.getByLabel('Session number').fill('2');
	await page.getByLabel('Sessions planned').fill('3');
}

/** Counts the pages of a PDF, and returns the first page's size in points. */
function pdfPages(pdf: Buffer): { count: number; mediaBox: number[] } {
	const text = pdf.toString('latin1');
	const count = text.match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
	const box = /\/MediaBox\s*\[\s*([\d.\s]+)\]/.exec(text)?.[1] ?? '';
	return { count, mediaBox: box.trim().split(/\s+/).map(Number) };
}

for (const [width, height] of [
	[412, 915],
	[1280, 900]
] as const) {
	test.describe(`at ${width}×${height}`, () => {
		test('staff make the link, its QR code, copy, share, e-mail it and print the handout', async ({
			browser
		}, testInfo) => {
			// A clinic's own server, so that its name is on the handout and in the e-mail.
			const clinic = await startClinicServer(browser, testInfo, riverside, {
				viewport: { width, height },
				// The desktop at the reception desk: a mouse, no touch.
				...(width > 1000 ? { isMobile: false, hasTouch: false, deviceScaleFactor: 1 } : {})
			});
			try {
				await makeAndHandOver(clinic.page, width, testInfo);
			} finally {
				await clinic.close();
			}
		});
	});
}

async function makeAndHandOver(page: Page, width: number, testInfo: TestInfo): Promise<void> {
	await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
	await standInForDialogs(page);
	await page.goto('/clinic');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hand a plan to a patient');
	await expect(page.getByText(`Care plan: ${protocol.title}`)).toBeVisible();
	// The browser's own zone is the default (the project runs in Berlin).
	await expect(page.getByLabel('Time zone of the clinic')).toHaveValue('Europe/Berlin');
	await expectNoAxeViolations(page);

	await fillForm(page);
	await page.getByRole('button', { name: 'Make the link' }).click();

	// In the page's language unless staff choose another for the patient.
	const expected = enrolmentLink(new URL(page.url()).origin, entered, 'en');
	const result = page.getByRole('region', { name: 'The patient’s link' });
	await expect(page.getByRole('heading', { name: 'The patient’s link' })).toBeFocused();
	await expect(result.locator('#enrolment-link')).toHaveText(expected);

	const qr = page.getByRole('img', { name: 'QR code that sets up your aftercare plan' });
	await expect(qr).toBeVisible();
	expect(await decodeQr(qr)).toBe(expected);

	const handout = page.getByRole('article', { name: 'Your aftercare plan' });
	await expect(handout).toContainText(riverside.name);
	await expect(handout).toContainText(
		/Microneedling RF \(radiofrequency\) on Thursday,? 8 April 2027 at 10:30/
	);
	await expect(handout).toContainText('2nd session of 3');
	await expect(handout).toContainText('“Add to Home Screen”');
	await expect(handout).toContainText('“Install app”');
	await expect(handout).toContainText('iOS 16.4 or later');
	await page.screenshot({
		path: testInfo.outputPath(`clinic-${width}.png`),
		fullPage: true
	});
	await expectNoAxeViolations(page);

	await result.getByRole('button', { name: 'Copy link' }).click();
	await expect(result.getByRole('status')).toHaveText('Copied.');
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);

	await result.getByRole('button', { name: 'Share…' }).click();
	await expect
		.poll(() => page.evaluate(() => (window as unknown as { shared: ShareData[] }).shared))
		.toEqual([expect.objectContaining({ url: expected })]);

	const email = result.getByRole('link', { name: 'Send by email' });
	const mailto = new URL((await email.getAttribute('href'))!);
	expect(mailto.protocol).toBe('mailto:');
	expect(mailto.searchParams.get('subject')).toBe(`Your aftercare plan from ${riverside.name}`);
	expect(mailto.searchParams.get('body')).toContain(`\n${expected}\n`);
	// A mail app opens; the page stays where it is.
	await email.click();
	await expect(page).toHaveURL(/\/clinic$/);

	// A5 is the default; A4 and back, each printed to PDF at its own page size.
	for (const size of ['A4', 'A5'] as const) {
		await result.getByRole('radio', { name: size }).click();
		await result.getByRole('button', { name: 'Print handout' }).click();
		await page.emulateMedia({ media: 'print' });
		await page.screenshot({
			path: testInfo.outputPath(`handout-${size}-${width}.png`),
			fullPage: true
		});
		// Printed, only the handout is there: no form, link tools or navigation.
		await expect(page.getByRole('button', { name: 'Make the link' })).toBeHidden();
		await expect(page.getByRole('button', { name: 'Copy link' })).toBeHidden();
		await expect(handout).toBeVisible();
		const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
		writeFileSync(testInfo.outputPath(`handout-${size}-${width}.pdf`), pdf);
		const { count, mediaBox } = pdfPages(pdf);
		expect(count, `the ${size} handout fits one sheet`).toBe(1);
		// The page's own @page size (points): A5 148 × 210 mm, A4 210 × 297 mm.
		expect(mediaBox.slice(2).map(Math.round)).toEqual(size === 'A5' ? [420, 595] : [595, 842]);
		// As asked in the brief: the page printed at a format given by the printer settings.
		writeFileSync(
			testInfo.outputPath(`handout-${size}-${width}-format.pdf`),
			await page.pdf({ format: size })
		);
		// The code printed on paper still reads.
		expect(await decodeQr(qr)).toBe(expected);
		await page.emulateMedia({ media: 'screen' });
	}
	expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(2);

	// A change to the form takes the old link away until it is made again.
	await page.getByLabel('Session number').fill('1');
	await expect(page.locator('#enrolment-link')).toHaveCount(0);
	await expect(page.getByText('The form has changed')).toBeVisible();
}

test('invalid details show their errors, and no link or QR code', async ({ page }) => {
	await page.goto('/clinic');
	// Every area and kind can be chosen and changed again.
	for (const area of ['Back', 'Legs', 'Another area']) {
		await page.getByRole('checkbox', { name: area }).click();
		await page.getByRole('checkbox', { name: area }).click();
	}
	await page.getByRole('radio', { name: /radiofrequency/ }).click();
	await page.getByRole('radio', { name: 'Microneedling', exact: true }).click();
	await page.getByRole('checkbox', { name: 'Face' }).click();
	await page.getByLabel('Needle depth in mm (if known)').fill('9');
	await page.getByLabel('Session number').fill('4');
	await page.getByLabel('Sessions planned').fill('3');
	await page.getByRole('button', { name: 'Make the link' }).click();

	const summary = page.getByRole('region', { name: 'Please check these:' });
	await expect(summary).toBeFocused();
	const errors: [string | RegExp, string][] = [
		['Enter the date of your treatment.', 'Treatment date'],
		['Enter the time of your appointment, for example 10:00.', 'Appointment time'],
		[/^Needle depth is between 0.5 and 2 mm/, 'Needle depth in mm (if known)'],
		['Session 4 cannot be part of a series of 3.', 'Sessions planned']
	];
	await expect(summary.getByRole('link')).toHaveText(errors.map(([message]) => message));
	await expect(page.locator('#enrolment-link')).toHaveCount(0);
	await expect(page.getByRole('img', { name: /QR code/ })).toHaveCount(0);
	await expectNoAxeViolations(page);

	// Each summary link puts staff on the field to fix.
	for (const [message, field] of errors) {
		await summary.getByRole('link', { name: message }).click();
		await expect(page.getByLabel(field)).toBeFocused();
	}
	// Still nothing to hand over while the details are wrong.
	await page.getByRole('button', { name: 'Make the link' }).click();
	await expect(page.locator('#enrolment-link')).toHaveCount(0);
});

test('with CLINIC_PAGE=off the page answers 404 with the app’s error page', async ({
	browser,
	expectConsoleError
}, testInfo) => {
	expectConsoleError(
		/^Failed to load resource: the server responded with a status of 404 \(Not Found\) \(http:[^ ]+\/clinic\)$/,
		'the page is turned off'
	);
	expectConsoleError(
		/^Failed to load resource: the server responded with a status of 404 \(Not Found\) \(http:[^ ]+\/api\/clinic\)$/,
		'the page asks the server whether it is on'
	);
	const { page, origin, close } = await startServerWith(browser, testInfo, { CLINIC_PAGE: 'off' });
	try {
		expect((await fetch(`${origin}/clinic`)).status).toBe(404);
		// The app's other pages are served as before.
		expect((await fetch(`${origin}/welcome`)).status).toBe(200);
		await page.goto('/clinic');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
		await expect(page.getByRole('alert')).toHaveText('Not Found');
		await expect(page.getByLabel('Treatment date')).toHaveCount(0);
		await expect(page).toHaveTitle('Problem · Aftercare Companion');
		// Its way out, as on every error page: a new visitor lands on the welcome screen.
		await page.getByRole('link', { name: 'Back to Today' }).click();
		await expect(page).toHaveURL(/\/welcome$/);
	} finally {
		await close();
	}
});

test('with ORIGIN set, links open the public address, not the one staff reach the server by', async ({
	browser
}, testInfo) => {
	const { page, close } = await startServerWith(browser, testInfo, {
		ORIGIN: 'https://care.example-clinic.org'
	});
	try {
		await page.goto('/clinic');
		await page.getByLabel('Treatment date').fill('2027-04-08');
		await page.getByLabel('Appointment time').fill('09:00');
		await page.getByRole('checkbox', { name: 'Face' }).click();
		await page.getByRole('button', { name: 'Make the link' }).click();
		await expect(page.locator('#enrolment-link')).toHaveText(
			'https://care.example-clinic.org/enrol#v=1&p=microneedling-default&d=2027-04-08&t=09:00&z=Europe/Berlin&a=face&k=standard&n=1&lang=en'
		);

		// A patient who reads German: the link opens the app in German, the handout is in German,
		// and the page itself stays in the staff's language.
		await page.getByLabel('The patient’s language').selectOption('de');
		await expect(page.getByText('The form has changed')).toBeVisible();
		await page.getByRole('button', { name: 'Make the link' }).click();
		await expect(page.locator('#enrolment-link')).toHaveText(/&lang=de$/);
		const handout = page.getByRole('article', { name: 'Ihr Pflegeplan für die Nachsorge' });
		await expect(handout).toHaveAttribute('lang', 'de');
		await expect(handout).toContainText('Microneedling am Donnerstag, 8. April 2027 um 9:00');
		await expect(handout).toContainText('„Zum Home-Bildschirm“');
		await expect(
			page.getByRole('img', { name: 'QR-Code, der Ihren Pflegeplan einrichtet' })
		).toBeVisible();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hand a plan to a patient');
	} finally {
		await close();
	}
});

test('a server with several care plans: staff choose one, and the link names it', async ({
	browser
}, testInfo) => {
	const standard = { ...protocol, id: 'riverside-standard', title: 'Microneedling at Riverside' };
	const rf = {
		...protocol,
		id: 'riverside-rf',
		title: 'RF microneedling at Riverside',
		// The RF protocol treats the scalp too: the form follows the chosen plan.
		treatmentOptions: {
			...protocol.treatmentOptions,
			areas: [...protocol.treatmentOptions.areas, { id: 'scalp', label: 'Scalp' }]
		}
	};
	const { page, close } = await startServerWith(browser, testInfo, {
		PROTOCOL_DIR: protocolDir([standard, rf]),
		DEFAULT_PROTOCOL: 'riverside-standard'
	});
	try {
		await page.goto('/clinic');
		const plan = page.getByLabel('Care plan', { exact: true });
		await expect(plan).toHaveValue('riverside-standard');
		await expect(page.getByRole('checkbox', { name: 'Scalp' })).toHaveCount(0);
		await plan.selectOption({ label: 'RF microneedling at Riverside' });
		await page.getByRole('checkbox', { name: 'Scalp' }).click();
		await page.getByLabel('Treatment date').fill('2027-04-08');
		await page.getByLabel('Appointment time').fill('09:00');
		await page.getByRole('button', { name: 'Make the link' }).click();
		await expect(page.locator('#enrolment-link')).toContainText('#v=1&p=riverside-rf&d=2027-04-08');
		await expect(page.locator('#enrolment-link')).toContainText('&a=scalp&');
		await expectNoAxeViolations(page);
		// Another plan chosen: the link made for the first is withdrawn.
		await plan.selectOption('riverside-standard');
		await expect(page.locator('#enrolment-link')).toHaveCount(0);
	} finally {
		await close();
	}
});
