// A clinic's enrolment link on the patient's phone (issue 16): a fresh phone opens it, sees who
// prepared what, answers the screening questions and reminder times, and has the plan; the server
// never sees the fragment. Bad links of every kind are explained and fall back to the form with what
// could be read. A patient with a plan adds it as the next session or replaces the plan. An iPhone
// in Safari shows a code that the installed app accepts.
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page, Request } from '@playwright/test';
import {
	defaultProtocolJson,
	protocolDir,
	startClinicServer,
	startServerWith
} from './clinic-server';
import { expect, test } from './fixtures';
import { berlin, expectNoAxeViolations, onboard } from './helpers';

const fragment =
	'v=1&p=microneedling-default&d=2027-04-08&t=10:30&z=Europe/Berlin&a=face,neck&k=standard&mm=1.5&n=1&of=3';
const iPhoneSafari =
	'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1';

/**
 * Screenshots for docs/ios-safari.md: in the test's output, or where the docs link them with
 * UPDATE_DOC_SHOTS=1 (a test run leaves the checkout as it found it).
 */
function docShot(page: Page, name: string) {
	const dir = process.env.UPDATE_DOC_SHOTS === '1' ? 'docs/images' : test.info().outputPath();
	mkdirSync(dir, { recursive: true });
	return page.screenshot({ path: `${dir}/${name}.png` });
}

/** Every request the context sends, as text: URL, headers and body. */
function recordRequests(context: BrowserContext): string[] {
	const seen: string[] = [];
	context.on('request', (request: Request) => {
		seen.push(
			[request.url(), JSON.stringify(request.headers()), request.postData() ?? ''].join('\n')
		);
	});
	return seen;
}

const stepHeading = (page: Page, step: number) =>
	page.getByRole('heading', { name: new RegExp(`^Step ${step} of 3`) });

async function answerAllNo(page: Page) {
	for (const fieldset of await page.locator('fieldset.question').all()) {
		await fieldset.getByLabel('No', { exact: true }).check();
	}
}

async function openTreatment(page: Page) {
	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Treatment' })
		.click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your treatment');
}

test.beforeEach(() => {
	test.setTimeout(120_000);
});

test('a fresh phone opens a clinic’s link: who prepared what, screening, reminders, the plan; the server never sees the fragment', async ({
	browser
}, testInfo) => {
	const clinic = await startClinicServer(browser, testInfo);
	try {
		const { page } = clinic;
		const requests = recordRequests(page.context());
		await page.clock.install({ time: berlin('2027-03-10T09:00') });
		await page.goto(`/enrol#${fragment}`);

		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'Your care plan is ready to set up'
		);
		await expect(page.locator('.lead')).toHaveText(
			'Riverside Skin Clinic has prepared your plan: microneedling on Thursday 8 April at 10:30.'
		);
		await expect(page.getByText('1st session of 3')).toBeVisible();
		await expect(page.getByText('Face, Neck')).toBeVisible();
		// Imported, the fragment leaves the address.
		await expect.poll(() => page.url()).not.toContain('#');
		expect(page.url()).toMatch(/\/enrol$/);
		await expectNoAxeViolations(page);
		await page.screenshot({ path: testInfo.outputPath('enrol-confirm.png'), fullPage: true });

		await page.getByRole('button', { name: 'Continue' }).click();
		await expect(stepHeading(page, 2)).toBeVisible();
		// Back shows the treatment as the clinic gave it.
		await page.getByRole('button', { name: 'Back' }).click();
		await expect(stepHeading(page, 1)).toBeVisible();
		await expect(page.getByLabel('Treatment date')).toHaveValue('2027-04-08');
		await expect(page.getByLabel('Appointment time')).toHaveValue('10:30');
		await page.getByRole('button', { name: 'Next' }).click();
		await expect(stepHeading(page, 2)).toBeVisible();
		await answerAllNo(page);
		await page.getByRole('button', { name: 'Next' }).click();
		await expect(stepHeading(page, 3)).toBeVisible();
		await page.getByRole('button', { name: 'Show my plan' }).click();
		await expect(page).toHaveURL(/\/$/);
		await expect(page.getByText('Thursday 8 April at 10:30').first()).toBeVisible();

		await openTreatment(page);
		await expect(page.getByText(/Thursday,? 8 April 2027, 10:30/)).toBeVisible();
		await expect(page.getByRole('heading', { name: '1st session of 3' })).toBeVisible();

		expect(requests.length).toBeGreaterThan(3);
		for (const sent of requests) {
			for (const secret of ['2027-04-08', '10:30', '10%3A30', 'microneedling-default', 'v=1&']) {
				expect(sent, `a request held "${secret}"`).not.toContain(secret);
			}
		}
	} finally {
		await clinic.close();
	}
});

