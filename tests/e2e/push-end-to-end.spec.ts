// The whole way of a reminder: the app subscribes through the real server, the server's dispatcher
// encrypts and sends it when it falls due, a push service receives it, and the phone's service
// worker turns it into the task's own notification. Only the two ends a test cannot have are
// stood in for: the browser's push subscription (Chromium's needs Google's push service) and
// the push service (a loopback mock that decrypts what it gets, as the browser would).
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { decryptPushBody, fakeBrowser, startMockPushService } from '../support/mock-push/index.js';
import { startServer, type RunningServer } from '../integration/helpers';
import { controlled, deliverPush, mirror, onboard, watchServiceWorker } from './helpers';

/**
 * A fixed-offset zone where it is about noon now: the reminder set for a minute from now is then
 * an evening time after the morning one, on the same day, whenever the suite runs.
 */
function zoneAtNoon(now = new Date()): { zone: string; offsetHours: number } {
	const offsetHours = 12 - now.getUTCHours();
	// POSIX-style names: Etc/GMT-5 is five hours ahead of UTC.
	const zone =
		offsetHours === 0
			? 'Etc/GMT'
			: offsetHours > 0
				? `Etc/GMT-${offsetHours}`
				: `Etc/GMT+${-offsetHours}`;
	return { zone, offsetHours };
}

const { zone, offsetHours } = zoneAtNoon();
test.use({ timezoneId: zone });

/** `YYYY-MM-DD` and `HH:MM` of an instant, in the test's zone. */
function local(instant: number): { date: string; time: string } {
	const iso = new Date(instant + offsetHours * 3_600_000).toISOString();
	return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

test('a reminder goes from the app through the real server and dispatcher to a notification', async ({
	page,
	context
}) => {
	// Waits up to two minutes of real time for the reminder to fall due.
	test.setTimeout(180_000);
	const phone = fakeBrowser();
	const pushes: {
		path: string;
		status: number;
		headers: Record<string, unknown>;
		text: string;
		at: number;
	}[] = [];
	let server: RunningServer | undefined;
	let serviceWorker: { text(): string } | undefined;
	const pushService = await startMockPushService({
		browser: { privateKey: phone.privateKey, auth: phone.keys.auth },
		verifyVapid: true,
		onPush: ({ path, headers, body, status }) =>
			pushes.push({ path, status, headers, text: decryptPushBody(body, phone), at: Date.now() })
	});
	try {
		server = await startServer(
			{
				VAPID_SUBJECT: 'mailto:e2e@example-clinic.org',
				PUSH_ALLOW_LOOPBACK_ENDPOINTS: '1',
				NODE_EXTRA_CA_CERTS: pushService.certPath,
				DISPATCH_INTERVAL_SECONDS: '1'
			},
			{ origin: true }
		);
		const { url, dataDir } = server;
		await context.grantPermissions(['notifications']);
		// Printed if the test fails: what the service worker did, from the first page on.
		serviceWorker = await watchServiceWorker(context, page);
		// The browser's side of the subscription, pointing at the mock push service.
		await page.addInitScript(
			({ endpoint, keys }) => {
				const subscription = {
					endpoint,
					options: { userVisibleOnly: true, applicationServerKey: null },
					expirationTime: null,
					toJSON: () => ({ endpoint, expirationTime: null, keys }),
					unsubscribe: async () => {
						localStorage.removeItem('e2e-subscribed');
						return true;
					},
					getKey: () => null
				} as unknown as PushSubscription;
				PushManager.prototype.subscribe = async () => {
					localStorage.setItem('e2e-subscribed', '1');
					return subscription;
				};
				PushManager.prototype.getSubscription = async () =>
					localStorage.getItem('e2e-subscribed') ? subscription : null;
			},
			{ endpoint: `${pushService.origin}/e2e/phone-1`, keys: phone.keys }
		);

		// Treatment in ten days: tonight's vitamin A/C cream (the provider asked for it) is a daily
		// evening reminder.
		await onboard(page, {
			date: local(Date.now() + 10 * 86_400_000).date,
			base: url,
			yesTo: ['vitamin A or C cream']
		});
		await controlled(page);
		await page.goto(`${url}/settings/reminders`);
		const panel = page.getByRole('region', { name: 'Reminders' });
		await panel.getByRole('button', { name: 'Turn on reminders' }).click();
		await expect(panel.locator('[data-state]')).toContainText('Reminders are on.');

		// Evening reminders at the next whole minute (the one after, when that is too close).
		const now = Date.now();
		const dueAt = Math.ceil(now / 60_000) * 60_000 + (now % 60_000 > 45_000 ? 60_000 : 0);
		await page.getByLabel('Evening reminders at').fill(local(dueAt).time);
		await page.getByRole('button', { name: 'Save reminder times' }).click();
		await expect
			.poll(async () => (await mirror(page)).find((record) => record.at === dueAt)?.taskId)
			.toBe('vitamin-cream');
		const reminder = (await mirror(page)).find((record) => record.at === dueAt)!;

		// The dispatcher sends it when it falls due, signed (the mock checks the VAPID token) and
		// encrypted for the phone's keys, carrying nothing but an opaque id.
		await expect
			.poll(() => pushes.filter((push) => push.text.includes(reminder.id)).length, {
				timeout: 150_000,
				intervals: [1000]
			})
			.toBe(1);
		const push = pushes.find((one) => one.text.includes(reminder.id))!;
		expect(push.status).toBe(201);
		expect(push.path).toBe('/e2e/phone-1');
		expect(push.at).toBeGreaterThanOrEqual(dueAt);
		expect(push.at).toBeLessThan(dueAt + 15_000);
		expect(push.headers['urgency']).toBe('high');
		expect(Number(push.headers['ttl'])).toBeGreaterThan(0);
		// Declarative Web Push, with the link a tap opens on the server's ORIGIN.
		const payload = JSON.parse(push.text) as unknown;
		expect(payload).toEqual({
			web_push: 8030,
			notification: {
				title: 'Aftercare reminder',
				body: 'You have a care step due. Open the app to see it.',
				navigate: `${url}/?reminder=${reminder.id}`,
				tag: reminder.id,
				lang: 'en',
				dir: 'ltr',
				mutable: true
			},
			mutable: true
		});
		expect(push.text.toLowerCase()).not.toContain('vitamin');

		// What the push service got, handed to the phone: the task's own words, from the phone.
		await deliverPush(context, page, payload);
		const titles = await page.evaluate(async () => {
			const registration = await navigator.serviceWorker.ready;
			return (await registration.getNotifications()).map((notification) => notification.title);
		});
		expect(titles).toEqual([reminder.title]);
		expect(reminder.title.toLowerCase()).toContain('vitamin');
		// Recorded as sent in the server's store, so no dispatcher claims it again; and sent once.
		const status = () => {
			const db = new Database(join(dataDir, 'aftercare.sqlite'), { readonly: true });
			try {
				const row = db
					.prepare('SELECT status FROM reminders WHERE reminder_id = ?')
					.get(reminder.id) as { status: string } | undefined;
				return row?.status;
			} finally {
				db.close();
			}
		};
		await expect.poll(status).toBe('sent');
		expect(pushes.filter((one) => one.text.includes(reminder.id))).toHaveLength(1);
	} catch (error) {
		console.log(`The service worker, from the first page on:\n${serviceWorker?.text()}`);
		console.log(`The server's output:\n${server?.output()}`);
		throw error;
	} finally {
		await server?.stop();
		await pushService.close();
	}
});
