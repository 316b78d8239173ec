// A patient's month, lived through the app's own buttons and links only: no address typed in
// after the first visit, nothing seeded into IndexedDB. The first pass through the onboarding form
// is made with the keyboard alone. The story is the one a new user walked when the suite still
// passed over a check-in that never opened: clinic appointment on Thursday 8 April 2027 at 10:30 in
// Berlin, first visit 29 days before (across the spring-forward change on 28 March), one screening
// "yes", and a provider who asked for the vitamin A/C cream.
import type { Browser, Locator, Page } from '@playwright/test';
import { devices, expect, test } from './fixtures';
import { jpegOfColour } from './helpers';
import { openSettings } from './settings';

/** A wall-clock time in Berlin, in winter or summer time as that date has it. */
function berlinTime(local: string): Date {
	for (const offset of ['+01:00', '+02:00']) {
		const instant = new Date(`${local}:00${offset}`);
		const wall = instant
			.toLocaleString('sv-SE', { timeZone: 'Europe/Berlin' })
			.slice(0, 16)
			.replace(' ', 'T');
		if (wall === local) {
			return instant;
		}
	}
	throw new Error(`${local} does not exist in Berlin`);
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 });
const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
const nav = (page: Page, name: string) => page.getByRole('link', { name, exact: true });

/** The patient opens the app at a later moment: the phone's clock moved on, the app starts. */
async function openAt(page: Page, local: string): Promise<void> {
	await page.clock.setSystemTime(berlinTime(local));
	await page.reload();
	await expect(heading(page)).toBeVisible();
}

/** Taps "Today" and waits until it is shown, so that a reload after it reloads Today. */
async function goToday(page: Page): Promise<void> {
	await nav(page, 'Today').click();
	await expect(page).toHaveURL(/\/$/);
}

/** Presses Tab until `target` has the focus, as a keyboard user moves through a form. */
async function tabTo(page: Page, target: Locator): Promise<void> {
	for (let presses = 0; presses < 80; presses++) {
		if (await target.evaluate((element) => element === document.activeElement)) {
			return;
		}
		await page.keyboard.press('Tab');
	}
	throw new Error(`Tab never reached ${target}`);
}

/** Chooses a radio button of a group with the keyboard: Tab into the group, arrows to it. */
async function chooseByKeyboard(page: Page, group: Locator, label: string): Promise<void> {
	const radios = group.getByRole('radio');
	for (let presses = 0; presses < 80; presses++) {
		const inGroup = await group.evaluate((element) => element.contains(document.activeElement));
		if (inGroup) {
			break;
		}
		await page.keyboard.press('Tab');
	}
	const target = group.getByRole('radio', { name: label, exact: true });
	for (let presses = 0; presses < (await radios.count()) + 1; presses++) {
		if (await target.evaluate((element) => element === document.activeElement)) {
			break;
		}
		await page.keyboard.press('ArrowDown');
	}
	await page.keyboard.press('Space');
	await expect(target).toBeChecked();
}

/** A new or replaced phone: a browser that has never seen the app. */
async function newPhone(browser: Browser, baseURL: string | undefined, local: string) {
	const context = await browser.newContext({
		...devices['Pixel 7'],
		baseURL,
		locale: 'en-GB',
		timezoneId: 'Europe/Berlin'
	});
	const page = await context.newPage();
	await page.clock.install({ time: berlinTime(local) });
	return { context, page };
}