test('a link in the patient’s language opens the app in it, unless the patient chose one', async ({
	page
}) => {
	await page.goto(`/enrol#${fragment}&lang=de`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Ihr Pflegeplan ist bereit zum Einrichten'
	);
	await expect(page.locator('html')).toHaveAttribute('lang', 'de');
	await expect(page.getByText('1. Sitzung von 3')).toBeVisible();
	await page.getByRole('button', { name: 'Weiter' }).click();
	// The plan's questions follow in it.
	await expect(page.locator('html')).toHaveAttribute('lang', 'de');

	// A patient who chose English on this phone keeps it.
	await page.evaluate(() => localStorage.setItem('aftercare.language', 'en'));
	await page.goto('/');
	await page.goto(`/enrol#${fragment}&lang=de`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Your care plan is ready to set up'
	);
});

const badLinks = [
	{
		name: 'a newer version',
		hash: '#v=2&d=2027-04-08&t=10:30',
		says: 'This link is from a newer version of the app. Reload the app and open it again.',
		date: '2027-04-08',
		time: '10:30'
	},
	{
		name: 'a truncated link',
		hash: '#v=1&p=microneedling-default&d=2027-04-0',
		says: 'The treatment date is missing or could not be read.',
		date: '',
		time: '10:00'
	},
	{
		name: 'garbage',
		hash: '#%E0%A4%A==&&zz',
		says: 'This link is not a clinic’s link to this app, or it was cut short.',
		date: '',
		time: '10:00'
	},
	{
		name: 'an unknown protocol',
		hash: '#v=1&p=laser-peel&d=2027-04-08&t=09:15',
		says: 'This link is for a treatment plan this app does not have (“laser-peel”).',
		date: '2027-04-08',
		time: '09:15'
	}
];

for (const bad of badLinks) {
	test(`${bad.name} is explained, and the form has what could be read`, async ({
		page,
		expectPageError,
		expectConsoleError
	}) => {
		if (bad.name === 'an unknown protocol') {
			expectConsoleError(
				/^Failed to load resource: the server responded with a status of 404 \(Not Found\) \(http:[^ ]+\/api\/protocol\?id=laser-peel\)$/,
				'the phone asks the server for the protocol the link names'
			);
		}
		if (bad.name === 'garbage') {
			// TODO(defect): SvelteKit's client, after rendering a page, looks for the element the
			// fragment names with decodeURIComponent, which throws on malformed percent-encoding
			// (client.js get_id). The page has rendered and explains the link; only that scroll fails.
			expectPageError(/^URIError: URI malformed/, 'SvelteKit decodes the malformed fragment');
		}
		await page.clock.install({ time: berlin('2027-03-10T09:00') });
		await page.goto(`/enrol${bad.hash}`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link could not be used');
		await expect(page.getByRole('listitem').filter({ hasText: bad.says })).toBeVisible();
		await expect.poll(() => page.url()).toMatch(/\/enrol$/);
		if (bad.name === 'an unknown protocol') {
			await expectNoAxeViolations(page);
			await page.screenshot({ path: test.info().outputPath('enrol-bad.png'), fullPage: true });
		}
		await page.getByRole('button', { name: 'Enter my treatment' }).click();
		await expect(page).toHaveURL(/\/welcome\/plan$/);
		await expect(stepHeading(page, 1)).toBeVisible();
		await expect(page.getByLabel('Treatment date')).toHaveValue(bad.date);
		await expect(page.getByLabel('Appointment time')).toHaveValue(bad.time);
		// No plan was made: the phone is still a new visitor's.
		expect(await page.evaluate(() => indexedDB.databases())).toBeDefined();
		await page.goto('/');
		await expect(page).toHaveURL(/\/welcome$/);
	});
}

test('an empty /enrol explains, takes a code, and leads to the form', async ({ page }) => {
	await page.clock.install({ time: berlin('2027-03-10T09:00') });
	await page.goto('/enrol');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Set up your plan from your clinic'
	);
	await expectNoAxeViolations(page);
	// A code with a typo is refused in words, the focus back on the field.
	await page.getByLabel('Your code').fill('4F7K 2M9Q X3B');
	await page.getByRole('button', { name: 'Use this code' }).click();
	await expect(page.getByText('This code has 11 characters')).toBeVisible();
	await expect(page.getByLabel('Your code')).toBeFocused();
	await expect(page.getByLabel('Your code')).toHaveAttribute('aria-invalid', 'true');
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Enter my treatment' }).click();
	await expect(page).toHaveURL(/\/welcome\/plan$/);
	await expect(page.getByLabel('Treatment date')).toHaveValue('');
});

