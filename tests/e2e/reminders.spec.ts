import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import ICAL from 'ical.js';
import { berlin, controlled, onboard } from './helpers';

interface MirrorRecord {
	id: string;
	occurrenceId: string;
	taskId: string;
	at: number;
	title: string;
	body: string;
}

/** The reminders mirror the page wrote for its service worker. */
function mirror(page: Page): Promise<MirrorRecord[]> {
	return page.evaluate(
		() =>
			new Promise<MirrorRecord[]>((resolve, reject) => {
				const open = indexedDB.open('aftercare-companion');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const request = db.transaction('reminders').objectStore('reminders').getAll();
					request.onsuccess = () => {
						db.close();
						resolve(request.result as MirrorRecord[]);
					};
					request.onerror = () => reject(request.error);
				};
			})
	);
}

test.describe('push reminders', () => {
	test('a push shows the task’s own words from the phone, with Done and Snooze', async ({
		page,
		context,
		baseURL
	}) => {
		await context.grantPermissions(['notifications']);
		await page.clock.install({ time: berlin('2026-12-13T12:00') });
		await onboard(page, { date: '2026-12-14' });
		await controlled(page);
		await expect.poll(async () => (await mirror(page)).length).toBeGreaterThan(3);
		const ice = (await mirror(page)).find((record) => record.taskId === 'ice-pack')!;
		expect(ice.id).toMatch(/^[A-Za-z0-9_-]{22}$/);

		const cdp = await context.newCDPSession(page);
		const origin = new URL(baseURL!).origin;
		const registrationId = new Promise<string>((resolve) => {
			cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
				const ours = registrations.find(
					(registration) => registration.scopeURL === `${origin}/` && !registration.isDeleted
				);
				if (ours) {
					resolve(ours.registrationId);
				}
			});
		});
		await cdp.send('ServiceWorker.enable');
		await cdp.send('ServiceWorker.deliverPushMessage', {
			origin,
			registrationId: await registrationId,
			data: JSON.stringify({
				v: 1,
				reminderId: ice.id,
				title: 'Aftercare reminder',
				body: 'You have a care step due. Open the app to see it.'
			})
		});

		const shown = () =>
			page.evaluate(async () => {
				const registration = await navigator.serviceWorker.ready;
				return (await registration.getNotifications()).map((notification) => ({
					title: notification.title,
					body: notification.body,
					tag: notification.tag,
					actions: (
						notification as Notification & { actions: { action: string; title: string }[] }
					).actions.map(({ action, title }) => ({ action, title })),
					data: notification.data as unknown
				}));
			});
		await expect.poll(async () => (await shown()).length).toBe(1);
		expect(await shown()).toEqual([
			{
				title: ice.title,
				body: ice.body,
				tag: ice.id,
				actions: [
					{ action: 'done', title: 'Done' },
					{ action: 'snooze', title: 'Snooze 1 h' }
				],
				data: { reminderId: ice.id, occurrenceId: ice.occurrenceId }
			}
		]);
		expect(ice.title).not.toBe('Aftercare reminder');

		// A tap on the notification opens Today at that task.
		await page.clock.setSystemTime(ice.at + 60_000);
		await page.goto(`/?task=${encodeURIComponent(ice.occurrenceId)}`);
		const card = page.locator(`article[data-task="${ice.occurrenceId}"]`);
		await expect(card).toHaveAttribute('aria-current', 'true');
		await expect(card.getByRole('checkbox')).toBeFocused();
	});

	test('the Reminders panel asks for permission only on the tap, sends opaque ids, and turns off', async ({
		page,
		context
	}) => {
		await context.grantPermissions(['notifications']);
		await page.addInitScript(() => {
			const counted = window as unknown as { permissionAsks: number; unsubscribed: number };
			counted.permissionAsks = 0;
			counted.unsubscribed = 0;
			const requestPermission = Notification.requestPermission.bind(Notification);
			Notification.requestPermission = () => {
				counted.permissionAsks += 1;
				return requestPermission();
			};
			// No push service can be reached here: the browser's side is stubbed.
			const fake = {
				endpoint: 'https://push.example/endpoint-1',
				options: { userVisibleOnly: true, applicationServerKey: null },
				expirationTime: null,
				toJSON: () => ({
					endpoint: 'https://push.example/endpoint-1',
					keys: { p256dh: 'BNcR-p256dh-key', auth: 'auth-secret' }
				}),
				unsubscribe: async () => {
					counted.unsubscribed += 1;
					sessionStorage.removeItem('fake-subscription');
					return true;
				},
				getKey: () => null
			};
			PushManager.prototype.subscribe = async () => {
				sessionStorage.setItem('fake-subscription', '1');
				return fake as unknown as PushSubscription;
			};
			PushManager.prototype.getSubscription = async () =>
				sessionStorage.getItem('fake-subscription') ? (fake as unknown as PushSubscription) : null;
		});
		const calls: { method: string; path: string; auth: string | null; body: string }[] = [];
		await context.route('**/api/push/**', async (route) => {
			const request = route.request();
			const path = new URL(request.url()).pathname;
			calls.push({
				method: request.method(),
				path,
				auth: request.headers()['authorization'] ?? null,
				body: request.postData() ?? ''
			});
			if (path === '/api/push/public-key') {
				return route.fulfill({
					json: {
						publicKey:
							'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U'
					}
				});
			}
			if (request.method() === 'POST') {
				return route.fulfill({ status: 201, json: { id: 'sub-1', token: 'tok-1' } });
			}
			return route.fulfill({ status: request.method() === 'DELETE' ? 204 : 200 });
		});

		await page.clock.install({ time: berlin('2026-12-13T12:00') });
		await onboard(page, { date: '2026-12-14' });
		await controlled(page);
		await expect(page.getByText('Reminders are off, so check here')).toBeVisible();
		await page.goto('/settings');
		const panel = page.getByRole('region', { name: 'Reminders' });
		await expect(panel.locator('[data-state]')).toContainText('Reminders are off.');
		await page.reload();
		expect(
			await page.evaluate(() => (window as unknown as { permissionAsks: number }).permissionAsks)
		).toBe(0);
		expect(calls).toEqual([]);

		await panel.getByRole('button', { name: 'Turn on reminders' }).click();
		await expect(panel.locator('[data-state]')).toContainText('Reminders are on.');
		expect(
			await page.evaluate(() => (window as unknown as { permissionAsks: number }).permissionAsks)
		).toBe(1);
		const post = calls.find((call) => call.method === 'POST')!;
		expect(post.path).toBe('/api/push/subscriptions');
		const body = JSON.parse(post.body) as {
			subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
			reminders: { id: string; at: string }[];
		};
		expect(body.subscription.endpoint).toBe('https://push.example/endpoint-1');
		const records = await mirror(page);
		expect(body.reminders.length).toBeGreaterThan(3);
		expect(body.reminders.map((reminder) => reminder.id).sort()).toEqual(
			records.map((record) => record.id).sort()
		);
		for (const reminder of body.reminders) {
			expect(reminder.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
		}
		for (const words of ['ice-pack', 'sun-avoidance', 'Ice pack', 'morning', 'evening']) {
			expect(post.body).not.toContain(words);
		}

		// A change of reminder times reaches the server, under the token it gave.
		await page.getByLabel('Evening reminders at').fill('21:30');
		await page.getByRole('button', { name: 'Save reminder times' }).click();
		await expect
			.poll(() => calls.filter((call) => call.method === 'PUT').length, { timeout: 15_000 })
			.toBeGreaterThan(0);
		const put = calls.findLast((call) => call.method === 'PUT')!;
		expect(put.path).toBe('/api/push/subscriptions/sub-1');
		expect(put.auth).toBe('Bearer tok-1');

		await panel.getByRole('button', { name: 'Turn off reminders' }).click();
		await expect(panel.locator('[data-state]')).toContainText('Reminders are off.');
		const remove = calls.findLast((call) => call.method === 'DELETE')!;
		expect(remove).toMatchObject({ path: '/api/push/subscriptions/sub-1', auth: 'Bearer tok-1' });
		expect(
			await page.evaluate(() => (window as unknown as { unsubscribed: number }).unsubscribed)
		).toBe(1);
		expect(
			await page.evaluate(() => (window as unknown as { permissionAsks: number }).permissionAsks)
		).toBe(1);
	});

	test('Add to calendar saves an .ics file with one event per upcoming reminder', async ({
		page
	}) => {
		await page.clock.install({ time: berlin('2026-12-13T12:00') });
		await onboard(page, { date: '2026-12-14' });
		await expect.poll(async () => (await mirror(page)).length).toBeGreaterThan(3);
		const now = await page.evaluate(() => Date.now());
		const upcoming = (await mirror(page)).filter((record) => record.at > now);

		await page.goto('/timeline');
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('button', { name: 'Add to calendar' }).click()
		]);
		expect(download.suggestedFilename()).toMatch(/^aftercare-reminders-2026-12-13\.ics$/);
		const text = readFileSync((await download.path())!, 'utf8');
		const events = new ICAL.Component(ICAL.parse(text))
			.getAllSubcomponents('vevent')
			.map((component) => new ICAL.Event(component));
		expect(events).toHaveLength(upcoming.length);
		expect(events.map((event) => event.uid).sort()).toEqual(
			upcoming.map((record) => `${record.occurrenceId}@aftercare`).sort()
		);
		for (const event of events) {
			const record = upcoming.find((one) => `${one.occurrenceId}@aftercare` === event.uid)!;
			expect(event.summary).toBe(record.title);
			expect(event.startDate.toJSDate().getTime()).toBe(record.at);
			expect(event.component.getAllSubcomponents('valarm')).toHaveLength(1);
		}
	});
});