test('a patient’s month, from the first visit to the next session, through the app’s own buttons', async ({
	page,
	browser,
	baseURL,
	expectConsoleError
}, testInfo) => {
	test.setTimeout(300_000);
	// Offline, each start asks the server for the protocol first, and Chromium logs the failure.
	expectConsoleError(
		/^Failed to load resource: net::ERR_INTERNET_DISCONNECTED \(http:[^ ]+\/api\/protocol(\?id=[a-z0-9-]+)?\)$/,
		'the new phone starts offline'
	);
	page.on('dialog', (dialog) => void dialog.accept());
	await page.clock.install({ time: berlinTime('2027-03-10T09:00') });

	await test.step('first visit: the plan is built with the keyboard alone', async () => {
		await page.goto('/');
		await expect(page).toHaveURL(/\/welcome$/);
		await tabTo(page, page.getByRole('link', { name: 'Build my plan' }));
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(/\/welcome\/plan$/);

		await tabTo(page, page.getByLabel('Treatment date'));
		// Headless Chromium orders its date field's segments by its own UI language (US English
		// here), not the page's: month, day, year.
		await page.keyboard.type('04082027');
		await tabTo(page, page.getByLabel('Appointment time'));
		await page.keyboard.type('1030');
		await expect(page.getByLabel('Treatment date')).toHaveValue('2027-04-08');
		await expect(page.getByLabel('Appointment time')).toHaveValue('10:30');
		await tabTo(page, page.getByRole('button', { name: 'Next' }));
		await page.keyboard.press('Enter');
		await expect(page.getByRole('heading', { name: /^Step 2 of 3/ })).toBeFocused();

		for (const question of await page.locator('fieldset.question').all()) {
			const text = (await question.locator('legend').textContent()) ?? '';
			await chooseByKeyboard(page, question, text.includes('acne') ? 'Yes' : 'No');
		}
		await chooseByKeyboard(
			page,
			page.getByRole('group', { name: /asked you to apply vitamin A or C cream/ }),
			'Yes'
		);
		await tabTo(page, page.getByRole('button', { name: 'Next' }));
		await page.keyboard.press('Enter');
		await expect(page.getByRole('heading', { name: /^Step 3 of 3/ })).toBeFocused();
		await tabTo(page, page.getByRole('button', { name: 'Show my plan' }));
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(/\/$/);
	});

	await test.step('preparation: the date, the consultation, the advice and the cream', async () => {
		await expect(heading(page)).toHaveText('29 days until your treatment');
		await expect(page.getByText('Thursday 8 April at 10:30')).toBeVisible();
		const advice = region(page, 'Talk to your provider before treatment');
		await expect(advice).toContainText('acne');
		// One line on the days before the treatment, which opens to the answers.
		await advice.getByText('Your answer and what to do').click();
		await advice.getByRole('button', { name: 'I have talked to my provider' }).click();
		// Folded away on other days…
		await expect(advice).toHaveCount(0);

		const before = region(page, 'Before your treatment');
		await expect(before).toContainText('Does microneedling hurt?');
		await before.getByRole('checkbox', { name: 'Prepare for your consultation' }).check();
		await expect(
			before.getByRole('checkbox', { name: 'Prepare for your consultation' })
		).toBeChecked();

		await expect(
			region(page, 'Later today').getByRole('checkbox', { name: 'Vitamin A or C cream' })
		).toBeVisible();
		await openAt(page, '2027-03-10T20:30');
		const cream = region(page, 'To do now').getByRole('checkbox', { name: 'Vitamin A or C cream' });
		await cream.check();
		await expect(cream).toBeChecked();

		// Across the change to summer time, the countdown and the appointment stay right.
		await openAt(page, '2027-03-31T08:00');
		await expect(heading(page)).toHaveText('8 days until your treatment');
		await expect(page.getByText('Thursday 8 April at 10:30')).toBeVisible();
		await nav(page, 'Timeline').click();
		await expect(page.getByText('10:30').first()).toBeVisible();
		await expect(page.getByText(/\b1 days\b/)).toHaveCount(0);
	});

	await test.step('the treatment day: the appointment, then the first check-in', async () => {
		await goToday(page);
		await openAt(page, '2027-04-08T07:30');
		await expect(heading(page)).toHaveText('Treatment day');
		await expect(page.getByText('Your treatment is at 10:30 today.')).toBeVisible();
		// …but on the day it matters most, a short reminder of the answers stays.
		await expect(region(page, 'Before the procedure, remind your provider')).toContainText('acne');
		// Before the procedure nobody asks how the skin is.
		await expect(page.getByRole('link', { name: /Check in/ })).toHaveCount(0);
		await expect(page.getByRole('checkbox', { name: /numbing/i })).toHaveCount(0);

		await openAt(page, '2027-04-08T13:00');
		await expect(page.getByText('Your appointment was at 10:30.')).toBeVisible();
		await expect(
			page.getByRole('link', { name: 'How is your skin today? Check in' })
		).toBeVisible();
	});

	await test.step('recovery: a check-in with a photo, edited from Today and from the Diary', async () => {
		await openAt(page, '2027-04-09T09:00');
		await expect(heading(page)).toHaveText('Day 1 of recovery');
		await page.getByRole('link', { name: 'How is your skin today? Check in' }).click();
		await page.getByRole('group', { name: 'Redness', exact: true }).getByLabel('Mild').check();
		await page.getByLabel('Used an ice pack').check();
		await page.getByLabel('Area in the photo').selectOption('face');
		await page.getByLabel('Choose from gallery').setInputFiles({
			name: 'face.jpg',
			mimeType: 'image/jpeg',
			buffer: await jpegOfColour(page, '#c77')
		});
		await expect(page.getByRole('img', { name: 'New photo: Face' })).toBeVisible();
		await page.getByRole('button', { name: 'Save check-in' }).click();
		await expect(page).toHaveURL(/\/diary\?entry=/);

		// The ice pack noted at 09:00 ticks off the morning's, not the evening's.
		await nav(page, 'Today').click();
		await expect(
			region(page, 'Later today').getByRole('checkbox', { name: 'Ice pack' })
		).not.toBeChecked();

		await page.getByRole('link', { name: 'Edit today’s check-in' }).click();
		const redness = page.getByRole('group', { name: 'Redness', exact: true });
		await expect(redness.getByLabel('Mild')).toBeChecked();
		await expect(page.getByRole('img', { name: 'Saved photo: Face' })).toBeVisible();
		await page.getByRole('group', { name: 'Swelling', exact: true }).getByLabel('Mild').check();
		await page.getByLabel('Note').fill('Tight, like a mild sunburn.');
		await page.getByRole('button', { name: 'Save check-in' }).click();
		await expect(page).toHaveURL(/\/diary\?entry=/);
		const card = page.locator('[data-entry]').first();
		await expect(card).toContainText('Redness: Mild, Swelling: Mild');
		await expect(card).toContainText('Tight, like a mild sunburn.');

		await page.getByRole('link', { name: 'Edit today’s check-in' }).click();
		await expect(page.getByLabel('Note')).toHaveValue('Tight, like a mild sunburn.');
		await page.getByLabel('Note').fill('Tight, less than this morning.');
		await page.getByRole('button', { name: 'Save check-in' }).click();
		await expect(page.locator('[data-entry]')).toHaveCount(1);
		await expect(page.locator('[data-entry]').first()).toContainText(
			'Tight, less than this morning.'
		);
		await expect(page.locator('[data-entry]').first().getByRole('img')).toHaveCount(1);
	});

	await test.step('what was missed yesterday is ticked off on Today', async () => {
		await goToday(page);
		await openAt(page, '2027-04-10T09:00');
		const missed = region(page, 'Not ticked off yesterday');
		const eveningIce = missed.getByRole('checkbox', { name: 'Ice pack' });
		await eveningIce.check();
		await expect(eveningIce).toBeChecked();
	});

	await test.step('a warning: mild redness past five days, then a fever', async () => {
		await openAt(page, '2027-04-15T09:00');
		await page.getByRole('link', { name: 'How is your skin today? Check in' }).click();
		await page.getByRole('group', { name: 'Redness', exact: true }).getByLabel('Mild').check();
		await page.getByRole('button', { name: 'Save check-in' }).click();
		await nav(page, 'Today').click();
		const contact = region(page, 'Please contact your provider');
		await expect(contact).toContainText('Redness or swelling that lasts');
		await expect(contact).toContainText('You noted: Redness: Mild on day 7');

		// The next day, before any check-in, the warning is still there.
		await openAt(page, '2027-04-16T09:00');
		await expect(region(page, 'Please contact your provider')).toContainText(
			'It stays here until a new check-in no longer shows it.'
		);
		await page.getByRole('link', { name: 'How is your skin today? Check in' }).click();
		await page.getByLabel('Fever').check();
		await page.getByRole('button', { name: 'Save check-in' }).click();
		await nav(page, 'Today').click();
		const urgent = region(page, 'Call your provider today');
		await expect(urgent).toContainText('Signs of a skin infection');
		await expect(urgent).toContainText('If it is an emergency, call your local emergency number.');
		await expect(page.getByText(/probably nothing/i)).toHaveCount(0);
		await expect(page.getByText('This is expected')).toHaveCount(0);
	});

	await test.step('the summary for the follow-up visit', async () => {
		await nav(page, 'Diary').click();
		await page.getByRole('link', { name: 'Follow-up summary' }).click();
		await expect(page.getByRole('heading', { name: 'Follow-up summary' })).toBeVisible();
		await expect(page.getByText('Signs of a skin infection').first()).toBeVisible();
		await expect(page.getByText('Tight, less than this morning.')).toBeVisible();
	});

	let backup = '';
	await test.step('a backup, saved with Settings’ own button', async () => {
		await openSettings(page, 'Backup and data');
		const downloading = page.waitForEvent('download');
		await page.getByRole('button', { name: 'Save a backup' }).click();
		backup = testInfo.outputPath('backup.zip');
		await (await downloading).saveAs(backup);
	});

	const phone = await newPhone(browser, baseURL, '2027-04-16T18:00');
	await test.step('a new phone restores the backup from the welcome screen', async () => {
		await phone.page.goto('/');
		await expect(phone.page).toHaveURL(/\/welcome$/);
		await phone.page.getByRole('link', { name: 'Restore from a backup' }).click();
		await phone.page.getByLabel('Your backup file').setInputFiles(backup);
		await phone.page.getByRole('button', { name: 'Restore this backup' }).click();
		await expect(heading(phone.page)).toHaveText('Day 8 after treatment');
		await expect(region(phone.page, 'Call your provider today')).toContainText(
			'Signs of a skin infection'
		);
		await nav(phone.page, 'Diary').click();
		await expect(phone.page.locator('[data-entry]')).toHaveCount(3);
		await expect(phone.page.getByRole('img', { name: /Photo: Face, / })).toBeVisible();
	});

	await test.step('offline, the new phone still opens the plan', async () => {
		await phone.page.evaluate(() => navigator.serviceWorker.ready);
		await phone.context.setOffline(true);
		await phone.page.reload();
		await expect(heading(phone.page)).toBeVisible();
		await nav(phone.page, 'Timeline').click();
		await expect(heading(phone.page)).toHaveText('Your whole plan');
		await phone.context.setOffline(false);
		await phone.context.close();
	});

	await test.step('the next session, added and then moved by the clinic', async () => {
		await nav(page, 'Treatment').click();
		await page.getByRole('button', { name: 'Add the next session' }).click();
		await expect(page.getByLabel('Treatment date')).toHaveValue('2027-05-06');
		await page.getByRole('button', { name: 'Add session' }).click();
		await expect(page.getByRole('heading', { name: '2nd session' })).toBeVisible();

		await page.getByRole('button', { name: 'Edit the 2nd session' }).click();
		await page.getByLabel('Treatment date').fill('2027-05-13');
		await page.getByRole('button', { name: 'Save changes' }).click();
		await expect(page.getByRole('heading', { name: /2nd session/ })).toBeVisible();

		await goToday(page);
		await openAt(page, '2027-05-06T09:00');
		await expect(heading(page)).toHaveText('7 days until your 2nd session');
		await expect(page.getByText('Thursday 13 May at 10:30')).toBeVisible();
	});
});