test('a patient with a plan adds the link as the next session, or replaces the plan after a backup offer', async ({
	page
}) => {
	await page.clock.install({ time: berlin('2027-03-10T09:00') });
	await onboard(page, { date: '2027-03-20', time: '11:00' });

	await page.goto(
		'/enrol#v=1&p=microneedling-default&d=2027-04-17&t=09:30&z=Europe/Berlin&n=2&of=3'
	);
	await expect(
		page.getByRole('heading', { name: 'You already have a plan on this phone' })
	).toBeVisible();
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Add as my next session' }).click();
	await expect(page).toHaveURL(/\/treatment$/);
	await expect(page.getByRole('heading', { name: '2nd session of 3' })).toBeVisible();
	await expect(page.getByText(/Saturday,? 17 April 2027, 0?9:30/)).toBeVisible();
	await expect(page.getByRole('heading', { name: /^1st session/ })).toBeVisible();

	// A bad link for a patient: the plan is untouched, the Treatment screen a tap away.
	await page.goto('/enrol#v=2');
	await expect(page.getByText('Your plan on this phone has not been changed.')).toBeVisible();
	await page.getByRole('link', { name: 'Your treatment' }).click();
	await expect(page).toHaveURL(/\/treatment$/);

	await page.goto('/enrol#v=1&p=microneedling-default&d=2027-05-06&t=14:00&n=1');
	await page.getByRole('button', { name: 'Replace my plan' }).click();
	await expect(page.getByRole('heading', { name: 'Replace your plan?' })).toBeFocused();
	await expect(page.getByText('Your 2 treatments and the care plan made from them')).toBeVisible();
	await expectNoAxeViolations(page);
	await page.screenshot({ path: test.info().outputPath('enrol-replace.png'), fullPage: true });
	// Changing one's mind keeps everything.
	await page.getByRole('button', { name: 'Keep my plan' }).click();
	await expect(page.getByRole('button', { name: 'Replace my plan' })).toBeFocused();
	await page.getByRole('button', { name: 'Replace my plan' }).click();
	const download = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Save a backup' }).click();
	expect((await download).suggestedFilename()).toMatch(/^aftercare-backup-2027-03-10\.zip$/);
	await page.getByRole('button', { name: 'Yes, replace my plan' }).click();
	await expect(stepHeading(page, 2)).toBeVisible();
	// The answers given before are kept for the new plan.
	await expect(
		page.locator('fieldset.question').first().getByLabel('No', { exact: true })
	).toBeChecked();
	await page.getByRole('button', { name: 'Next' }).click();
	await page.getByRole('button', { name: 'Show my plan' }).click();
	await expect(page).toHaveURL(/\/$/);
	await openTreatment(page);
	await expect(page.getByText(/Thursday,? 6 May 2027, 14:00/)).toBeVisible();
	await expect(page.locator('section.card h2')).toHaveCount(1);
});

