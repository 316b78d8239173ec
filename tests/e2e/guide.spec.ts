import type { Page } from '@playwright/test';
import { startClinicServer } from './clinic-server';
import { expect, test } from './fixtures';
import { controlled, deliverPush, expectNoAxeViolations, mirror, onboard } from './helpers';
import { openSettings } from './settings';

/** A wall-clock time in Berlin, winter (CET) or summer (CEST): the walk crosses the change. */
function inBerlin(local: string): Date {
	const format = new Intl.DateTimeFormat('sv-SE', {
		timeZone: 'Europe/Berlin',
		dateStyle: 'short',
		timeStyle: 'short'
	});
	for (const offset of ['+01:00', '+02:00']) {
		const date = new Date(`${local}:00${offset}`);
		if (format.format(date).replace(' ', 'T') === local) {
			return date;
		}
	}
	throw new Error(`no such time in Berlin: ${local}`);
}

/** Moves the patient's clock and opens Today afresh, as a patient opening the app would. */
async function openOn(page: Page, local: string): Promise<void> {
	await page.clock.setSystemTime(inBerlin(local));
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 });
const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

test.describe('what the app says and schedules follows the guide', () => {
	test.beforeEach(async ({ page }) => {
		await page.clock.install({ time: inBerlin('2027-03-10T09:00') });
	});

	test('numbing cream is the provider’s, and the appointment is what is reminded', async ({
		page
	}) => {
		await onboard(page, { date: '2027-04-08', time: '10:30' });
		await expect(heading(page)).toHaveText('29 days until your treatment');
		await expect(page.getByText('Thursday 8 April at 10:30')).toBeVisible();

		await openOn(page, '2027-04-08T07:30');
		await expect(heading(page)).toHaveText('Treatment day');
		await expect(page.getByText('Your treatment is at 10:30 today.')).toBeVisible();
		// Before the appointment, no skin check-in.
		await expect(page.getByRole('link', { name: /Check in/ })).toHaveCount(0);
		const appointment = region(page, 'Your appointment');
		await expect(appointment).toContainText('Your treatment appointment');
		await expect(appointment).toContainText('10:30');
		// en-GB writes the hour without a leading zero: "8:30".
		await expect(appointment).toContainText(/Reminder at 0?8:30/);
		await expect(appointment.getByRole('checkbox')).toHaveCount(0);
		// Nothing about numbing cream to tick off: the provider applies it.
		await expect(page.getByRole('checkbox', { name: /numbing/i })).toHaveCount(0);
		await expect(region(page, 'What to expect today')).toContainText(
			'Your provider applies numbing cream first'
		);

		await openOn(page, '2027-04-08T12:00');
		await expect(page.getByText('Your appointment was at 10:30.')).toBeVisible();
		await expect(
			page.getByRole('link', { name: 'How is your skin today? Check in' })
		).toBeVisible();
		await expect(region(page, 'Your appointment')).toHaveCount(0);

		await page.getByRole('link', { name: 'Timeline' }).click();
		const treatmentDay = page
			.locator('li', { hasText: 'Thu 8 Apr · Treatment day' })
			.filter({ hasText: 'appointment' });
		await expect(treatmentDay).toContainText('10:30 Your treatment appointment');
	});

	test('the consultation checklist stays until the treatment and folds away once done', async ({
		page
	}) => {
		// The checklist opens 30 days before: this patient starts later than that.
		await onboard(page, { date: '2027-04-08', time: '10:30' });
		const before = region(page, 'Before your treatment');
		await expect(before).toContainText('Are there risks or side effects?');
		await expect(before).toContainText('has experience in this technique');

		await openOn(page, '2027-03-25T09:00');
		await expect(before).toContainText('Does microneedling hurt?');
		const done = before.getByRole('checkbox', { name: 'Prepare for your consultation' });
		await done.check();
		await expect(before).not.toContainText('Does microneedling hurt?');
		await expect(before).toContainText('Done.');

		await page.reload();
		await expect(done).toBeChecked();
		await expect(before).not.toContainText('Does microneedling hurt?');
		// Unticking brings it back.
		await done.uncheck();
		await expect(before).toContainText('Does microneedling hurt?');

		// After the appointment it is gone.
		await openOn(page, '2027-04-08T12:00');
		await expect(region(page, 'Before your treatment')).toHaveCount(0);
	});

	test('the vitamin A/C cream is planned only when the provider asked for it', async ({ page }) => {
		await onboard(page, { date: '2027-04-08', time: '10:30' });
		await expect(page.getByText(/vitamin/i)).toHaveCount(0);
		await page.goto('/diary/check-in');
		await expect(page.getByLabel('Used an ice pack')).toBeVisible();
		await expect(page.getByLabel('Applied vitamin A or C cream')).toHaveCount(0);

		await openSettings(page, 'My treatment and answers');
		const instructions = page.getByRole('group', { name: 'Your provider’s instructions' });
		await instructions
			.getByRole('group', { name: /asked you to apply vitamin A or C cream/ })
			.getByLabel('Yes')
			.check();
		await page.getByRole('button', { name: 'Save instructions' }).click();
		await expect(page.getByRole('status')).toContainText('Your plan has been updated');

		await page.getByRole('link', { name: 'Today', exact: true }).click();
		await expect(
			region(page, 'Later today').getByRole('checkbox', { name: 'Vitamin A or C cream' })
		).toBeVisible();
		await page.goto('/diary/check-in');
		await expect(page.getByLabel('Applied vitamin A or C cream')).toBeVisible();
	});

	test('a patient whose provider asked for the cream says so when building the plan', async ({
		page
	}) => {
		await onboard(page, { date: '2027-04-08', time: '10:30', yesTo: ['vitamin A or C cream'] });
		await expect(
			region(page, 'Later today').getByRole('checkbox', { name: 'Vitamin A or C cream' })
		).toBeVisible();
		await expect(region(page, 'Later today')).toContainText('20:00');

		// A month of evenings reads as one line, to its last evening, in words that count properly.
		await page.getByRole('link', { name: 'Timeline' }).click();
		const cream = page
			.getByRole('listitem')
			.filter({ hasText: 'every evening at 20:00 until Wed 7 Apr' });
		await expect(cream).toHaveCount(1);
		await expect(cream).toContainText('Vitamin A or C cream');
		await expect(page.getByText(/\b1 days\b/)).toHaveCount(0);
	});

	test('the screening advice stays until talked about, and is there on the treatment day', async ({
		page
	}) => {
		await onboard(page, { date: '2027-04-08', time: '10:30', yesTo: ['eczema'] });
		const advice = region(page, 'Talk to your provider before treatment');
		await expect(advice).toContainText('eczema or psoriasis');
		await advice.getByText('Your answer and what to do').click();
		await advice.getByRole('button', { name: 'I have talked to my provider' }).click();
		await expect(advice).toHaveCount(0);

		await openOn(page, '2027-04-01T09:00');
		await expect(advice).toHaveCount(0);

		// On the treatment day, before the procedure, a short reminder.
		await openOn(page, '2027-04-08T07:30');
		const reminder = region(page, 'Before the procedure, remind your provider');
		await expect(reminder).toContainText('eczema or psoriasis');

		// Settings can bring it back in full.
		await openOn(page, '2027-04-02T09:00');
		await openSettings(page, 'My treatment and answers');
		await page.getByRole('button', { name: 'Not yet: show this on Today again' }).click();
		await page.getByRole('link', { name: 'Today', exact: true }).click();
		await expect(advice).toContainText('eczema or psoriasis');
	});

	test('an unacknowledged screening answer is shown in full on the treatment day', async ({
		page
	}) => {
		await onboard(page, { date: '2027-04-08', time: '10:30', yesTo: ['acne'] });
		await openOn(page, '2027-04-08T07:30');
		await expect(region(page, 'Talk to your provider before treatment')).toContainText('acne');
		await expectNoAxeViolations(page);
	});

	test('an ice pack noted at 09:30 ticks off the morning’s, and the evening’s stays to do', async ({
		page
	}) => {
		await onboard(page, { date: '2027-04-08', time: '10:30' });
		await openOn(page, '2027-04-09T09:30');
		await page.getByRole('link', { name: 'How is your skin today? Check in' }).click();
		await page.getByLabel('Used an ice pack').check();
		await page.getByRole('button', { name: 'Save check-in' }).click();
		await expect(page).toHaveURL(/entry=/);
		await page.getByRole('link', { name: 'Today', exact: true }).click();
		await expect(
			region(page, 'To do now').getByRole('checkbox', { name: 'Ice pack' })
		).toBeChecked();
		await expect(
			region(page, 'Later today').getByRole('checkbox', { name: 'Ice pack' })
		).not.toBeChecked();
	});

	test('what was not ticked off yesterday can be ticked off on Today; the sun is all-day advice', async ({
		page
	}) => {
		await onboard(page, { date: '2027-04-08', time: '10:30' });
		await openOn(page, '2027-04-10T08:30');
		await expect(heading(page)).toHaveText('Day 2 of recovery');
		const missed = region(page, 'Not ticked off yesterday');
		await expect(missed.getByRole('checkbox')).toHaveCount(3);
		const eveningIce = missed.locator('article', { hasText: '20:00' });
		await eveningIce.getByRole('checkbox', { name: 'Ice pack' }).check();
		// It stays in view, ticked, until the day changes…
		await expect(eveningIce.getByRole('checkbox', { name: 'Ice pack' })).toBeChecked();
		// …and is ticked off on the Timeline too.
		await page.getByRole('link', { name: 'Timeline' }).click();
		const dayOne = page.locator('li', { hasText: 'Fri 9 Apr · Day 1' }).filter({ hasText: 'Ice' });
		await expect(dayOne).toContainText('20:00 Ice pack for irritation and discomfort ✓ done');

		await page.getByRole('link', { name: 'Today', exact: true }).click();
		const allDay = region(page, 'All day today');
		await expect(allDay.getByRole('checkbox', { name: 'Stay out of the sun' })).toBeVisible();
		await expect(allDay).toContainText('All day');
		await expect(region(page, 'To do now')).not.toContainText('Stay out of the sun');
	});

	test('a fever means calling today, and the warning stays until a check-in without it', async ({
		page
	}) => {
		await onboard(page, { date: '2027-04-08', time: '10:30' });
		await openOn(page, '2027-04-10T12:00');
		await page.getByRole('link', { name: 'How is your skin today? Check in' }).click();
		await page.getByRole('group', { name: 'Redness', exact: true }).getByLabel('Mild').check();
		await page.getByLabel('Fever').check();
		await page.getByRole('button', { name: 'Save check-in' }).click();

		// The diary: an urgent warning, and no "this is expected" beside it.
		const urgent = region(page, 'Call your provider today');
		await expect(urgent).toContainText('Signs of a skin infection');
		await expect(urgent).toContainText('Fever on day 2');
		await expect(urgent).toContainText('call your local emergency number');
		await expect(urgent).not.toContainText('probably nothing');
		await expect(region(page, 'This is expected')).toHaveCount(0);

		await page.getByRole('link', { name: 'Today', exact: true }).click();
		await expect(urgent).toBeVisible();
		await expect(page.getByText('This is expected')).toHaveCount(0);

		// The next day it is still there…
		await openOn(page, '2027-04-11T09:00');
		await expect(urgent).toContainText('From your last check-in');
		// …until a check-in no longer shows it.
		await page.getByRole('link', { name: 'How is your skin today? Check in' }).click();
		await page.getByRole('button', { name: 'Save check-in' }).click();
		await expect(page).toHaveURL(/entry=/);
		await page.getByRole('link', { name: 'Today', exact: true }).click();
		await expect(heading(page)).toHaveText('Day 3 of recovery');
		await expect(urgent).toHaveCount(0);
	});

	test('mild redness past the five days is worth a call, not urgent', async ({ page }) => {
		await onboard(page, { date: '2027-04-08', time: '10:30' });
		await openOn(page, '2027-04-15T12:00');
		await expect(heading(page)).toHaveText('Day 7 after treatment');
		await page.getByRole('link', { name: 'How is your skin today? Check in' }).click();
		await page.getByRole('group', { name: 'Redness', exact: true }).getByLabel('Mild').check();
		await page.getByRole('button', { name: 'Save check-in' }).click();
		await page.getByRole('link', { name: 'Today', exact: true }).click();
		const banner = region(page, 'Please contact your provider');
		await expect(banner).toContainText('Redness or swelling that lasts');
		await expect(banner).toContainText('Redness: Mild on day 7');
		await expect(region(page, 'Call your provider today')).toHaveCount(0);
	});

	test('the countdown to a 2nd session says so', async ({ page }) => {
		await onboard(page, { date: '2027-04-08', time: '10:30' });
		await page.getByRole('link', { name: 'Treatment' }).click();
		await page.getByRole('button', { name: 'Add the next session' }).click();
		await expect(page.getByLabel('Treatment date')).toHaveValue('2027-05-06');
		await page.getByRole('button', { name: 'Add session' }).click();
		await expect(page.getByRole('heading', { name: '2nd session' })).toBeVisible();

		await openOn(page, '2027-04-29T07:30');
		await expect(heading(page)).toHaveText('7 days until your 2nd session');
		await expect(page.getByText('Thursday 6 May at 10:30')).toBeVisible();
		await openOn(page, '2027-05-05T09:00');
		await expect(heading(page)).toHaveText('Your 2nd session is tomorrow');
	});
});

