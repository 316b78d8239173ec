import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCareDb } from '$lib/device/db';
import { ReminderStore } from '$lib/device/reminder-store';
import { defaultProtocol } from '$lib/domain/default-protocol';
import { buildPlan, pendingReminders } from '$lib/domain/schedule';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { ReminderServerError } from './push-api';
import { PushReminders, type PushPlatform, type ReminderSource } from './push-subscription';

const protocol = defaultProtocol();
const now = Date.UTC(2026, 11, 13, 12);

interface Call {
	method: string;
	url: string;
	auth: string | null;
	body: unknown;
}

/** A push server in memory: answers as the contract says, and records every call. */
function fakeServer() {
	const calls: Call[] = [];
	const known = new Set<string>();
	/** Endpoints the server holds under other keys: a POST of one answers 409. */
	const taken = new Set<string>();
	let online = true;
	let next = 1;
	const fetcher: typeof fetch = async (input, init) => {
		if (!online) {
			throw new TypeError('Failed to fetch');
		}
		const url = String(input);
		const method = init?.method ?? 'GET';
		const auth = new Headers(init?.headers).get('authorization');
		calls.push({ method, url, auth, body: init?.body ? JSON.parse(String(init.body)) : null });
		if (url === '/api/push/public-key') {
			return Response.json({
				publicKey:
					'BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
			});
		}
		if (url === '/api/push/subscriptions' && method === 'POST') {
			const { endpoint } = (calls.at(-1)?.body as { subscription: { endpoint: string } })
				.subscription;
			if (taken.has(endpoint)) {
				return Response.json(
					{ error: 'subscription.endpoint: already registered' },
					{ status: 409 }
				);
			}
			const id = `s${next++}`;
			known.add(id);
			return Response.json({ id, token: `token-${id}` }, { status: 201 });
		}
		const id = url.split('/').at(-1)!;
		if (!known.has(id) || auth !== `Bearer token-${id}`) {
			return new Response(null, { status: known.has(id) ? 401 : 404 });
		}
		if (method === 'DELETE') {
			known.delete(id);
			return new Response(null, { status: 204 });
		}
		return new Response(null, { status: 200 });
	};
	return {
		calls,
		known,
		taken,
		fetcher,
		setOnline: (value: boolean) => (online = value),
		isOnline: () => online
	};
}

/** The browser's push and permission, in memory. */
function fakeBrowser(server: ReturnType<typeof fakeServer>) {
	let permission: NotificationPermission = 'default';
	let answer: NotificationPermission = 'granted';
	let subscription: PushSubscription | null = null;
	let endpoints = 0;
	let pushService = true;
	const asked: number[] = [];
	const subscribed: number[] = [];
	const make = (): PushSubscription => {
		const endpoint = `https://push.example/${++endpoints}`;
		const made = {
			endpoint,
			toJSON: () => ({ endpoint, keys: { p256dh: 'p256', auth: 'auth' } }),
			unsubscribe: async () => {
				subscription = null;
				return true;
			}
		};
		return made as unknown as PushSubscription;
	};
	const manager = {
		getSubscription: async () => subscription,
		subscribe: async () => {
			subscribed.push(1);
			if (!pushService) {
				// What Chromium says when it has no push service to register with.
				throw new DOMException('Registration failed - permission denied', 'AbortError');
			}
			return (subscription = make());
		}
	} as unknown as PushManager;
	const platform: PushPlatform = {
		supported: true,
		iosNeedsInstall: false,
		pushManager: async () => manager,
		permission: () => permission,
		requestPermission: async () => {
			asked.push(1);
			permission = answer;
			return permission;
		},
		online: server.isOnline,
		fetch: server.fetcher
	};
	return {
		platform,
		asked,
		subscribed,
		setPushService: (value: boolean) => (pushService = value),
		answer: (value: NotificationPermission) => (answer = value),
		dropSubscription: () => (subscription = null),
		subscription: () => subscription
	};
}

function source(at = now, done: ReadonlySet<string> = new Set()): ReminderSource {
	const treatments = [aTreatment()];
	const plan = buildPlan(protocol, treatments, somePreferences());
	return {
		protocol,
		pending: pendingReminders(plan, at, done, new Set()),
		treatments,
		done,
		now: at
	};
}

let names = 0;
let dbName = '';
let opened: ReturnType<typeof openCareDb>;
let server: ReturnType<typeof fakeServer>;
let browser: ReturnType<typeof fakeBrowser>;
let store: ReminderStore;
let reminders: PushReminders;