test('an iPhone in Safari shows a code; the Home Screen app takes it on its welcome screen and builds the same plan', async ({
	browser
}, testInfo) => {
	const options = {
		...testInfo.project.use,
		userAgent: iPhoneSafari,
		viewport: { width: 412, height: 915 },
		timezoneId: 'Europe/Berlin'
	};
	const safari = await browser.newContext(options);
	const inSafari = await safari.newPage();
	await inSafari.clock.install({ time: berlin('2027-03-10T09:00') });
	await inSafari.goto(`/enrol#${fragment}`);
	await expect(
		inSafari.getByRole('heading', { name: 'On an iPhone, add the app first' })
	).toBeVisible();
	const code = (await inSafari.locator('.code').textContent())?.trim() ?? '';
	expect(code).toMatch(/^[0-9A-Z]{4} [0-9A-Z]{4} [0-9A-Z]{4}$/);
	await expectNoAxeViolations(inSafari);
	await docShot(inSafari, 'enrol-iphone-safari-code');
	await safari.close();

	// The Home Screen app: storage of its own, started at the manifest's start_url (/).
	const app = await browser.newContext(options);
	const page = await app.newPage();
	await page.addInitScript(() =>
		Object.defineProperty(Navigator.prototype, 'standalone', { get: () => true })
	);
	await page.clock.install({ time: berlin('2027-03-10T09:00') });
	await page.goto('/');
	await expect(page).toHaveURL(/\/welcome$/);
	await page.getByRole('link', { name: 'Have a code from your clinic?' }).click();
	await expect(page).toHaveURL(/\/enrol$/);
	// Typed as a patient might: lower case, no spaces.
	await page.getByLabel('Your code').fill(code.replace(/ /g, '').toLowerCase());
	await docShot(page, 'enrol-iphone-app-code');
	await page.getByRole('button', { name: 'Use this code' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Your care plan is ready to set up'
	);
	await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
	await expect(page.locator('.lead')).toHaveText(
		'Your clinic has prepared your plan: microneedling on Thursday 8 April at 10:30.'
	);
	// Installed: no code to carry over again.
	await expect(page.getByRole('heading', { name: 'On an iPhone, add the app first' })).toHaveCount(
		0
	);
	await docShot(page, 'enrol-iphone-app-confirm');
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(stepHeading(page, 2)).toBeVisible();
	await answerAllNo(page);
	await page.getByRole('button', { name: 'Next' }).click();
	await page.getByRole('button', { name: 'Show my plan' }).click();
	await expect(page).toHaveURL(/\/$/);
	await openTreatment(page);
	await expect(page.getByText(/Thursday,? 8 April 2027, 10:30/)).toBeVisible();
	await expect(page.getByRole('heading', { name: '1st session of 3' })).toBeVisible();
	await app.close();
});

test('a link naming another of the server’s care plans sets the plan up on that one, and the phone keeps it', async ({
	browser
}, testInfo) => {
	const base = defaultProtocolJson();
	const clinic = { name: 'Riverside Skin Clinic', phone: '', website: '' };
	const standard = { ...base, id: 'riverside-standard', clinic };
	const rf = {
		...base,
		id: 'riverside-rf',
		clinic: { ...clinic, name: 'Riverside RF Suite' },
		disclaimer: 'The RF suite’s plan. Aftercare Companion is not a doctor.'
	};
	const { page, close } = await startServerWith(
		browser,
		testInfo,
		{ PROTOCOL_DIR: protocolDir([standard, rf]), DEFAULT_PROTOCOL: 'riverside-standard' },
		{ viewport: { width: 412, height: 915 } }
	);
	try {
		await page.clock.install({ time: berlin('2027-03-10T09:00') });
		await page.goto('/enrol#v=1&p=riverside-rf&d=2027-04-08&t=10:30&n=1');
		await expect(page.getByText('Riverside RF Suite has prepared your plan')).toBeVisible();
		await page.getByRole('button', { name: 'Continue' }).click();
		await expect(stepHeading(page, 2)).toBeVisible();
		await answerAllNo(page);
		await page.getByRole('button', { name: 'Next' }).click();
		await page.getByRole('button', { name: 'Show my plan' }).click();
		await expect(page).toHaveURL(/\/$/);
		// A later start asks for the RF plan by its id, not for the server's default.
		await page.reload();
		await expect(page.getByText('The RF suite’s plan.')).toBeVisible();
	} finally {
		await close();
	}
});
