// The inventory for the control coverage check (scripts/e2e-coverage.js): every button, link,
// checkbox, radio and <summary> toggle on Today, Diary, Timeline, Treatment and Settings, in the
// states a patient meets them, as Chromium's accessibility tree lists them. Screens are reached by
// tapping the navigation, as a patient would. See docs/testing.md.
import { writeFile } from 'node:fs/promises';
import type { Page, TestInfo } from '@playwright/test';
import { INVENTORY_FILE, listControls, type Control } from './controls';
import { riverside, startClinicServer } from './clinic-server';
import { expect, test } from './fixtures';
import { berlin, onboard } from './helpers';
import type { SettingsSection } from './settings';

// What this spec presses only brings the screens into their states: it proves nothing, so it
// counts for no coverage.
test.use({ countPresses: false });

type Screen = 'Today' | 'Timeline' | 'Diary' | 'Treatment' | 'Settings';

const headings: Record<Screen, RegExp> = {
	Today: /until your treatment|Treatment day|of recovery|after treatment|plan is complete/,
	Timeline: /^Your whole plan$/,
	Diary: /^Your diary$/,
	Treatment: /^Your treatment$/,
	Settings: /^Settings$/
};

/** The controls found, each with the state it was found in. */
class Inventory {
	readonly found: (Control & { state: string })[] = [];

	constructor(private readonly page: Page) {}

	/** Taps the navigation link to `screen`, and waits for its heading. */
	async visit(screen: Screen): Promise<void> {
		await this.page
			.getByRole('navigation', { name: 'Main' })
			.getByRole('link', { name: screen })
			.click();
		await expect(this.page.getByRole('heading', { level: 1 })).toHaveText(headings[screen]);
	}

	/** From the list of Settings, taps a section's link, and waits for its heading. */
	async section(name: SettingsSection): Promise<void> {
		await this.page.getByRole('link', { name, exact: true }).click();
		await expect(this.page.getByRole('heading', { level: 1 })).toHaveText(name);
	}

	/** Back from a section to the list of Settings. */
	async back(): Promise<void> {
		await this.page.getByRole('link', { name: 'Back to Settings' }).click();
		await expect(this.page.getByRole('heading', { level: 1 })).toHaveText('Settings');
	}

	/** Lists the controls on the screen as it is now. */
	async take(state: string): Promise<void> {
		const { controls, mismatches } = await listControls(this.page);
		expect(
			mismatches,
			`the press recorder names controls as the accessibility tree does (${state})`
		).toEqual([]);
		expect(controls.length, state).toBeGreaterThan(0);
		this.found.push(...controls.map((control) => ({ ...control, state })));
	}

	/** Writes each control once, with the first state it was found in. */
	async save(testInfo: TestInfo): Promise<void> {
		const once = new Map<string, Control & { state: string }>();
		for (const control of this.found) {
			const key = `${control.route} ${control.role} ${control.name}`;
			if (!once.has(key)) {
				once.set(key, control);
			}
		}
		await writeFile(
			testInfo.outputPath(INVENTORY_FILE),
			JSON.stringify([...once.values()], null, 1)
		);
	}
}

/** Fires Chromium's install offer, as install.spec.ts does, so the install card shows. */
async function offerInstall(page: Page): Promise<void> {
	await page.evaluate(() => {
		const event = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
			prompt: async () => {},
			userChoice: Promise.resolve({ outcome: 'dismissed', platform: 'web' })
		});
		window.dispatchEvent(event);
	});
}

/**
 * Lets reminders be turned on: notifications allowed, and the browser's push subscription and
 * the server's answers stood in for, as reminders.spec.ts does (no push service is reachable).
 */
async function grantPushReminders(page: Page): Promise<void> {
	await page.context().grantPermissions(['notifications']);
	await page.evaluate(() => {
		const subscription = {
			endpoint: 'https://push.example/inventory',
			options: { userVisibleOnly: true, applicationServerKey: null },
			expirationTime: null,
			toJSON: () => ({
				endpoint: 'https://push.example/inventory',
				keys: { p256dh: 'p256dh', auth: 'auth' }
			}),
			unsubscribe: async () => true,
			getKey: () => null
		} as unknown as PushSubscription;
		let subscribed = false;
		PushManager.prototype.subscribe = async () => {
			subscribed = true;
			return subscription;
		};
		PushManager.prototype.getSubscription = async () => (subscribed ? subscription : null);
	});
	await page.route('**/api/push/subscriptions', (route) =>
		route.fulfill({ status: 201, json: { id: 'inventory', token: 'inventory' } })
	);
}

