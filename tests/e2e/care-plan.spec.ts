import { expect, test } from './fixtures';
import { berlin, expectNoAxeViolations, onboard, startWithoutServer } from './helpers';

test.describe('a new patient, 20 days before treatment', () => {
	test.beforeEach(async ({ page }) => {
		await page.clock.install({ time: berlin('2026-11-24T09:00') });
	});

	test('onboards and sees the vitamin A/C cream today, and it all survives a reload', async ({
		page
	}) => {
		// The cream is planned for a patient whose provider asked for it.
		await onboard(page, { date: '2026-12-14', yesTo: ['vitamin A or C cream'] });

		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'20 days until your treatment'
		);
		const later = page.getByRole('region', { name: 'Later today' });
		const cream = later.getByRole('checkbox', { name: 'Vitamin A or C cream' });
		await expect(cream).not.toBeChecked();
		await expect(later.getByText('20:00')).toBeVisible();

		await cream.check();
		await expect(page.getByText('All done for today')).toBeVisible();

		await page.reload();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'20 days until your treatment'
		);
		await expect(page.getByRole('checkbox', { name: 'Vitamin A or C cream' })).toBeChecked();
	});

	test('the day after treatment: makeup allowed again, ice pack and sun care', async ({ page }) => {
		await onboard(page, { date: '2026-12-14' });

		await page.clock.setSystemTime(berlin('2026-12-15T12:00'));
		await page.reload();

		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Day 1 of recovery');
		await expect(
			page.getByText('Redness and swelling can last up to five days. This is expected.')
		).toBeVisible();
		const expectToday = page.getByRole('region', { name: 'What to expect today' });
		await expect(
			expectToday.getByRole('heading', { name: 'Makeup is allowed again' })
		).toBeVisible();
		const now = page.getByRole('region', { name: 'To do now' });
		await expect(
			now.getByRole('checkbox', { name: 'Ice pack for irritation and discomfort' })
		).toBeVisible();
		// Staying out of the sun is advice for the whole day, not a step at a time.
		const allDay = page.getByRole('region', { name: 'All day today' });
		await expect(allDay.getByRole('checkbox', { name: 'Stay out of the sun' })).toBeVisible();
		await expect(
			page.getByRole('region', { name: 'Later today' }).getByRole('checkbox', { name: 'Ice pack' })
		).toBeVisible();
		await expect(page.getByRole('region', { name: 'When to contact your provider' })).toContainText(
			'Signs of a skin infection'
		);

		// Ticks survive a reload too.
		await allDay.getByRole('checkbox', { name: 'Stay out of the sun' }).check();
		await page.reload();
		await expect(
			page
				.getByRole('region', { name: 'All day today' })
				.getByRole('checkbox', { name: 'Stay out of the sun' })
		).toBeChecked();
	});

	test('where the guide gives no number, the app says the clinic chose it', async ({ page }) => {
		await onboard(page, { date: '2026-12-14' });
		await page.clock.setSystemTime(berlin('2026-12-15T12:00'));
		await page.reload();
		const sun = page.locator('article', {
			has: page.getByRole('checkbox', { name: 'Stay out of the sun' })
		});
		// Its words and their source are one tap away, under Details.
		await sun.getByText('Details').click();
		await expect(sun).toContainText('Stay out of the sun until your skin heals.');
		await expect(sun.getByRole('blockquote')).toContainText(
			'stay out of the sun until your skin heals'
		);
		await expect(sun).toContainText('Set by your clinic, not the guide');
	});

	test('a "yes" to a screening question advises talking to the provider, without blocking', async ({
		page
	}) => {
		await onboard(page, { date: '2026-12-14', yesTo: ['eczema'] });
		const advice = page.getByRole('region', { name: 'Talk to your provider before treatment' });
		await expect(advice).toContainText('eczema or psoriasis');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'20 days until your treatment'
		);
	});

	test('moving the treatment date moves the plan', async ({ page }) => {
		await onboard(page, { date: '2026-12-14' });
		await page.getByRole('link', { name: 'Treatment' }).click();
		await page.getByRole('button', { name: 'Edit the 1st session' }).click();
		await page.getByLabel('Treatment date').fill('2026-12-21');
		await page.getByRole('button', { name: 'Save changes' }).click();
		await expect(page.getByRole('status')).toContainText('Your plan has been updated');
		await page.getByRole('link', { name: 'Today' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'27 days until your treatment'
		);
	});

	test('keeps working with the clinic protocol kept on the phone when the server cannot send it', async ({
		page,
		expectConsoleError
	}) => {
		expectConsoleError(
			/^Failed to load resource: net::ERR_INTERNET_DISCONNECTED \(http:[^ ]+\/api\/protocol(\?id=[a-z0-9-]+)?\)$/,
			'the test cuts the protocol request; Chromium logs every failed request'
		);
		await onboard(page, { date: '2026-12-14', yesTo: ['vitamin A or C cream'] });
		await page.route(/\/api\/protocol(\?|$)/, (route) => route.abort('internetdisconnected'));
		await page.reload();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'20 days until your treatment'
		);
		await expect(page.getByRole('checkbox', { name: 'Vitamin A or C cream' })).toBeVisible();
	});

	test('the timeline lists every phase, day by day', async ({ page }) => {
		await onboard(page, { date: '2026-12-14', yesTo: ['vitamin A or C cream'] });
		await page.getByRole('link', { name: 'Timeline' }).click();
		for (const phase of [
			'Preparing your skin',
			'Treatment day',
			'Recovery',
			'Healing',
			'Your next session'
		]) {
			await expect(page.getByText(phase, { exact: true })).toBeVisible();
		}
		await expect(page.locator('li.today')).toContainText('Tue 24 Nov · 20 days before');
		await expect(page.locator('li.today')).toContainText('Vitamin A or C cream');
		// A day opens to its task cards, which can be ticked off there too.
		await page.locator('li.today summary').click();
		const cream = page.locator('li.today').getByRole('checkbox', { name: 'Vitamin A or C cream' });
		await cream.check();
		await expect(page.locator('li.today')).toContainText('✓');
	});

	test('adds the next session of a series', async ({ page }) => {
		await onboard(page, { date: '2026-12-14' });
		await page.getByRole('link', { name: 'Treatment' }).click();
		await page.getByRole('button', { name: 'Add the next session' }).click();
		await expect(page.getByLabel('Treatment date')).toHaveValue('2027-01-11');
		await page.getByRole('button', { name: 'Add session' }).click();
		await expect(page.getByRole('heading', { name: '2nd session' })).toBeVisible();
		await page.getByRole('link', { name: 'Timeline' }).click();
		await expect(page.getByRole('heading', { name: '2nd session · Mon 11 Jan' })).toBeVisible();
	});

	test('a wrong entry is explained and focus moves to the explanation', async ({ page }) => {
		await page.goto('/welcome/plan');
		await page.getByRole('button', { name: 'Next' }).click();
		const summary = page.getByRole('region', { name: /^Please check/ });
		await expect(summary).toBeFocused();
		await expect(summary).toContainText('Enter the date of your treatment.');
		await summary.getByRole('link', { name: 'Enter the date of your treatment.' }).click();
		await expect(page.getByLabel('Treatment date')).toBeFocused();
	});
});

