import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import ICAL from 'ical.js';
import { reminderPushPayload } from '../../src/lib/domain/push-payload';
import { eventList, importCalendarFile } from '../../src/lib/test-data/calendar-import';
import { berlin, controlled, deliverPush, mirror, onboard, shownCount } from './helpers';

/** What a push from the server carries: an opaque id and generic words. */
const pushFor = (reminderId: string) => ({
	v: 1,
	reminderId,
	title: 'Aftercare reminder',
	body: 'You have a care step due. Open the app to see it.'
});

/**
 * Taps a button of the app's notification for `reminderId`, through the service worker's own
 * `notificationclick` listener. Headless Chromium has no notification to tap, so the event is
 * dispatched in the worker; being untrusted, its `waitUntil` throws once the handler has started,
 * and the handler's work still runs to the end while the page keeps the worker alive. The worker's
 * clock is set to the page's (Playwright's fake clock does not reach workers), as on a phone.
 * @returns the instant of the tap
 */
async function tapNotification(
	page: Page,
	context: BrowserContext,
	reminderId: string,
	action: 'done' | 'snooze'
): Promise<number> {
	const [worker] = context.serviceWorkers();
	if (!worker) {
		throw new Error('no service worker');
	}
	const pageNow = await page.evaluate(() => Date.now());
	return worker.evaluate(
		async ({ reminderId, action, offset }) => {
			// The worker's own types: this file is type-checked with the DOM's, not a worker's.
			const sw = self as unknown as {
				registration: { getNotifications(): Promise<Notification[]> };
				dispatchEvent(event: Event): boolean;
				NotificationEvent: new (
					type: string,
					init: { notification: Notification; action: string }
				) => Event;
				realNow?: () => number;
			};
			sw.realNow ??= Date.now.bind(Date);
			const realNow = sw.realNow;
			Date.now = () => realNow() + offset;
			const notifications = await sw.registration.getNotifications();
			const notification = notifications.find(
				(one) => (one.data as { reminderId?: string } | null)?.reminderId === reminderId
			);
			if (!notification) {
				throw new Error(`no notification for ${reminderId}`);
			}
			const tappedAt = Date.now();
			sw.dispatchEvent(new sw.NotificationEvent('notificationclick', { notification, action }));
			return tappedAt;
		},
		{ reminderId, action, offset: pageNow - Date.now() }
	);
}