test('controls of a patient preparing for treatment', async ({ page }, testInfo) => {
	const inventory = new Inventory(page);
	await page.clock.install({ time: berlin('2026-11-24T09:00') });
	await onboard(page, { date: '2026-12-14', yesTo: ['acne', 'vitamin A or C cream'] });
	await offerInstall(page);
	await expect(page.getByRole('region', { name: 'Add to your home screen' })).toBeVisible();
	await inventory.take('preparing, install offered');

	await inventory.visit('Timeline');
	await inventory.take('preparing');
	await page.locator('li.today summary').click();
	await inventory.take('preparing, today opened');

	await inventory.visit('Diary');
	await inventory.take('no check-ins');

	await inventory.visit('Treatment');
	await inventory.take('one session');
	await page.getByRole('button', { name: 'Edit the 1st session' }).click();
	await inventory.take('editing the session');
	await page.getByRole('button', { name: 'Cancel' }).click();
	await page.getByRole('button', { name: 'Add the next session' }).click();
	await inventory.take('adding a session');
	await page.getByRole('button', { name: 'Add session' }).click();
	await expect(page.getByRole('heading', { name: '2nd session' })).toBeVisible();
	await inventory.take('two sessions');

	await inventory.visit('Settings');
	await inventory.take('the list of sections');
	await inventory.section('App');
	await inventory.take('install offered');
	await inventory.back();
	await inventory.section('My treatment and answers');
	await inventory.take('answers given');
	await inventory.back();
	await inventory.section('Clinic');
	await inventory.take('a clinic without a phone number');
	await inventory.back();
	await inventory.section('Backup and data');
	await inventory.take('backup and data');
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Save a backup' }).click();
	const backup = testInfo.outputPath('backup.zip');
	await (await downloading).saveAs(backup);
	await page.getByLabel('Restore from a backup').setInputFiles(backup);
	await expect(page.getByRole('button', { name: 'Replace with this backup' })).toBeVisible();
	await inventory.take('a backup checked, asking to replace');
	await page.getByRole('button', { name: 'Delete all my data' }).click();
	await expect(page.getByRole('button', { name: 'Yes, delete everything' })).toBeVisible();
	await inventory.take('asked to confirm deleting everything');
	await inventory.back();
	await inventory.section('Reminders');
	await inventory.take('reminders off');
	const reminders = page.getByRole('region', { name: 'Reminders' });
	// Headless Chromium answers the permission request with "denied", as a patient may.
	await reminders.getByRole('button', { name: 'Turn on reminders' }).click();
	await expect(reminders).toContainText('Notifications are blocked for this app.');
	await inventory.take('notifications blocked');
	await grantPushReminders(page);
	await reminders.getByRole('button', { name: 'I have allowed notifications' }).click();
	await reminders.getByRole('button', { name: 'Turn on reminders' }).click();
	await expect(reminders).toContainText('Reminders are on.');
	await inventory.take('reminders on');
	await page.getByLabel('Morning reminders at').fill('');
	await page.getByRole('button', { name: 'Save reminder times' }).click();
	await expect(page.getByRole('region', { name: /^Please check/ })).toBeVisible();
	await inventory.take('a reminder time missing');

	await inventory.save(testInfo);
});