test('on a first start without the server, the patient is told to connect once', async ({
	page,
	expectConsoleError,
	expectPageError
}) => {
	await startWithoutServer(page, { expectConsoleError, expectPageError });
	// The root layout cannot load, so SvelteKit's own error page shows the message.
	await expect(page.getByText('needs to connect once')).toBeVisible();
});

test('a new visitor who opens any other page is sent to the welcome screen', async ({ page }) => {
	// Without errors: the fixture fails the test on any.
	for (const path of ['/timeline', '/diary/check-in', '/settings', '/summary']) {
		await page.goto(path);
		await expect(page).toHaveURL(/\/welcome$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'Your microneedling care plan'
		);
	}
});

test('a patient who opens a welcome screen is sent to Today', async ({ page }) => {
	await page.clock.install({ time: berlin('2026-12-15T12:00') });
	await onboard(page, { date: '2026-12-14' });
	for (const path of ['/welcome', '/welcome/plan']) {
		await page.goto(path);
		await expect(page).toHaveURL(/\/$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Day 1 of recovery');
	}
});

test('when the browser will not open its storage, the patient is told why', async ({
	page,
	expectConsoleError
}) => {
	// Logged where the app catches it (the protocol copy, the layout); no uncaught page error.
	expectConsoleError(
		/^InvalidStateError: The user denied permission \(http:[^ ]+\/_app\/immutable\/[^ ]+\)$/,
		'the test makes IndexedDB refuse to open'
	);
	await page.addInitScript(() => {
		IDBFactory.prototype.open = () => {
			throw new DOMException('The user denied permission', 'InvalidStateError');
		};
	});
	await page.goto('/');
	await expect(page.getByRole('alert')).toContainText('would not open the app’s storage');
	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByText('Aftercare Companion is not a doctor.')).toBeVisible();
});

test.describe('accessibility', () => {
	test('every screen passes axe at WCAG 2.2 AA', async ({ page }) => {
		// Six full axe runs and an onboarding: on a busy 2-core machine this outlasts 60 s.
		test.setTimeout(120_000);
		await page.clock.install({ time: berlin('2026-12-15T12:00') });
		for (const path of ['/welcome', '/welcome/plan']) {
			await page.goto(path);
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
			await expectNoAxeViolations(page);
		}
		await onboard(page, { date: '2026-12-14', yesTo: ['acne'] });
		for (const path of [
			'/',
			'/timeline',
			'/treatment',
			'/settings',
			'/settings/reminders',
			'/settings/answers',
			'/settings/clinic',
			'/settings/data',
			'/settings/app'
		]) {
			await page.goto(path);
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
			await expectNoAxeViolations(page);
		}
	});
});