test.describe('push reminders', () => {
	test('a push shows the task’s own words from the phone, with Done and Snooze', async ({
		page,
		context
	}) => {
		await context.grantPermissions(['notifications']);
		await page.clock.install({ time: berlin('2026-12-13T12:00') });
		await onboard(page, { date: '2026-12-14' });
		await controlled(page);
		await expect.poll(async () => (await mirror(page)).length).toBeGreaterThan(3);
		const ice = (await mirror(page)).find((record) => record.taskId === 'ice-pack')!;
		expect(ice.id).toMatch(/^[A-Za-z0-9_-]{22}$/);

		await deliverPush(context, page, pushFor(ice.id));

		const shown = () =>
			page.evaluate(async () => {
				const registration = await navigator.serviceWorker.ready;
				// `actions` and `badge` are missing from TypeScript's DOM types, though Chromium has them.
				type Shown = Notification & {
					actions: { action: string; title: string }[];
					badge: string;
				};
				return ((await registration.getNotifications()) as Shown[]).map((notification) => ({
					title: notification.title,
					body: notification.body,
					tag: notification.tag,
					icon: notification.icon,
					badge: notification.badge,
					actions: notification.actions.map(({ action, title }) => ({ action, title })),
					data: notification.data as unknown
				}));
			});
		const origin = new URL(page.url()).origin;
		await expect.poll(async () => (await shown()).length).toBe(1);
		expect(await shown()).toEqual([
			{
				title: ice.title,
				body: ice.body,
				tag: ice.id,
				icon: `${origin}/icons/icon-192.png`,
				badge: `${origin}/icons/badge-72.png`,
				actions: [
					{ action: 'done', title: 'Done' },
					{ action: 'snooze', title: 'Snooze 1 h' }
				],
				data: { reminderId: ice.id, occurrenceId: ice.occurrenceId }
			}
		]);
		expect(ice.title).not.toBe('Aftercare reminder');
		// Its pictures exist: the app icon, and the badge Android draws in the status bar.
		for (const url of [`${origin}/icons/icon-192.png`, `${origin}/icons/badge-72.png`]) {
			const response = await page.request.get(url);
			expect(response.status(), url).toBe(200);
			expect(response.headers()['content-type']).toBe('image/png');
		}

		// A tap on the notification opens Today at that task.
		await page.clock.setSystemTime(ice.at + 60_000);
		await page.goto(`/?task=${encodeURIComponent(ice.occurrenceId)}`);
		const card = page.locator(`article[data-task="${ice.occurrenceId}"]`);
		await expect(card).toHaveAttribute('aria-current', 'true');
		await expect(card.getByRole('checkbox')).toBeFocused();
	});

	test('Done and Snooze on a notification, tapped when it arrives', async ({
		page,
		context,
		expectServiceWorkerError
	}) => {
		// tapNotification's event is made by a script: its waitUntil throws (see there).
		expectServiceWorkerError(
			/^Uncaught InvalidStateError: Failed to execute 'waitUntil' on 'ExtendableEvent': Can not call waitUntil on a script constructed ExtendableEvent\./,
			'the test dispatches notificationclick itself'
		);
		await context.grantPermissions(['notifications']);
		await page.clock.install({ time: berlin('2026-12-13T12:00') });
		// Tonight's vitamin A/C cream (the provider asked for it) is the first reminder.
		await onboard(page, { date: '2026-12-14', yesTo: ['vitamin A or C cream'] });
		await controlled(page);
		await expect.poll(async () => (await mirror(page)).length).toBeGreaterThan(3);
		// The first two care steps: the appointment's reminder has no Done.
		const [first, second] = (await mirror(page))
			.filter((record) => record.taskId !== 'appointment')
			.sort((a, b) => a.at - b.at);

		// Done, half a minute after the reminder came: ticked off on the phone, and the open app
		// shows it at once (the worker tells it).
		await page.clock.setSystemTime(first!.at + 30_000);
		const checkbox = page
			.locator(`article[data-task="${first!.occurrenceId}"]`)
			.getByRole('checkbox');
		await expect(checkbox).not.toBeChecked();
		await deliverPush(context, page, pushFor(first!.id));
		await expect.poll(() => page.evaluate(shownCount)).toBe(1);
		await tapNotification(page, context, first!.id, 'done');
		await expect(checkbox).toBeChecked();
		await expect.poll(() => page.evaluate(shownCount)).toBe(0);
		await expect
			.poll(async () => (await mirror(page)).map((record) => record.id))
			.not.toContain(first!.id);
		await page.reload();
		await expect(checkbox).toBeChecked();

		// Snooze: due again an hour after the tap, and the app's next sync keeps it so.
		await page.clock.setSystemTime(second!.at + 30_000);
		await deliverPush(context, page, pushFor(second!.id));
		await expect.poll(() => page.evaluate(shownCount)).toBe(1);
		const tappedAt = await tapNotification(page, context, second!.id, 'snooze');
		const snoozedUntil = async () =>
			(await mirror(page)).find((record) => record.id === second!.id)?.snoozedUntil;
		await expect.poll(snoozedUntil).toBeGreaterThanOrEqual(tappedAt + 60 * 60 * 1000);
		expect(await snoozedUntil()).toBeLessThan(tappedAt + 60 * 60 * 1000 + 60_000);
		const until = await snoozedUntil();
		await page.reload();
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expect.poll(snoozedUntil).toBe(until);
		await expect(
			page.locator(`article[data-task="${second!.occurrenceId}"]`).getByRole('checkbox')
		).not.toBeChecked();
		await expect.poll(() => page.evaluate(shownCount)).toBe(0);
	});
	test('a declarative push: the phone’s words, and its link opens Today at the task with Done and Snooze', async ({
		page,
		context
	}, testInfo) => {
		await context.grantPermissions(['notifications']);
		await page.setViewportSize({ width: 412, height: 915 });
		await page.clock.install({ time: berlin('2026-12-13T12:00') });
		await onboard(page, { date: '2026-12-14', yesTo: ['vitamin A or C cream'] });
		await controlled(page);
		await expect.poll(async () => (await mirror(page)).length).toBeGreaterThan(3);
		const [first] = (await mirror(page))
			.filter((record) => record.taskId !== 'appointment')
			.sort((a, b) => a.at - b.at);
		await page.clock.setSystemTime(first!.at + 30_000);

		// What the server sends when ORIGIN is set: Safari would show it as it is; here the worker
		// gets it (as in every browser without Declarative Web Push) and shows the phone's words.
		const origin = new URL(page.url()).origin;
		const payload = reminderPushPayload(first!.id, origin);
		if (!('web_push' in payload)) {
			throw new Error('expected the declarative format');
		}
		await deliverPush(context, page, payload);
		const shown = () =>
			page.evaluate(async () => {
				const registration = await navigator.serviceWorker.ready;
				return (await registration.getNotifications()).map(({ title, body, tag }) => ({
					title,
					body,
					tag
				}));
			});
		expect(await shown()).toEqual([{ title: first!.title, body: first!.body, tag: first!.id }]);

		// A tap on iOS opens `navigate`, with no buttons on the notification: Today at the task.
		await page.goto(payload.notification.navigate);
		const card = page.locator(`article[data-task="${first!.occurrenceId}"]`);
		await expect(card).toHaveAttribute('aria-current', 'true');
		await expect(card.getByRole('checkbox')).toBeFocused();
		await expect(card.getByRole('button', { name: 'Done', exact: true })).toBeVisible();
		await page.screenshot({ path: testInfo.outputPath('today-from-reminder.png') });

		// Snooze: due again an hour later, and the notification is answered.
		const pressedAt = await page.evaluate(() => Date.now());
		await card.getByRole('button', { name: 'Snooze 1 h' }).click();
		await expect(card.getByRole('status')).toContainText('Snoozed. You will be reminded again at');
		const snoozedUntil = async () =>
			(await mirror(page)).find((record) => record.id === first!.id)?.snoozedUntil;
		await expect.poll(snoozedUntil).toBeGreaterThanOrEqual(pressedAt + 60 * 60 * 1000);
		expect(await snoozedUntil()).toBeLessThan(pressedAt + 60 * 60 * 1000 + 60_000);
		await expect.poll(() => page.evaluate(shownCount)).toBe(0);
		await page.screenshot({ path: testInfo.outputPath('today-snoozed.png') });

		// Done: ticked off, as the tick box would.
		await card.getByRole('button', { name: 'Done', exact: true }).click();
		await expect(card.getByRole('checkbox')).toBeChecked();
		await expect(card).toContainText('Done. Ticked off.');
		await page.reload();
		await expect(card.getByRole('checkbox')).toBeChecked();
	});

	test('a link to an appointment’s reminder offers only Snooze; one whose task is not on Today heads Today', async ({
		page,
		context
	}) => {
		await context.grantPermissions(['notifications']);
		await page.clock.install({ time: berlin('2026-12-12T12:00') });
		await onboard(page, { date: '2026-12-14' });
		await controlled(page);
		await expect
			.poll(async () => (await mirror(page)).some((record) => record.taskId === 'appointment'))
			.toBe(true);
		const records = await mirror(page);
		const appointment = records.find((record) => record.taskId === 'appointment')!;
		const [first] = records
			.filter((record) => record.taskId !== 'appointment')
			.sort((a, b) => a.at - b.at);

		// The appointment's reminder, on its day: the card, never ticked off, has Snooze only.
		await page.clock.setSystemTime(appointment.at + 30_000);
		await page.goto(`/?reminder=${encodeURIComponent(appointment.id)}`);
		const card = page.locator(`article[data-task="${appointment.occurrenceId}"]`);
		await expect(card).toHaveAttribute('aria-current', 'true');
		await expect(card.getByRole('button', { name: 'Snooze 1 h' })).toBeFocused();
		await expect(card.getByRole('button', { name: 'Done', exact: true })).toHaveCount(0);

		// A reminder opened a day and a half late: its task is no longer listed, so its own words
		// head Today, with the same buttons.
		await page.clock.setSystemTime(first!.at + 36 * 60 * 60 * 1000);
		await page.goto(`/?reminder=${encodeURIComponent(first!.id)}`);
		const panel = page.getByRole('region', { name: first!.title });
		await expect(panel).toContainText(first!.body);
		await expect(panel.getByRole('button', { name: 'Done', exact: true })).toBeFocused();
		await panel.getByRole('button', { name: 'Snooze 1 h' }).click();
		await expect(panel.getByRole('status')).toContainText('You will be reminded again at');
		await panel.getByRole('button', { name: 'Done', exact: true }).click();
		await expect(panel).toContainText('Done. Ticked off.');

		// An id the phone does not have opens plain Today.
		await page.goto('/?reminder=unknown');
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expect(page.getByRole('button', { name: 'Snooze 1 h' })).toHaveCount(0);
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
		await page.goto('/settings/reminders');
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
			reminders: { id: string; dueAt: number }[];
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

	test('Add to calendar again after the treatment moves: the newer file leaves exactly the new plan', async ({
		page
	}) => {
		await page.clock.install({ time: berlin('2026-12-13T12:00') });
		// The provider asked for the cream: moving the treatment earlier then drops a week of it.
		await onboard(page, { date: '2026-12-21', time: '10:00', yesTo: ['vitamin A or C cream'] });
		const now = await page.evaluate(() => Date.now());
		/** Waits until the app's reminders follow a treatment on `date`. */
		const plannedFor = (date: string) =>
			expect
				.poll(async () =>
					(await mirror(page)).some(
						(record) =>
							record.taskId === 'ice-pack' && record.at === berlin(`${date}T20:00`).getTime()
					)
				)
				.toBe(true);
		await plannedFor('2026-12-21');

		/** Taps "Add to calendar" on the Timeline and returns the file the app saved. */
		async function addToCalendar(): Promise<string> {
			await page
				.getByRole('navigation', { name: 'Main' })
				.getByRole('link', { name: 'Timeline' })
				.click();
			const [download] = await Promise.all([
				page.waitForEvent('download'),
				page.getByRole('button', { name: 'Add to calendar' }).click()
			]);
			expect(download.suggestedFilename()).toBe('aftercare-reminders-2026-12-13.ics');
			await expect(page.getByRole('status')).toContainText('Open it to add your appointment and');
			return readFileSync((await download.path())!, 'utf8');
		}
		const first = await addToCalendar();

		// The treatment moves a week earlier, on the Treatment screen.
		await page
			.getByRole('navigation', { name: 'Main' })
			.getByRole('link', { name: 'Treatment' })
			.click();
		await page.getByRole('button', { name: 'Edit the 1st session' }).click();
		await page.getByLabel('Treatment date').fill('2026-12-14');
		await page.getByRole('button', { name: 'Save changes' }).click();
		await expect(page.getByRole('status')).toContainText('Your plan has been updated.');
		await plannedFor('2026-12-14');
		const second = await addToCalendar();
		await expect(page.getByRole('status')).toContainText(
			/It also removes \d+ events from earlier files/
		);

		// A calendar that had the first file, after the patient adds the second.
		const calendar = importCalendarFile(importCalendarFile(new Map(), first), second);
		// The new plan: the reminders the app keeps for itself, and the appointment, whose own event
		// stands for the protocol's appointment task.
		const reminders = (await mirror(page)).filter(
			(record) => record.at > now && record.taskId !== 'appointment'
		);
		const appointment = (date: string) =>
			`Microneedling treatment @ ${berlin(`${date}T10:00`).toISOString()}`;
		const newPlan = [
			appointment('2026-12-14'),
			...reminders.map((record) => `${record.title} @ ${new Date(record.at).toISOString()}`)
		].sort();
		expect(eventList(calendar)).toEqual(newPlan);
		expect(eventList(calendar)).not.toContain(appointment('2026-12-21'));
		const statuses = new ICAL.Component(ICAL.parse(second))
			.getAllSubcomponents('vevent')
			.map((event) => event.getFirstPropertyValue('status'));
		expect(statuses.filter((status) => status === 'CANCELLED').length).toBeGreaterThan(0);
		// Every reminder alerts at its start, the appointment ahead of it.
		for (const event of calendar.values()) {
			expect(event.alarms).toHaveLength(1);
			if (event.summary === 'Microneedling treatment') {
				expect(event.alarms[0]).toBeLessThan(0);
			} else {
				expect(event.alarms[0]).toBe(0);
			}
		}
	});
});