test('controls of a patient in recovery, with a month of check-ins', async ({ page }, testInfo) => {
	test.setTimeout(120_000);
	const inventory = new Inventory(page);
	await page.clock.install({ time: berlin('2026-12-15T12:00') });
	await onboard(page, { date: '2026-12-14' });
	await inventory.take('day 1 of recovery, no check-in');

	await page.getByRole('link', { name: 'How is your skin today? Check in' }).click();
	await page.getByRole('group', { name: 'Redness', exact: true }).getByLabel('Moderate').check();
	await page.getByRole('button', { name: 'Save check-in' }).click();
	await expect(page).toHaveURL(/\/diary\?entry=/);
	await inventory.take('checked in today');
	await inventory.visit('Today');
	await inventory.take('day 1 of recovery, checked in');

	// One more than the diary shows at once.
	for (let count = 2; count <= 31; count += 1) {
		await inventory.visit('Diary');
		await page.getByRole('link', { name: 'Add another check-in for today' }).click();
		await page.getByRole('button', { name: 'Save check-in' }).click();
		await expect(page.locator('[data-entry]')).toHaveCount(Math.min(count, 30));
	}
	await expect(page.getByRole('button', { name: 'Show older check-ins (1 more)' })).toBeVisible();
	await inventory.take('more check-ins than a page');

	await inventory.visit('Settings');
	await inventory.section('Reminders');
	await page.getByLabel('Your time zone').selectOption('Asia/Tokyo');
	await page.getByRole('button', { name: 'Save reminder times' }).click();
	await expect(page.getByRole('button', { name: 'Use Europe/Berlin' })).toBeVisible();
	await inventory.take('reminders follow another time zone');

	// Long after the last session of the plan.
	await page.clock.setSystemTime(berlin('2027-03-01T12:00'));
	await page.reload();
	await inventory.visit('Today');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your plan is complete');
	await inventory.take('plan complete');

	await inventory.save(testInfo);
});

test.describe('on an iPhone', () => {
	test.use({
		userAgent:
			'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'
	});

	test('controls of a patient on an iPhone', async ({ page }, testInfo) => {
		const inventory = new Inventory(page);
		await page.clock.install({ time: berlin('2026-11-24T09:00') });
		await onboard(page, { date: '2026-12-14' });
		await expect(page.getByRole('region', { name: 'Add to your home screen' })).toBeVisible();
		await inventory.take('install steps for an iPhone');
		await inventory.save(testInfo);
	});
});

test('controls of a clinic that gives its phone number and website', async ({
	browser
}, testInfo) => {
	// A clinic's own protocol, served by a server of its own, as server-start.spec.ts does.
	const { page, close } = await startClinicServer(browser, testInfo, {
		...riverside,
		website: 'https://riverside-skin.example/'
	});
	try {
		const inventory = new Inventory(page);
		await page.clock.install({ time: berlin('2026-12-15T12:00') });
		await onboard(page, { date: '2026-12-14' });
		await expect(page.getByRole('region', { name: 'When to contact your provider' })).toContainText(
			'Call Riverside Skin Clinic'
		);
		await inventory.take('a clinic’s phone number, day 1 of recovery');
		await inventory.visit('Settings');
		await inventory.take('a clinic’s phone number in the list of sections');
		await inventory.section('Clinic');
		await expect(page.getByRole('link', { name: 'Riverside Skin Clinic website' })).toBeVisible();
		await inventory.take('a clinic’s phone number and website');
		await inventory.save(testInfo);
	} finally {
		await close();
	}
});

test('controls of the clinic page, for staff', async ({ page }, testInfo) => {
	const inventory = new Inventory(page);
	// Staff type the address: the page is not in the patient's navigation. The share sheet is
	// stood in for, so that its button shows as on a phone.
	await page.addInitScript(() => {
		navigator.share = async () => undefined;
	});
	await page.goto('/clinic');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hand a plan to a patient');
	await inventory.take('an empty form');

	// The errors clinic-page.spec.ts makes and follows.
	await page.getByRole('checkbox', { name: 'Face' }).click();
	await page.getByLabel('Needle depth in mm (if known)').fill('9');
	await page.getByLabel('Session number').fill('4');
	await page.getByLabel('Sessions planned').fill('3');
	await page.getByRole('button', { name: 'Make the link' }).click();
	await expect(page.getByRole('region', { name: /^Please check/ })).toBeVisible();
	await inventory.take('no date or time, a depth out of range, session 4 of 3');

	await page.getByLabel('Treatment date').fill('2027-04-08');
	await page.getByLabel('Appointment time').fill('10:30');
	await page.getByLabel('Needle depth in mm (if known)').fill('');
	await page.getByLabel('Session number').fill('1');
	await page.getByRole('button', { name: 'Make the link' }).click();
	await expect(page.getByRole('img', { name: /^QR code/ })).toBeVisible();
	await inventory.take('a link made');

	await inventory.save(testInfo);
});