test('the appointment’s notification says when it is, and has no Done', async ({
	page,
	context
}) => {
	await context.grantPermissions(['notifications']);
	await page.clock.install({ time: inBerlin('2027-04-07T18:00') });
	await onboard(page, { date: '2027-04-08', time: '10:30' });
	await controlled(page);
	await expect
		.poll(async () => (await mirror(page)).some((record) => record.taskId === 'appointment'))
		.toBe(true);
	const record = (await mirror(page)).find((one) => one.taskId === 'appointment')!;
	expect(record.at).toBe(inBerlin('2027-04-08T08:30').getTime());

	// What the server sends: an opaque id and generic words; the phone has its own.
	await deliverPush(context, page, {
		v: 1,
		reminderId: record.id,
		title: 'Aftercare reminder',
		body: 'You have a care step due. Open the app to see it.'
	});
	const shown = await page.evaluate(async () => {
		const registration = await navigator.serviceWorker.ready;
		type Shown = Notification & { actions: { action: string }[] };
		return ((await registration.getNotifications()) as Shown[]).map((notification) => ({
			title: notification.title,
			body: notification.body,
			actions: notification.actions.map((action) => action.action)
		}));
	});
	expect(shown).toEqual([
		{
			title: 'Your treatment appointment',
			body: expect.stringMatching(/^Your treatment is at 10:30 today\. Your provider applies/),
			actions: ['snooze']
		}
	]);
});