beforeEach(() => {
	dbName = `push-${++names}`;
	const db = (opened = openCareDb(dbName));
	server = fakeServer();
	browser = fakeBrowser(server);
	store = new ReminderStore(() => db);
	reminders = new PushReminders(browser.platform, store);
});

afterEach(async () => {
	(await opened).close();
	await deleteDB(dbName);
});

describe('push reminders', () => {
	it('are off on opening, never ask for permission, and still fill the mirror', async () => {
		expect(await reminders.sync(source(), true)).toBe('done');
		expect(await reminders.state()).toBe('off');
		expect(browser.asked).toEqual([]);
		expect(server.calls).toEqual([]);
		const mirror = await store.mirror();
		expect(mirror).toHaveLength(source().pending.length);
		const ice = mirror.find((record) => record.taskId === 'ice-pack')!;
		expect(ice.title).toBe(protocol.tasks.find((task) => task.id === 'ice-pack')!.title);
	});

	it('turn on: permission, subscription, POST with opaque ids only', async () => {
		expect(await reminders.turnOn(source())).toBe('done');
		expect(browser.asked).toHaveLength(1);
		expect(await reminders.state()).toBe('on');
		const post = server.calls.find((call) => call.method === 'POST')!;
		const body = post.body as { subscription: unknown; reminders: { id: string; dueAt: number }[] };
		expect(body.subscription).toEqual({
			endpoint: 'https://push.example/1',
			keys: { p256dh: 'p256', auth: 'auth' }
		});
		expect(body.reminders).toHaveLength(source().pending.length);
		for (const reminder of body.reminders) {
			expect(reminder.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
			expect(Number.isSafeInteger(reminder.dueAt) && reminder.dueAt > now).toBe(true);
		}
		// Only ids and instants: no task names, dates or treatment ids (the shortest task id has
		// 8 characters, so a random id containing one is practically impossible).
		expect(Object.keys(body).sort()).toEqual(['reminders', 'subscription']);
		for (const reminder of body.reminders) {
			expect(Object.keys(reminder).sort()).toEqual(['dueAt', 'id']);
		}
		const text = JSON.stringify(post.body);
		for (const task of protocol.tasks) {
			expect(text).not.toContain(task.id);
		}
		expect((await store.push()).server).toEqual({
			id: 's1',
			token: 'token-s1',
			endpoint: 'https://push.example/1'
		});
	});

	it('stay off when permission is refused', async () => {
		browser.answer('denied');
		expect(await reminders.turnOn(source())).toBe('permission-denied');
		expect(await reminders.state()).toBe('blocked');
		expect(server.calls).toEqual([]);
	});

	it('follow the plan with PUT, and skip sending what the server has', async () => {
		await reminders.turnOn(source());
		const later = source(now + 24 * 60 * 60 * 1000);
		await reminders.sync(later);
		const put = server.calls.at(-1)!;
		expect(put).toMatchObject({ method: 'PUT', url: '/api/push/subscriptions/s1' });
		expect(put.auth).toBe('Bearer token-s1');
		expect((put.body as { reminders: unknown[] }).reminders).toHaveLength(later.pending.length);
		const count = server.calls.length;
		await reminders.sync(later);
		expect(server.calls).toHaveLength(count);
	});

	it('subscribe again when the server lost the subscription or the browser dropped it', async () => {
		await reminders.turnOn(source());
		server.known.clear();
		await reminders.sync(source(), true);
		expect(server.calls.slice(-2).map((call) => call.method)).toEqual(['PUT', 'POST']);
		expect((await store.push()).server?.id).toBe('s2');

		browser.dropSubscription();
		await reminders.sync(source(), true);
		expect(browser.subscription()?.endpoint).toBe('https://push.example/2');
		expect(server.calls.at(-1)).toMatchObject({ method: 'PUT', url: '/api/push/subscriptions/s2' });
		expect((await store.push()).server?.endpoint).toBe('https://push.example/2');
		expect(browser.asked).toHaveLength(1);
	});

	it('take a new endpoint from the browser when the server holds this one under other keys', async () => {
		server.taken.add('https://push.example/1');
		await reminders.turnOn(source());
		const posts = server.calls.filter((call) => call.method === 'POST');
		expect(posts).toHaveLength(2);
		expect(browser.subscription()?.endpoint).toBe('https://push.example/2');
		expect(await store.push()).toMatchObject({
			wanted: true,
			server: { id: 's1', endpoint: 'https://push.example/2' }
		});
	});

	it('wait for a connection, then catch up', async () => {
		await reminders.turnOn(source());
		server.setOnline(false);
		expect(await reminders.sync(source(now + 60_000 * 60 * 30))).toBe('offline');
		expect(await reminders.state()).toBe('offline-pending');
		server.setOnline(true);
		expect(await reminders.sync(source(now + 60_000 * 60 * 30), true)).toBe('done');
		expect(await reminders.state()).toBe('on');
	});

	it('turn off: DELETE and unsubscribe; offline, finished on the next sync', async () => {
		await reminders.turnOn(source());
		server.setOnline(false);
		expect(await reminders.turnOff()).toBe('offline');
		expect(await reminders.state()).toBe('offline-pending');
		server.setOnline(true);
		await reminders.sync(source());
		expect(server.calls.at(-1)).toMatchObject({
			method: 'DELETE',
			url: '/api/push/subscriptions/s1',
			auth: 'Bearer token-s1'
		});
		expect(browser.subscription()).toBeNull();
		expect(await store.push()).toEqual({ wanted: false, server: null });
		expect(await reminders.state()).toBe('off');
	});

	it('send a snoozed reminder at its new time', async () => {
		await reminders.turnOn(source());
		const [first] = await store.mirror();
		const passed = first!.at + 60_000;
		await store.snooze(first!.id, passed + 60 * 60_000);
		await reminders.sync(source(passed), true);
		const body = server.calls.at(-1)!.body as { reminders: { id: string; dueAt: number }[] };
		expect(body.reminders).toContainEqual({ id: first!.id, dueAt: passed + 60 * 60_000 });
	});

	it('keep a snooze the service worker writes while the page is syncing', async () => {
		await reminders.sync(source(), true);
		const [first] = await store.mirror();
		const passed = first!.at + 60_000;
		// The worker's write starts once the page has read the mirror, before it has written it.
		const racing = new ReminderStore(() => opened);
		const paused = new PushReminders(browser.platform, {
			secret: () => store.secret(),
			mirror: () => store.mirror(),
			push: () => store.push(),
			putPush: (value) => store.putPush(value),
			updateMirror: (next) =>
				store.updateMirror((current) => {
					void racing.snooze(first!.id, passed + 60 * 60_000);
					return next(current);
				})
		});
		await paused.sync(source(passed));
		await expect
			.poll(async () => (await store.mirror()).find((record) => record.id === first!.id))
			.toMatchObject({ snoozedUntil: passed + 60 * 60_000 });
	});
});

describe('a browser without a push service', () => {
	it('says so, stops wanting reminders, and tries again only when the patient asks', async () => {
		browser.setPushService(false);
		expect(await reminders.turnOn(source())).toBe('no-push-service');
		expect(await reminders.state()).toBe('no-push-service');
		expect(browser.subscribed).toHaveLength(1);
		// The server was asked for its key only: it was not the one that failed.
		expect(server.calls.map((call) => call.url)).toEqual(['/api/push/public-key']);
		expect(await store.push()).toEqual({ wanted: false, server: null });

		// Opening the app again, and plan changes, leave it be.
		expect(await reminders.sync(source(), true)).toBe('done');
		expect(await reminders.sync(source(now + 60_000))).toBe('done');
		expect(await new PushReminders(browser.platform, store).sync(source(), true)).toBe('done');
		expect(browser.subscribed).toHaveLength(1);

		// The patient's "Try again", once the browser can.
		browser.setPushService(true);
		expect(await reminders.turnOn(source())).toBe('done');
		expect(await reminders.state()).toBe('on');
	});

	it('drops a registration the browser can no longer renew', async () => {
		await reminders.turnOn(source());
		browser.dropSubscription();
		browser.setPushService(false);
		expect(await reminders.sync(source(), true)).toBe('no-push-service');
		await reminders.sync(source());
		expect(server.calls.at(-1)).toMatchObject({
			method: 'DELETE',
			url: '/api/push/subscriptions/s1'
		});
		expect(await store.push()).toEqual({ wanted: false, server: null });
	});

	it('is told apart from the app’s server failing, which throws to be tried again', async () => {
		await reminders.turnOn(source());
		browser.dropSubscription();
		const failing = new PushReminders(
			{ ...browser.platform, fetch: async () => new Response(null, { status: 503 }) },
			store
		);
		await expect(failing.sync(source(), true)).rejects.toBeInstanceOf(ReminderServerError);
		expect((await store.push()).wanted).toBe(true);
	});
});