test('a clinic’s walk-through at phone size, with its number to call', async ({
	browser
}, testInfo) => {
	// Ten screens, two axe runs and a server of its own.
	test.setTimeout(180_000);
	const { page, close } = await startClinicServer(browser, testInfo);
	const shot = (name: string) =>
		page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
	try {
		await page.clock.install({ time: inBerlin('2027-03-10T09:00') });
		await page.goto('/');
		await page.getByRole('link', { name: 'Build my plan' }).click();
		await page.getByLabel('Treatment date').fill('2027-04-08');
		await page.getByLabel('Appointment time').fill('10:30');
		await shot('0-onboarding-1-treatment');
		await page.getByRole('button', { name: 'Next' }).click();
		await expect(page.getByRole('heading', { name: /^Step 2 of 3/ })).toBeFocused();
		for (const question of await page.locator('fieldset.question').all()) {
			const text = (await question.locator('legend').textContent()) ?? '';
			await question.getByLabel(text.includes('eczema') ? 'Yes' : 'No', { exact: true }).check();
		}
		await shot('0-onboarding-2-screening');
		await page.getByRole('button', { name: 'Next' }).click();
		await expect(page.getByRole('heading', { name: /^Step 3 of 3/ })).toBeFocused();
		await shot('0-onboarding-3-reminders');
		await page.getByRole('button', { name: 'Show my plan' }).click();
		await expect(heading(page)).toHaveText('29 days until your treatment');
		await shot('1-today-29-days-before');
		await page.getByRole('link', { name: 'Settings' }).click();
		await shot('2-settings');
		await page.getByRole('link', { name: 'Timeline' }).click();
		await shot('3-timeline');

		await openOn(page, '2027-04-08T07:30');
		await expect(page.getByText('Your treatment is at 10:30 today.')).toBeVisible();
		await shot('4-today-treatment-day-0730');
		await openOn(page, '2027-04-08T12:00');
		await shot('5-today-treatment-day-1200');
		await page.getByRole('link', { name: 'Timeline' }).click();
		await shot('6-timeline-treatment-day');

		await openOn(page, '2027-04-10T09:30');
		await shot('7-today-day-2');
		await page.getByRole('link', { name: 'How is your skin today? Check in' }).click();
		await page.getByLabel('Pus or oozing').check();
		await page.getByRole('button', { name: 'Save check-in' }).click();
		await page.getByRole('link', { name: 'Today', exact: true }).click();
		const urgent = region(page, 'Call your provider today');
		await expect(urgent.getByRole('link', { name: '+44 20 7946 0000' })).toHaveAttribute(
			'href',
			'tel:+442079460000'
		);
		await expect(urgent).toContainText('Call Riverside Skin Clinic');
		await shot('8-today-day-2-pus');
		await expectNoAxeViolations(page);

		await openOn(page, '2027-04-15T12:00');
		await page.getByRole('link', { name: 'How is your skin today? Check in' }).click();
		await page.getByRole('group', { name: 'Redness', exact: true }).getByLabel('Mild').check();
		await page.getByRole('button', { name: 'Save check-in' }).click();
		await page.getByRole('link', { name: 'Today', exact: true }).click();
		await expect(region(page, 'Please contact your provider')).toBeVisible();
		await shot('9-today-day-7-mild-redness');
		await expectNoAxeViolations(page);
	} finally {
		await close();
	}
});
